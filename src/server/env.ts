import "server-only";
import { parseEnv } from "./env-schema";

export type { Env } from "./env-schema";

/** Validated configuration. Importing this module fails fast, naming every bad variable. */
export const env = parseEnv(process.env);
