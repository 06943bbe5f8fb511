import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { serializeFast } from "@/lib/superjson-fast";
import type { Session } from "next-auth";
import type { OpenApiMeta } from "trpc-to-openapi";
import { db, type Db } from "./db";
import { AppError, databaseErrorFacts, fromPrismaError, type AppErrorCode } from "./errors";
import { log } from "./log";
import { observeProcedure } from "./metrics";
import { assertRole, membershipOf, readViewer, type ViewerRecord } from "./auth/membership";
import { recordApiMutation, requireApiScope, type ApiKeyPrincipal } from "./auth/api-keys";
import type { ApiScope } from "@/lib/api-scopes";
import type { Role } from "@/generated/prisma/enums";
import { describeInputProblem, findInputProblem } from "@/lib/text-schema";
import { syncFirstParsing } from "./sync-first-parse";

export interface CreateContextOptions {
  session: Session | null;
  requestId: string;
  ip?: string | null;
  db?: Db;
  /**
   * The request's one read of the session and membership, when the request already has one (the
   * server components' context shares the layout's, see trpc/server.ts). Default: read on first
   * use, once per context.
   */
  viewer?: () => Promise<ViewerRecord>;
  /** A REST request's API key (app/api/v1), authenticated: it stands in for the session, and its viewer decides the organization. */
  apiKey?: ApiKeyPrincipal;
}

/**
 * One context per request (per HTTP request, batch included; per server-component render): every
 * procedure of that request shares its one read of the session and membership, made from the
 * database on that request, so a deactivation or sign-out applies to the very next request.
 */
export function createTRPCContext(opts: CreateContextOptions) {
  const database = opts.db ?? db;
  const apiKey = opts.apiKey ?? null;
  let read: Promise<ViewerRecord> | undefined;
  // A failed read (a busy pool) is not kept: the next procedure reads again.
  const viewer =
    opts.viewer ??
    (apiKey ? () => Promise.resolve<ViewerRecord>(apiKey.viewer) : undefined) ??
    (() =>
      (read ??= readViewer(database, opts.session?.user?.id, opts.session?.sessionId).catch((error: unknown) => {
        read = undefined;
        throw error;
      })));
  return { db: database, session: opts.session, requestId: opts.requestId, ip: opts.ip ?? null, viewer, apiKey };
}

export type TRPCContext = ReturnType<typeof createTRPCContext>;

function issuesOf(cause: unknown): { fieldErrors: Record<string, string[]>; formErrors: string[] } | null {
  const issues = (cause as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return null;
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const issue of issues as { path?: PropertyKey[]; message: string }[]) {
    const path = (issue.path ?? []).map((p) => (typeof p === "object" ? String((p as { key: unknown }).key) : String(p))).join(".");
    if (path) (fieldErrors[path] ??= []).push(issue.message);
    else formErrors.push(issue.message);
  }
  return { fieldErrors, formErrors };
}

/** A person's sentence for a schema's refusal (tRPC's own message is the issues as JSON). */
function describeIssues(issues: { fieldErrors: Record<string, string[]>; formErrors: string[] }): string {
  const parts = [
    ...issues.formErrors,
    ...Object.entries(issues.fieldErrors).map(([field, messages]) => `${field}: ${messages.join(" ")}`),
  ];
  const shown = parts.slice(0, 3).join("; ");
  return `Please check the request — ${shown}${parts.length > 3 ? ` (and ${parts.length - 3} more)` : ""}`;
}

/** tRPC's own refusals (a malformed request, an unknown procedure …) in the domain vocabulary. */
const APP_CODE_OF_TRPC_CODE: Partial<Record<TRPCError["code"], AppErrorCode>> = {
  BAD_REQUEST: "BAD_REQUEST",
  PARSE_ERROR: "BAD_REQUEST",
  METHOD_NOT_SUPPORTED: "BAD_REQUEST",
  UNSUPPORTED_MEDIA_TYPE: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_REQUESTS: "RATE_LIMITED",
  CLIENT_CLOSED_REQUEST: "REQUEST_ABORTED",
  INTERNAL_SERVER_ERROR: "INTERNAL",
};

const t = initTRPC.context<TRPCContext>().meta<OpenApiMeta>().create({
  // Outputs skip superjson's general walk where it has little to do (lib/superjson-fast.ts: plain
  // JSON, or plain JSON with Dates — the same answer, read by the client's superjson as before); inputs are superjson's.
  transformer: { input: superjson, output: { serialize: serializeFast, deserialize: (value: never) => superjson.deserialize(value) } },
  sse: {
    // A comment line every 15 s keeps proxies from closing an idle stream; a client that hears
    // nothing for 40 s reconnects (with its last event id). A stream ends after 5 minutes so the
    // session and membership are read again (a deactivated member stops hearing events).
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 40_000 },
    maxDurationMs: 5 * 60_000,
  },
  errorFormatter({ shape, error, ctx }) {
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    const zodIssues = error.code === "BAD_REQUEST" ? issuesOf(error.cause) : null;
    return {
      ...shape,
      message: internal
        ? `Something went wrong on our side. Quote request id ${ctx?.requestId ?? "unknown"} if it keeps happening.`
        : zodIssues && !(error instanceof AppError)
          ? describeIssues(zodIssues)
          : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        requestId: ctx?.requestId ?? null,
        appCode: error instanceof AppError ? error.appCode : (APP_CODE_OF_TRPC_CODE[error.code] ?? null),
        details: error instanceof AppError ? (error.details ?? null) : null,
        retryAfterSeconds: error instanceof AppError ? (error.retryAfterSeconds ?? null) : null,
        zodIssues,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Maps Prisma errors into the vocabulary, logs the unexpected, and times every call. */
const observed = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  let outcome = result.ok ? "ok" : result.error.code;
  if (!result.ok) {
    const mapped = fromPrismaError(result.error.cause);
    if (mapped) {
      outcome = mapped.code;
      (result as { error: TRPCError }).error = mapped;
    }
    const original = mapped ? mapped.cause : result.error.cause;
    if (outcome === "INTERNAL_SERVER_ERROR" || outcome === "SERVICE_UNAVAILABLE") {
      log.error({ err: original ?? result.error, db: databaseErrorFacts(original), path, requestId: ctx.requestId }, "procedure failed");
    }
  }
  observeProcedure(path, type, outcome, performance.now() - started);
  return result;
});

/**
 * Refuses NUL characters, unpaired surrogates and absurd nesting anywhere in the raw input of every
 * procedure, before its schema, its service or the database sees it (schemas built on
 * `safeString()` say the same; this also covers free-form fields and procedures to come).
 */
const wellFormedInput = t.middleware(async ({ getRawInput, next }) => {
  const problem = findInputProblem(await getRawInput());
  if (problem) {
    const message = describeInputProblem(problem);
    // Shaped like a schema's validation error, so the client gets zodIssues.fieldErrors for the field.
    const cause = Object.assign(new Error(message), { issues: [{ path: problem.path, message }] });
    throw new AppError("BAD_REQUEST", message, { field: problem.path.join(".") }, { cause });
  }
  return next();
});

/** Every procedure's output schema validates with zod's synchronous parse (sync-first-parse.ts). */
export const publicProcedure = syncFirstParsing(t.procedure.use(observed).use(wellFormedInput));

const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
  const userId = ctx.session?.user?.id ?? ctx.apiKey?.userId;
  if (!userId) throw new AppError("UNAUTHORIZED", "Please sign in to continue.");
  return next({ ctx: { ...ctx, userId } });
});

/** Every org procedure's organization comes from the request's viewer read (readViewer, auth/membership.ts). */
export const orgProcedure = signedInProcedure.use(async ({ ctx, next }) => {
  const membership = membershipOf(await ctx.viewer());
  return next({ ctx: { ...ctx, ...membership } });
});

function requireRole(minimum: Role) {
  return orgProcedure.use(({ ctx, next }) => {
    assertRole(ctx.role, minimum);
    return next();
  });
}

export const managerProcedure = requireRole("manager");
export const adminProcedure = requireRole("admin");

/**
 * A public REST operation (/api/v1, served by trpc-to-openapi): the same organization resolution
 * as every org procedure (the key's viewer), the role the app requires for the same action, the
 * key's scope, and one audit entry per successful mutation.
 */
export function apiProcedure(scope: ApiScope, minimum: Role = "user") {
  // The scope and role are also the procedure's meta, for the OpenAPI document (app/api/v1/openapi-document.ts).
  return requireRole(minimum).meta({ apiScope: scope, apiMinimumRole: minimum }).use(async ({ ctx, path, type, next }) => {
    const apiKey = requireApiScope(ctx.apiKey, scope);
    const result = await next();
    if (result.ok && type === "mutation") await recordApiMutation(ctx.db, apiKey, { path, requestId: ctx.requestId, result: result.data });
    return result;
  });
}
