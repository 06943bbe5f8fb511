import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { expect, test, type APIRequestContext, type APIResponse } from "./fixtures";
import { PROCEDURE_CATALOG } from "../src/test/procedure-catalog";
import { DEMO } from "./helpers";

// Malformed input over HTTP against the built app: wrong types, null, NUL characters, unpaired
// surrogates, 1 MB strings, unknown keys, deep nesting, arrays for objects, broken encodings and
// bodies — to every procedure of the procedure catalog (signed in as the demo admin, so role
// checks pass and validation is reached; on a second worker, the seeded history organization's
// admin, see FUZZ_ADMINS) and to every route handler under src/app/api (found on
// disk, so new ones are fuzzed too). No answer may be a 5xx. Counts by status go to stdout.
//
// Named to run last: inputs are malformed so that nothing should succeed, but a mutation that
// ignores its input (e.g. "sign out everywhere") runs anyway, so nothing after this may depend
// on the demo admin's (or the history admin's) state. A mutation that once answers 2xx gets no further variants.

const API_DIR = path.join(import.meta.dirname, "..", "src", "app", "api");
const NUL = "\u0000";
const LONE_SURROGATE = "\uD800";
const ONE_MB = "a".repeat(1_000_000);

type Call = { method: string; url: string; status: number | "no response"; body: string };
const calls: Call[] = [];

// Built as text: JSON.stringify of a value this deep overflows the test runner's own stack.
const deepArrayJson = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObjectJson = (depth: number) => '{"a":'.repeat(depth) + "{}" + "}".repeat(depth);

async function record(method: string, url: string, send: () => Promise<APIResponse>): Promise<Call> {
  let call: Call;
  try {
    const response = await send();
    const body = response.status() >= 500 ? (await response.text()).slice(0, 300) : "";
    call = { method, url: url.slice(0, 200), status: response.status(), body };
  } catch (error) {
    call = { method, url: url.slice(0, 200), status: "no response", body: String(error).slice(0, 300) };
  }
  calls.push(call);
  return call;
}

/**
 * A GET that settles on the response's status line: a subscription the input passes answers with
 * a server-sent-events stream that stays open for minutes, so its body is never awaited.
 */
async function getStatusOnly(context: APIRequestContext, baseURL: string, pathname: string): Promise<APIResponse> {
  const cookie = (await context.storageState()).cookies.map(({ name, value }) => `${name}=${value}`).join("; ");
  const status = await new Promise<number>((resolve, reject) => {
    const request = http.get(new URL(pathname, baseURL), { headers: { cookie } }, (response) => {
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    request.on("error", reject);
  });
  return { status: () => status, text: async () => "" } as unknown as APIResponse;
}

// ─────────────────────────────── procedures ───────────────────────────────

/** Inputs for catalog entries without one (public procedures), so field-level variants exist. */
const EXTRA_INPUTS: Record<string, unknown> = {
  "account.signUp": { name: "Fuzz", email: "fuzz@example.com", password: "fuzz-password-1", organizationName: "Fuzz Co", timeZone: "America/Chicago" },
  "account.inviteInfo": { token: "t".repeat(40) },
  "account.acceptInvite": { token: "t".repeat(40), name: "Fuzz", password: "fuzz-password-1" },
};
/** Nobody: ids in catalog inputs point at no real user, so nothing happens to the demo team. */
const NOBODY = { id: "fuzz-no-such-user", email: "nobody@example.com", orgId: "fuzz-no-such-org", role: "user" as const };

function baseInput(procedure: string): unknown {
  const entry = PROCEDURE_CATALOG[procedure];
  return entry?.input?.({ member: NOBODY }) ?? EXTRA_INPUTS[procedure];
}

type Leaf = { path: (string | number)[]; value: unknown };
function leaves(value: unknown, at: (string | number)[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, [...at, index]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => leaves(item, [...at, key]));
  return value === undefined ? [] : [{ path: at, value }];
}
function replaceLeaf(value: unknown, at: (string | number)[], replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const [head, ...rest] = at;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = replaceLeaf(copy[head!], rest, replacement);
  return copy;
}

/** Malformed inputs (as JSON text) for one procedure: the whole input wrong, then each field of a valid-shaped input wrong. */
function malformedInputs(procedure: string, isQuery: boolean): { name: string; json: string }[] {
  const base = baseInput(procedure);
  const variants: { name: string; input: unknown }[] = [
    { name: "null", input: null },
    { name: "number", input: 12345 },
    { name: "string", input: "not an object" },
    { name: "boolean", input: true },
    { name: "empty array", input: [] },
    { name: "array of the input", input: [base ?? {}] },
    { name: "NUL", input: NUL },
    { name: "unknown keys only", input: { ["__proto__"]: { admin: true }, constructor: { prototype: { polluted: 1 } }, unknownKey: ONE_MB.slice(0, 1000) } },
    { name: "NUL key", input: { [`k${NUL}`]: 1 } },
    { name: "lone surrogate key", input: { [`k${LONE_SURROGATE}`]: 1 } },
  ];
  if (isQuery && base !== undefined) variants.push({ name: "unknown keys with a valid input", input: { ...(base as object), unknownKey: "x", nested: { deeper: [1, 2] } } });
  let sentOneMegabyte = false;
  for (const leaf of leaves(base)) {
    const where = leaf.path.join(".");
    const replacements: [string, unknown][] = [
      ["null", null],
      ["number", -1.5],
      ["huge number", 1e308],
      ["object", { nested: true }],
      ["array", ["x"]],
      ["boolean", false],
    ];
    if (typeof leaf.value === "string") {
      replacements.push(["NUL", `${leaf.value.slice(0, 1)}${NUL}${leaf.value.slice(1)}`], ["lone surrogate", `${leaf.value}${LONE_SURROGATE}`], ["only NUL", NUL]);
      if (!sentOneMegabyte && !isQuery) replacements.push(["1 MB string", ONE_MB]);
      sentOneMegabyte = true;
    } else {
      replacements.push(["string", "not-the-type"], ["NUL string", NUL]);
    }
    for (const [name, replacement] of replacements) variants.push({ name: `${where}: ${name}`, input: replaceLeaf(base, leaf.path, replacement) });
  }
  return [
    ...variants.map(({ name, input }) => ({ name, json: JSON.stringify(input) })),
    { name: "deep arrays", json: deepArrayJson(isQuery ? 2000 : 10_000) },
    { name: "deep objects", json: deepObjectJson(isQuery ? 1000 : 5000) },
  ];
}

/** A procedure's URL; with `json` (an input as JSON text), a GET with that input in superjson's envelope. */
const trpcUrl = (procedure: string, json?: string) =>
  json === undefined ? `/api/trpc/${procedure}` : `/api/trpc/${procedure}?input=${encodeURIComponent(`{"json":${json}}`)}`;

/**
 * The admins the fuzz signs in as, one per worker (`npm test` runs this file on 2): the demo
 * admin, and the admin of the seeded history organization (Harbor Homes, prisma/seed.ts; same
 * password). A mutation that ignores its input (e.g. "sign out everywhere") then only ever signs
 * out the worker that sent it, and each half of the procedures is fuzzed in an organization with data.
 */
const FUZZ_ADMINS = [DEMO, { email: "history@leadflow.test", password: DEMO.password }] as const;
let adminAccount: (typeof FUZZ_ADMINS)[number] = DEMO;

async function signInAsAdmin(request: APIRequestContext) {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email: adminAccount.email, password: adminAccount.password, json: "true" },
  });
  expect(response.status(), `${adminAccount.email} signs in`).toBeLessThan(400);
  const me = await request.get(trpcUrl("account.me"));
  expect(me.status(), `signed in as ${adminAccount.email}`).toBe(200);
}

let admin: APIRequestContext;
let stranger: APIRequestContext;
let appURL: string;

// The tests are independent (each fuzzes one procedure or route), so they are shared out among the
// workers; each worker signs in once, as its own admin.
test.describe.configure({ mode: "parallel" });

test.beforeAll(async ({ playwright }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL;
  appURL = baseURL!;
  adminAccount = FUZZ_ADMINS[testInfo.parallelIndex % FUZZ_ADMINS.length]!;
  admin = await playwright.request.newContext({ baseURL });
  stranger = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  restKey = await createRestKey(admin);
});

test.afterAll(async () => {
  const byStatus = new Map<string, number>();
  for (const call of calls) byStatus.set(String(call.status), (byStatus.get(String(call.status)) ?? 0) + 1);
  const counts = Object.fromEntries([...byStatus.entries()].sort(([a], [b]) => a.localeCompare(b)));
  console.log(`HTTP fuzz (as ${adminAccount.email}): ${calls.length} calls by status ${JSON.stringify(counts)}`);
  await admin?.dispose();
  await stranger?.dispose();
});

function expectNoServerErrors(from: Call[], what: string) {
  const failures = from.filter((call) => call.status === "no response" || call.status >= 500);
  expect(failures, `${what}: responses with status ≥ 500 or none at all`).toEqual([]);
}

for (const procedure of Object.keys(PROCEDURE_CATALOG).sort()) {
  test(`procedure ${procedure}: malformed input is never a 5xx`, async () => {
    test.setTimeout(180_000);
    const before = calls.length;
    const get = PROCEDURE_CATALOG[procedure]!.stream ? (url: string) => getStatusOnly(admin, appURL, url) : (url: string) => admin.get(url);
    // A mutation answers a GET with 405; a query (or a procedure without input) takes the GET.
    const probe = await record("GET", trpcUrl(procedure, "12345"), () => get(trpcUrl(procedure, "12345")));
    const isQuery = probe.status !== 405;

    for (const { name, json } of malformedInputs(procedure, isQuery)) {
      const call = isQuery
        ? await record("GET", `${trpcUrl(procedure)} ${name}`, () => get(trpcUrl(procedure, json)))
        : await record("POST", `${trpcUrl(procedure)} ${name}`, () =>
            admin.post(trpcUrl(procedure), { headers: { "content-type": "application/json" }, data: `{"json":${json}}` }),
          );
      if (!isQuery && typeof call.status === "number" && call.status < 300) break; // it ignores its input; don't repeat it
    }

    // Transport-level garbage: the wrong method, bodies that are not JSON, superjson meta that lies.
    const url = trpcUrl(procedure);
    const raw = (label: string, data: string | Buffer, contentType = "application/json") =>
      record("POST", `${url} ${label}`, () => admin.post(url, { headers: { "content-type": contentType }, data }));
    if (isQuery) {
      await record("POST", `${url} (wrong method)`, () => admin.post(url, { headers: { "content-type": "application/json" }, data: "{}" }));
      await record("GET", `${url}?input=garbage`, () => get(`${url}?input=%7Bnot%20json`));
      await record("GET", `${url}?batch=1&input=[]`, () => get(`${url}?batch=1&input=${encodeURIComponent("[1,2]")}`));
      await record("GET", `${url}?input= meta`, () =>
        get(`${url}?input=${encodeURIComponent(JSON.stringify({ json: {}, meta: { values: { x: ["bigint"], "a.b.c": [["custom", "nope"]] } } }))}`),
      );
      // Node refuses a URL past its 16 KB header limit with 431 and closes the socket at once; while
      // the client is still writing the rest of the megabyte it may see that as a reset instead.
      // Either way the app never ran; what must not happen is a 5xx.
      const oversized = await record("GET", `${url}?input= 1 MB`, () => get(`${url}?input=${ONE_MB}`));
      if (oversized.status === "no response" && /ECONNRESET|EPIPE/.test(oversized.body)) oversized.status = 431;
    } else {
      await raw("not JSON", "this is not JSON");
      await raw("truncated JSON", '{"json":{"a":');
      await raw("binary", Buffer.from([0, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x7b]));
      await raw("text/plain", "{}", "text/plain");
      await raw("superjson meta", JSON.stringify({ json: {}, meta: { values: { x: ["bigint"], __proto__: ["Date"], "a.b": [["class", "Nope"]] } } }));
      await raw("json without wrapper", JSON.stringify(baseInput(procedure) ?? {}).replace(/"/, `"${NUL}`));
      await raw("batch shape in a single call", JSON.stringify({ 0: { json: null } }));
      await record("POST", `${url}?batch=1 mismatched`, () =>
        admin.post(`${url},${procedure}?batch=1`, { headers: { "content-type": "application/json" }, data: JSON.stringify([{ json: null }]) }),
      );
      await record("GET", `${url} (wrong method)`, () => admin.get(url));
    }

    expectNoServerErrors(calls.slice(before), procedure);
    // A mutation that ignores its input may have signed us out (revoked the session): sign in again.
    if ((await admin.get(trpcUrl("account.me"))).status() === 401) await signInAsAdmin(admin);
  });
}

/** POSTs `total` bytes in chunks with no Content-Length (Transfer-Encoding: chunked), as a streaming client does. */
function postChunked(baseURL: string, pathname: string, cookie: string, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(pathname, baseURL), { method: "POST", headers: { "content-type": "application/json", cookie } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, "x");
    request.write('{"json":{"leadId":"missing","body":"');
    let sent = 0;
    const writeMore = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", writeMore);
      }
      request.end('"}}');
    };
    writeMore();
  });
}

test("tRPC: unknown procedures, broken paths, oversized batches and bodies are 4xx", async ({}, testInfo) => {
  const before = calls.length;
  const json = { "content-type": "application/json" };
  await record("GET", "/api/trpc/nope.nothing", () => admin.get("/api/trpc/nope.nothing"));
  await record("GET", "/api/trpc/%00", () => admin.get("/api/trpc/%00"));
  await record("GET", "/api/trpc/%ED%A0%80", () => admin.get("/api/trpc/%ED%A0%80"));
  await record("GET", "/api/trpc/__proto__.constructor", () => admin.get("/api/trpc/__proto__.constructor"));

  const batchOf = (size: number) => ({
    url: `/api/trpc/${Array.from({ length: size }, () => "notes.add").join(",")}?batch=1`,
    body: JSON.stringify(Object.fromEntries(Array.from({ length: size }, (_, i) => [i, { json: { leadId: "missing", body: "x" } }]))),
  });
  const twenty = batchOf(20);
  const atTheCap = await record("POST", "/api/trpc/notes.add×20?batch=1", () => admin.post(twenty.url, { headers: json, data: twenty.body }));
  expect(atTheCap.status, "20 calls are allowed (each answers NOT_FOUND for the missing lead)").toBeLessThan(500);
  expect(atTheCap.status).not.toBe(400);
  const twentyOne = batchOf(21);
  const overTheCap = await record("POST", "/api/trpc/notes.add×21?batch=1", () => admin.post(twentyOne.url, { headers: json, data: twentyOne.body }));
  expect(overTheCap.status).toBe(400);

  // One org's 500-call batches used to hold the pool (another org's request: ~100 ms → 3.4 s).
  const flood = batchOf(500);
  const started = Date.now();
  const floods = Array.from({ length: 5 }, () => record("POST", "/api/trpc/notes.add×500?batch=1", () => admin.post(flood.url, { headers: json, data: flood.body })));
  const otherStarted = Date.now();
  const other = await record("GET", "/api/trpc/account.me (during the flood)", () => admin.get(trpcUrl("account.me")));
  const otherMs = Date.now() - otherStarted;
  for (const answer of await Promise.all(floods)) expect(answer.status).toBe(400);
  expect(other.status).toBe(200);
  console.log(`5 × 500-call batches refused in ${Date.now() - started} ms; a request sent alongside took ${otherMs} ms`);

  const declared = await record("POST", "/api/trpc/notes.add (2 MB body)", () =>
    admin.post("/api/trpc/notes.add", { headers: json, data: JSON.stringify({ json: { leadId: "missing", body: "x".repeat(2_000_000) } }) }),
  );
  expect(declared.status).toBe(413);
  const cookie = (await admin.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const baseURL = testInfo.project.use.baseURL!;
  const streamed = await record("POST", "/api/trpc/notes.add (2 MiB chunked)", async () => {
    const status = await postChunked(baseURL, "/api/trpc/notes.add", cookie, 2 * 1024 * 1024);
    return { status: () => status, text: async () => "" } as unknown as APIResponse;
  });
  expect(streamed.status).toBe(413);
  expectNoServerErrors(calls.slice(before), "tRPC transport");
});

// ─────────────────────────────── route handlers ───────────────────────────────

type Route = { file: string; segments: string[]; methods: string[]; queryNames: string[] };

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js)$/.test(entry.name) ? [full] : [];
  });
}

function describeRoute(file: string): Route {
  const source = readFileSync(file, "utf8");
  const segments = path
    .relative(path.join(API_DIR, ".."), path.dirname(file))
    .split(path.sep)
    .filter((segment) => !/^\(.*\)$/.test(segment));
  const methods = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:async\s+)?(?:function|const)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(match[1]!);
  for (const match of source.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(match[1]!);
  const queryNames = new Set<string>();
  for (const match of source.matchAll(/(?:searchParams\.get|searchParam|jsonSearchParam)\((?:url,\s*)?"([^"]+)"/g)) queryNames.add(match[1]!);
  return { file: path.relative(API_DIR, file), segments, methods: [...methods], queryNames: [...queryNames] };
}

/** A harmless value for each dynamic segment (what the route expects is irrelevant: none exists). */
function fill(route: Route, replace?: { index: number; value: string }): string {
  return (
    "/" +
    route.segments
      .map((segment, index) => {
        if (replace && replace.index === index) return replace.value;
        if (/^\[\[?\.\.\./.test(segment)) return "session";
        if (/^\[.*\]$/.test(segment)) return segment === "[trpc]" ? "account.me" : "does-not-exist";
        return segment;
      })
      .join("/")
  );
}

const BAD_SEGMENTS = ["%00", "a%00b", "%ED%A0%80", "%CE%A9%ED%A0%80", "%FF", "%E0%A4%A", "%", "..%2F..%2Fetc", "x".repeat(5000), "%F0%9F%8F%A0"];
const BAD_QUERY_VALUES = ["%00", "%ED%A0%80", "%7Bnot%20json", encodeURIComponent(JSON.stringify({ q: NUL, tagIds: [LONE_SURROGATE] })), encodeURIComponent(deepArrayJson(1500)), encodeURIComponent(JSON.stringify([{}])), "x".repeat(8000)];
const BAD_BODIES: { label: string; contentType?: string; data: string | Buffer }[] = [
  { label: "JSON content type, not JSON", contentType: "application/json", data: "not json" },
  { label: "empty JSON", contentType: "application/json", data: "" },
  { label: "JSON array", contentType: "application/json", data: "[1,2,3]" },
  { label: "JSON with NUL", contentType: "application/json", data: JSON.stringify({ email: NUL, password: LONE_SURROGATE, csrfToken: NUL }) },
  { label: "deep JSON", contentType: "application/json", data: deepArrayJson(10_000) },
  { label: "form with NUL", contentType: "application/x-www-form-urlencoded", data: "email=%00&password=%ED%A0%80&csrfToken=%00&callbackUrl=%00" },
  { label: "form garbage", contentType: "application/x-www-form-urlencoded", data: "%%%&&&==%ZZ" },
  { label: "binary, no content type", data: Buffer.from([0, 1, 2, 0xff, 0xfe, 0xed, 0xa0, 0x80]) },
  { label: "multipart garbage", contentType: "multipart/form-data; boundary=nope", data: "--wrong\r\n\r\n" },
  { label: "2 MB JSON string", contentType: "application/json", data: JSON.stringify({ json: "x".repeat(2_000_000) }) },
];

/** Where a catch-all route (next-auth's) takes bodies. */
const CATCH_ALL_TAILS = ["session", "callback/credentials", "signin/credentials", "signout", "_log"];

/**
 * The REST API (api/v1/[...path]) is fuzzed with an API key of the demo admin's holding every
 * scope (and a limit no fuzz reaches), so malformed input gets past authentication to validation;
 * its tails are its operations' paths, and the lead list gets the bad query values.
 */
let restKey = "";
const REST_TAILS = ["leads", "leads/does-not-exist", "leads/does-not-exist/notes", "leads/does-not-exist/tags", "tags", "notes/does-not-exist", "campaigns", "campaigns/does-not-exist", "suppressions"];
const REST_QUERY_NAMES = ["limit", "status", "hasPhone", "scoreMin", "q", "cursor", "sort", "tagId"];
async function createRestKey(context: APIRequestContext): Promise<string> {
  const scopes = ["leads:read", "leads:write", "tags:read", "tags:write", "notes:write", "campaigns:read", "suppressions:write"];
  const response = await context.post("/api/trpc/apiKeys.create", { headers: { "content-type": "application/json" }, data: JSON.stringify({ json: { name: "HTTP fuzz", scopes, rateLimitPerMinute: 10_000 } }) });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { result: { data: { json: { key: string } } } }).result.data.json.key;
}

const routes = routeFiles(API_DIR).map(describeRoute);

test("every route handler under src/app/api is found", () => {
  expect(routes.length).toBeGreaterThan(0);
  for (const route of routes) expect(route.methods, `${route.file} exports a method`).not.toEqual([]);
});

for (const route of routes) {
  test(`route ${route.file}: malformed paths, queries and bodies are never a 5xx`, async () => {
    test.setTimeout(180_000);
    const before = calls.length;
    // The auth routes are fuzzed signed out (as an attacker would), so nothing signs the admin out.
    const client = route.segments[1] === "auth" ? stranger : admin;
    const rest = route.segments[1] === "v1";
    const auth: Record<string, string> = rest ? { authorization: `Bearer ${restKey}` } : {};
    const send = (method: string, url: string, options: { headers?: Record<string, string>; data?: string | Buffer } = {}, label = "") =>
      record(method, `${url} ${label}`.trim(), () => client.fetch(url, { method, ...options, headers: { ...auth, ...options.headers }, maxRedirects: 0 }));

    for (const method of route.methods) {
      const dynamic = route.segments.flatMap((segment, index) => (/^\[/.test(segment) ? [index] : []));
      for (const index of dynamic) for (const value of BAD_SEGMENTS) await send(method, fill(route, { index, value }));
      const names = [...route.queryNames, "callbackUrl", "input", "filters"];
      for (const name of names) for (const value of BAD_QUERY_VALUES) await send(method, `${fill(route)}?${name}=${value}`);
      if (rest && method === "GET" && dynamic.length > 0) {
        const catchAll = route.segments.findIndex((segment) => /^\[\[?\.\.\./.test(segment));
        for (const tail of REST_TAILS) await send(method, fill(route, { index: catchAll, value: tail }));
        for (const name of REST_QUERY_NAMES) for (const value of BAD_QUERY_VALUES) await send(method, `${fill(route, { index: catchAll, value: "leads" })}?${name}=${value}`);
      }
      if (method !== "GET") {
        const catchAll = route.segments.findIndex((segment) => /^\[\[?\.\.\./.test(segment));
        const urls = catchAll < 0 ? [fill(route)] : (rest ? REST_TAILS : CATCH_ALL_TAILS).map((value) => fill(route, { index: catchAll, value }));
        for (const url of urls) {
          for (const body of BAD_BODIES) {
            await send(method, url, { headers: body.contentType ? { "content-type": body.contentType } : {}, data: body.data }, body.label);
          }
        }
      }
    }
    await send("GET", fill(route), { headers: { cookie: "next-auth.session-token=garbage; next-auth.callback-url=%00; next-auth.csrf-token=%ED%A0%80" } });
    expectNoServerErrors(calls.slice(before), route.file);
  });
}
