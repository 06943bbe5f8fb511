import "server-only";
import pino from "pino";
import { env } from "./env";

export const log = pino({
  level: env.NODE_ENV === "test" && !process.env.LOG_LEVEL ? "silent" : env.LOG_LEVEL,
  base: { service: "leadflow" },
  redact: ["password", "*.password", "passwordHash", "*.passwordHash", "token", "*.token"],
});
