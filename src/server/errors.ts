import "server-only";
import { TRPCError } from "@trpc/server";

/** The one error vocabulary: tRPC's codes. Services throw these; the formatter shapes them. */
export type AppErrorCode = TRPCError["code"];

export class AppError extends TRPCError {
  readonly details?: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>) {
    super({ code, message });
    this.name = "AppError";
    this.details = details;
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} was not found.`);

/** A unique constraint refused the write (Prisma P2002): someone else created it first. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

/** Prisma's known request errors carry a code like P2002; everything else is unexpected. */
export function fromPrismaError(error: unknown): AppError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !/^P\d{4}$/.test(code)) return null;
  if (code === "P2025") return new AppError("NOT_FOUND", "That record no longer exists.");
  if (code === "P2002") return new AppError("CONFLICT", "That already exists.");
  if (code === "P2003") return new AppError("BAD_REQUEST", "That refers to something that does not exist.");
  return new AppError("INTERNAL_SERVER_ERROR", "A database error occurred.");
}
