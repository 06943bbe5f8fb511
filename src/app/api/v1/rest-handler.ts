import { TRPCError } from "@trpc/server";
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";
import { createOpenApiFetchHandler } from "trpc-to-openapi";
import { authenticateApiKey } from "@/server/auth/api-keys";
import { db as defaultDb, type Db } from "@/server/db";
import { AppError, toAppError, type AppErrorCode } from "@/server/errors";
import { publicApiRouter } from "@/server/root";
import { clientIpFrom, requestIdFrom } from "@/server/request";
import { routeErrorResponse } from "@/server/route-errors";
import { readBodyText } from "@/server/route-input";
import { createTRPCContext } from "@/server/trpc";

/** A REST request body is a JSON object of a few fields; 256 KB is far beyond any of them. */
export const MAX_REST_BODY_BYTES = 256 * 1024;
export const REST_ENDPOINT = "/api/v1";

/** tRPC's own refusals that errors.ts has no entry for, in the domain vocabulary. */
const APP_CODE_OF_TRPC_CODE: Partial<Record<TRPCError["code"], { appCode: AppErrorCode; message: string }>> = {
  PARSE_ERROR: { appCode: "BAD_REQUEST", message: "The request body is not valid JSON." },
  UNSUPPORTED_MEDIA_TYPE: { appCode: "BAD_REQUEST", message: "Send the body as JSON, with the header Content-Type: application/json." },
  METHOD_NOT_SUPPORTED: { appCode: "BAD_REQUEST", message: "That method is not supported here." },
};

/**
 * The error body for a failed REST call, in the app's one vocabulary (route-errors.ts): the status
 * from errors.ts's table, and the message and field errors that the tRPC error formatter (trpc.ts)
 * gives the same error in the app.
 */
function restErrorResponse(thrown: TRPCError, failure: { path?: string; type: string; input: unknown; ctx: unknown }, requestId: string, method: string, url: URL): Response {
  // trpc-to-openapi recognizes a TRPCError by its name; an AppError (a TRPCError named "AppError") arrives wrapped in an INTERNAL_SERVER_ERROR.
  const error = thrown.code === "INTERNAL_SERVER_ERROR" && thrown.cause instanceof TRPCError ? thrown.cause : thrown;
  const known = error instanceof AppError ? null : APP_CODE_OF_TRPC_CODE[error.code];
  if (known) return routeErrorResponse(new AppError(known.appCode, known.message, undefined, { cause: error }), requestId);
  if (error.code === "NOT_FOUND" && !failure.path && !(error instanceof AppError)) {
    return routeErrorResponse(new AppError("NOT_FOUND", `There is no operation ${method} ${url.pathname}. The operations are listed in ${REST_ENDPOINT}/openapi.json.`), requestId);
  }
  const appError = toAppError(error);
  if (appError.appCode !== "BAD_REQUEST") return routeErrorResponse(appError, requestId);
  // A refused input: the formatter's sentence and the flattened field errors, as the app shows them.
  const shape = getErrorShape({
    config: publicApiRouter._def._config,
    error,
    type: (failure.type as "query" | "mutation") ?? "unknown",
    path: failure.path,
    input: failure.input,
    ctx: failure.ctx as never,
  }) as { message: string; data?: { zodIssues?: unknown; details?: Record<string, unknown> | null } };
  const details = shape.data?.details ?? (shape.data?.zodIssues ? (shape.data.zodIssues as Record<string, unknown>) : undefined);
  return routeErrorResponse(new AppError("BAD_REQUEST", shape.message, details ?? undefined, { cause: error }), requestId);
}

function bodyAllowed(method: string) {
  return method !== "GET" && method !== "HEAD";
}

/**
 * The REST API's one route handler: trpc-to-openapi maps the method and path to a procedure of
 * publicApiRouter and calls it with a context whose API key — authenticated here, on every request —
 * stands in for the session (trpc.ts createTRPCContext). Every failure, before or inside the
 * procedure, leaves as the app's error body.
 */
export async function handleRestRequest(req: Request, options: { db?: Db } = {}): Promise<Response> {
  const requestId = requestIdFrom(req.headers);
  const database = options.db ?? defaultDb;
  const url = new URL(req.url);
  try {
    let forwarded = req;
    if (bodyAllowed(req.method) && req.body !== null) {
      const text = await readBodyText(req, MAX_REST_BODY_BYTES);
      forwarded = new Request(req.url, { method: req.method, headers: req.headers, body: text, signal: req.signal });
    }
    const failures: { error: TRPCError; path?: string; type: string; input: unknown; ctx: unknown }[] = [];
    const response = await createOpenApiFetchHandler({
      endpoint: REST_ENDPOINT,
      req: forwarded,
      router: publicApiRouter,
      createContext: async () => {
        try {
          const apiKey = await authenticateApiKey(database, req.headers);
          return createTRPCContext({ session: null, requestId, ip: clientIpFrom(req.headers), db: database, apiKey });
        } catch (error) {
          throw toAppError(error);
        }
      },
      onError: ({ error, path, type, input, ctx }) => {
        failures.push({ error, path, type, input, ctx });
      },
    });
    const failed = failures[0];
    if (failed) return restErrorResponse(failed.error, failed, requestId, req.method, url);
    response.headers.set("x-request-id", requestId);
    response.headers.set("cache-control", "no-store");
    return response;
  } catch (error) {
    return routeErrorResponse(error, requestId);
  }
}
