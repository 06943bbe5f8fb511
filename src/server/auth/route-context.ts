import "server-only";
import type { Role } from "@/generated/prisma/enums";
import { db } from "../db";
import { AppError } from "../errors";
import { requestIdFrom } from "../request";
import { assertRole, resolveMembership } from "./membership";
import { getSession } from "./session";

/** The org context of a route handler request: the same rules as orgProcedure. */
export async function orgContextFromRequest(req: Request, minimumRole: Role = "user") {
  const requestId = requestIdFrom(req.headers);
  const session = await getSession();
  if (!session?.user?.id) throw new AppError("UNAUTHORIZED", "Please sign in to continue.");
  const membership = await resolveMembership(db, session.user.id);
  assertRole(membership.role, minimumRole);
  return { db, userId: session.user.id, requestId, ...membership };
}

const STATUS: Partial<Record<AppError["code"], number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429,
};

/** A JSON error body in the same vocabulary as tRPC errors. */
export function routeErrorResponse(error: unknown, requestId: string): Response {
  if (error instanceof AppError) {
    return Response.json({ error: { code: error.code, message: error.message, requestId } }, { status: STATUS[error.code] ?? 500, headers: { "x-request-id": requestId } });
  }
  return Response.json(
    { error: { code: "INTERNAL_SERVER_ERROR", message: `Something went wrong on our side. Quote request id ${requestId}.`, requestId } },
    { status: 500, headers: { "x-request-id": requestId } },
  );
}
