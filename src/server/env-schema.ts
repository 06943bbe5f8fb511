import { z } from "zod";

const cents = z.coerce.number().int().nonnegative();
const optionalString = z.string().trim().min(1).optional();

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// or postgresql:// URL"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  DATABASE_POOL_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /**
   * "0": no named prepared statements (db.ts querySql). The embedded PGlite serves every
   * connection, of every process, from one session, so one process's "leadflow_0" collides with
   * another's (42P05 "already exists"); the dev script and the tests turn them off there.
   */
  DATABASE_PREPARED_STATEMENTS: z.enum(["0", "1"]).default("1"),
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters"),
  SECRETS_ENCRYPTION_KEY: z.string().trim().min(32, "must be at least 32 characters").optional(),
  NEXTAUTH_URL: z.string().url().default("http://localhost:3000"),
  PUBLIC_BASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SENTRY_DSN: z.string().url().optional(),
  /**
   * The map's MapLibre style (lib/map-style.ts; default OpenFreeMap's public "liberty" style). Read
   * by the browser bundle at build time and by the CSP (its origin is allowed for the style, tiles
   * and glyphs). A path serves it from this app.
   */
  NEXT_PUBLIC_MAP_STYLE_URL: z
    .string()
    .trim()
    .refine((url) => url.startsWith("/") || /^https?:\/\/[^\s/]+/.test(url), "must be an http(s) URL or a path on this app (/…)")
    .optional(),
  METRICS_TOKEN: optionalString,
  CACHE_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  DAILY_CAP_ATTOM_CENTS: cents.default(1500),
  DAILY_CAP_BATCH_CENTS: cents.default(2000),
  DAILY_CAP_LOOKUP_CENTS: cents.default(500),
  DAILY_CAP_SMS_CENTS: cents.default(2000),
  DAILY_CAP_AI_CENTS: cents.default(500),
  COST_ATTOM_SEARCH_CENTS: cents.default(10),
  COST_BATCH_MATCH_CENTS: cents.default(7),
  COST_LOOKUP_CENTS: cents.default(1),
  COST_SMS_SEGMENT_CENTS: cents.default(1),
  COST_AI_REQUEST_CENTS: cents.default(1),
  GLOBAL_KILL_SWITCHES: z
    .string()
    .default("")
    .transform((list) => list.split(",").map((item) => item.trim()).filter(Boolean))
    .pipe(z.array(z.enum(["search", "skip_trace", "sms", "ai"], { message: "use a comma list of search, skip_trace, sms, ai" }))),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PROVIDER_DEADLINE_MS: z.coerce.number().int().positive().default(12_000),
  ATTOM_API_KEY: optionalString,
  ATTOM_BASE_URL: z.string().url().default("https://api.gateway.attomdata.com/propertyapi/v1.0.0"),
  BATCHDATA_API_TOKEN: optionalString,
  BATCHDATA_BASE_URL: z.string().url().default("https://api.batchdata.com/api/v1"),
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_LOOKUP_BASE_URL: z.string().url().default("https://lookups.twilio.com/v2"),
  /** Origin of the Twilio REST API (Messages); tests point it at a local fake. */
  TWILIO_API_BASE_URL: z.string().url().default("https://api.twilio.com"),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.string().url().default("https://api.openai.com/v1"),
  OPENAI_MODEL: z.string().default("gpt-4o-mini"),
  GOOGLE_CLIENT_ID: optionalString,
  GOOGLE_CLIENT_SECRET: optionalString,
  GITHUB_CLIENT_ID: optionalString,
  GITHUB_CLIENT_SECRET: optionalString,
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  INVITE_TTL_HOURS: z.coerce.number().int().positive().default(72),
  /** smtp://user:pass@host:587 or smtps://…: account email (invites, password resets). Unset: kept in the outbox, not sent. */
  SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, "must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z.string().trim().min(3).default("LeadFlow <no-reply@leadflow.test>"),
  /** "1" (npm run dev only): the unsent emails are readable, signed out, at /outbox. Never in production. */
  LEADFLOW_DEV_OUTBOX: z.enum(["0", "1"]).default("0"),
  /** "1": outbound webhooks may go to loopback and private addresses (development and tests). Default: public receivers only. */
  WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: z.enum(["0", "1"]).default("0"),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().positive().max(24 * 60).default(60),
});

export type Env = z.infer<typeof envSchema>;

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "InvalidConfigError";
  }
}

/** Parses the environment; blank strings count as unset so `FOO=` in a .env file is harmless. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new InvalidConfigError(
      result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  return result.data;
}
