import "server-only";
import { databaseErrorFacts, retryAfterHeaders, toAppError } from "./errors";
import { log } from "./log";

/** A JSON error body in the same vocabulary, and the same status table, as tRPC errors. */
export function routeErrorResponse(error: unknown, requestId: string): Response {
  const appError = toAppError(error);
  if (appError.httpStatus >= 500) {
    const original = appError.cause ?? error;
    log.error({ err: original, db: databaseErrorFacts(original), requestId }, "route handler failed");
  }
  const message = appError.appCode === "INTERNAL" ? `Something went wrong on our side. Quote request id ${requestId}.` : appError.message;
  return Response.json(
    { error: { code: appError.code, appCode: appError.appCode, message, details: appError.details ?? null, requestId } },
    { status: appError.httpStatus, headers: { "x-request-id": requestId, ...retryAfterHeaders(appError) } },
  );
}
