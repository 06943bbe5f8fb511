import * as Sentry from "@sentry/nextjs";
import { config as zodConfig } from "zod/v4/core";

// Zod probes `new Function("")` to compile faster parsers; the Content-Security-Policy (no
// 'unsafe-eval') blocks the probe and the browser reports a violation even though Zod catches it.
zodConfig({ jitless: true });

if (process.env.NEXT_PUBLIC_SENTRY_DSN) {
  Sentry.init({ dsn: process.env.NEXT_PUBLIC_SENTRY_DSN, tracesSampleRate: 0.1 });
}

export const onRouterTransitionStart = Sentry.captureRouterTransitionStart;
