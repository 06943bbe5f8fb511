import "server-only";
import type { Role } from "@/generated/prisma/enums";
import { db } from "../db";
import { AppError, databaseErrorFacts, retryAfterHeaders, toAppError } from "../errors";
import { log } from "../log";
import { requestIdFrom } from "../request";
import { assertRole, resolveMembership } from "./membership";
import { getSession } from "./session";

/** The org context of a route handler request: the same rules as orgProcedure. */
export async function orgContextFromRequest(req: Request, minimumRole: Role = "user") {
  const requestId = requestIdFrom(req.headers);
  const session = await getSession();
  if (!session?.user?.id) throw new AppError("UNAUTHORIZED", "Please sign in to continue.");
  const membership = await resolveMembership(db, session.user.id, session.sessionId);
  assertRole(membership.role, minimumRole);
  return { db, userId: session.user.id, requestId, ...membership };
}

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
