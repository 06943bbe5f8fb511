import type { Instrumentation } from "next";

/** Runs once when a server process starts: validate config (fail fast), then wire Sentry if configured. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { parseEnv, InvalidConfigError } = await import("./server/env-schema");
  try {
    parseEnv(process.env);
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      console.error(`LeadFlow cannot start. ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  if (process.env.SENTRY_DSN) {
    const Sentry = await import("@sentry/nextjs");
    Sentry.init({ dsn: process.env.SENTRY_DSN, tracesSampleRate: 0.1 });
  }
}

export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (!process.env.SENTRY_DSN) return;
  const Sentry = await import("@sentry/nextjs");
  const requestId = (request.headers["x-request-id"] as string | undefined) ?? undefined;
  Sentry.withScope((scope) => {
    if (requestId) scope.setTag("request_id", requestId);
    Sentry.captureRequestError(error, request, context);
  });
};
