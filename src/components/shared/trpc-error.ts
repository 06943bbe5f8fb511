/** Field errors and a readable message from a tRPC error, whatever its shape. */
export function describeError(error: unknown): { message: string; fieldErrors: Record<string, string[]> } {
  const data = (error as { data?: { zodIssues?: { fieldErrors?: Record<string, string[]> } | null; requestId?: string | null } } | null)?.data;
  const fieldErrors = data?.zodIssues?.fieldErrors ?? {};
  const message =
    Object.keys(fieldErrors).length > 0
      ? "Please fix the highlighted fields."
      : error instanceof Error
        ? error.message
        : "Something went wrong.";
  return { message, fieldErrors };
}
