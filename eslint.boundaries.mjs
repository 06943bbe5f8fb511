// The import arrows of ARCHITECTURE.md, enforced (eslint-plugin-boundaries). Every import is
// resolved to a file first — `@/server/x`, `../../server/x` and `./x` alike — then judged by
// what the importing file is and what the imported file is. Anything not allowed below fails.
// The README's "Layout" section says the same in prose; src/test/boundaries.test.ts proves
// the rules still fire through `npm run lint`'s config.
import boundaries from "eslint-plugin-boundaries";

/** Shared server modules: any capability may use them; they use no capability's internals. */
const SHARED_MODULES = ["budget", "compliance", "messaging", "audit", "auth", "lead-records", "csv", "realtime", "jobs", "automation", "notifications", "mail", "ai"];

/**
 * Server-only helpers a page or layout may import directly (everything else goes through the
 * tRPC RSC caller in src/trpc/server.ts): the viewer/session, and the sign-in page's provider list.
 */
const PAGE_SERVER_HELPERS = ["src/server/auth/session.ts", "src/server/auth/options.ts"];

const PLATFORM = "src/server/!(root|trpc).ts"; // db, env, errors, log, metrics, context, request, pagination …
const ROUTER = "src/server/**/router.ts";
const ROOT = "src/server/root.ts";
const TRPC_INIT = "src/server/trpc.ts";
const SCHEMA = "src/server/**/schema.ts"; // a capability's public contract (also what the client sees)
const JOB_HANDLERS = "src/server/jobs/handlers{.ts,/**}";
const TESTS = ["**/*.test.ts", "**/*.test.tsx", "src/test/**", "e2e/**"];

const el = (type, extra = {}) => ({ element: { type, ...extra } });
const file = (path) => ({ file: { path } });
const area = (name) => el("server", { captured: { area: name } });
const components = (feature) => el("components", { captured: { feature } });

const sharedModule = area(`{${SHARED_MODULES.join(",")}}`);
const providers = area("providers");
const capability = area(`!{${SHARED_MODULES.join(",")},providers}`);
const SAME_AREA = area("{{ from.element.captured.area }}");
const platformFile = file(PLATFORM);
const anySchema = file(SCHEMA);
const TRPC_CLIENT = file(["src/trpc/react.tsx", "src/trpc/query-client.ts"]);

export const boundariesConfig = [
  {
    files: ["src/**/*.{ts,tsx,js,mjs}", "scripts/**/*.{ts,mjs}", "prisma/**/*.ts"],
    ignores: TESTS,
    plugins: { boundaries },
    settings: {
      "boundaries/legacy-templates": false,
      "boundaries/include": ["src/**/*", "scripts/**/*", "prisma/**/*"],
      "boundaries/ignore": ["src/generated/**"],
      "boundaries/elements": [
        { type: "app-route", pattern: "src/app/api", partialMatch: false },
        { type: "app", pattern: "src/app", partialMatch: false },
        { type: "components", pattern: "src/components/*", capture: ["feature"], partialMatch: false },
        { type: "trpc", pattern: "src/trpc", partialMatch: false },
        { type: "lib", pattern: "src/lib", partialMatch: false },
        { type: "test-support", pattern: "src/test", partialMatch: false },
        // src/server/<area>/… and src/server/<file>.ts: area is a capability, a shared module,
        // providers, or (for a file directly in src/server) the platform file itself.
        { type: "server", pattern: "src/server/*", capture: ["area"], partialMatch: false },
        // Files directly in src/server (judged by path below: platform, root.ts, trpc.ts) and in src/.
        { type: "server-root", pattern: "src/server", partialMatch: false },
        { type: "scripts", pattern: "scripts", partialMatch: false },
        { type: "prisma", pattern: "prisma", partialMatch: false },
        { type: "src-root", pattern: "src", partialMatch: false },
      ],
      "boundaries/files": [
        { category: "entry", pattern: "src/*.ts" }, // proxy.ts, instrumentation*.ts
      ],
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "disallow",
          checkInternals: true, // a service importing its own router is still an arrow backwards
          message:
            "Import boundary: {{from.file.path}} may not import {{to.file.path}} (see the Layout section of README.md and ARCHITECTURE.md's arrows).",
          policies: [
            { from: el("lib"), allow: { to: el("lib") } },
            // --- components: ui/ is primitives only; shared/ depends on no feature ---
            { from: components("ui"), allow: { to: [components("ui"), el("lib")] } },
            { from: components("!ui"), allow: { to: [el("components"), el("lib"), TRPC_CLIENT] } },
            { from: components("shared"), disallow: { to: components("!{shared,ui}") } },
            // --- app: pages and layouts reach the server through the tRPC RSC caller ---
            { from: el("app"), allow: { to: [el("app"), el("components"), el("lib"), el("trpc"), ...PAGE_SERVER_HELPERS.map(file)] } },
            // Route handlers are the HTTP edge, like routers: they may call services and shared modules.
            { from: el("app-route"), allow: { to: [el("app-route"), el("lib"), el("server"), platformFile, file(ROOT), file(TRPC_INIT)] } },
            { from: el("app-route"), disallow: { to: providers } },
            { from: el("trpc"), allow: { to: [el("trpc"), el("lib"), file(ROOT), file(TRPC_INIT), file("src/server/request.ts"), file("src/server/auth/session.ts")] } },
            { from: { file: { categories: "entry" } }, allow: { to: [{ file: { categories: "entry" } }, el("lib"), platformFile] } },
            // --- server ---
            { from: platformFile, allow: { to: [platformFile, el("lib")] } },
            { from: file(TRPC_INIT), allow: { to: [platformFile, el("lib"), area("auth")] } },
            { from: file(ROOT), allow: { to: [file(ROUTER), file(TRPC_INIT)] } },
            { from: providers, allow: { to: [providers, platformFile, el("lib")] } },
            // A capability uses its own files, the shared modules, providers, the platform, lib, and
            // other capabilities' schema.ts (their public contract) — never their internals.
            { from: capability, allow: { to: [SAME_AREA, sharedModule, providers, platformFile, anySchema, el("lib")] } },
            { from: sharedModule, allow: { to: [SAME_AREA, sharedModule, providers, platformFile, anySchema, el("lib")] } },
            { from: file(ROUTER), allow: { to: file(TRPC_INIT) } },
            // The job handlers registry runs capabilities' work: it may call their services.
            { from: file(JOB_HANDLERS), allow: { to: el("server") } },
            // Scripts and the seed are entry points.
            { from: [el("scripts"), el("prisma")], allow: { to: [el("server"), platformFile, file(ROOT), file(TRPC_INIT), el("lib"), el("scripts"), el("prisma"), el("test-support")] } },
            // --- what nobody may import, whatever the above allows (last matching policy wins) ---
            { from: { file: { path: `!${ROOT}` } }, disallow: { to: file(ROUTER) }, message: "Routers are imported by src/server/root.ts only (a service never imports a router)." },
            { from: { file: { path: `!{${[ROUTER, ROOT].join(",")}}` }, element: { type: "server" } }, disallow: { to: file(TRPC_INIT) }, message: "Only routers build procedures; services take a ServiceContext from src/server/context.ts, not trpc.ts." },
            { from: { file: { path: "!scripts/worker.ts" } }, disallow: { to: file(JOB_HANDLERS) }, message: "Only scripts/worker.ts imports the job handlers; enqueue through @/server/jobs/queue." },
          ],
        },
      ],
    },
  },
  {
    // Schemas out of routers: a router declares .input()/.output() with schemas from schema.ts.
    files: [ROUTER],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "ImportDeclaration[source.value='zod']", message: "Define schemas in the capability's schema.ts; a router only imports them." },
      ],
    },
  },
];
