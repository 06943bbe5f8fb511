import { InvalidConfigError, parseEnv } from "./server/env-schema";
import { recordPeerAddress } from "./server/peer-address";

/** Node.js server start: validate config (fail fast, naming every bad variable), record peer addresses, then Sentry. */
export async function registerNode() {
  try {
    parseEnv(process.env);
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      console.error(`LeadFlow cannot start. ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  recordPeerAddress();
  if (process.env.SENTRY_DSN) {
    const Sentry = await import("@sentry/nextjs");
    Sentry.init({ dsn: process.env.SENTRY_DSN, tracesSampleRate: 0.1 });
  }
}
