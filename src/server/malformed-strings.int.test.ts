import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { z } from "zod";
import { appRouter } from "@/server/root";
import { createTRPCContext } from "@/server/trpc";
import { callerFor, createMember, createTeam, sessionFor, type TestUser } from "@/test/factories";
import { PROCEDURE_CATALOG } from "@/test/procedure-catalog";

// Issue 8 item 7: a NUL character (Postgres refuses U+0000 in text) or an unpaired surrogate
// (Prisma's JSON protocol refuses it) in any string of any procedure's input was a 500. Every
// such input must be a BAD_REQUEST that names the field — from the procedure's own schema and,
// for whatever a schema does not cover, from the input check every procedure runs first.

type AnyCaller = Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
type Path = (string | number)[];

function call(caller: unknown, path: string, input: unknown) {
  const [namespace, name] = path.split(".") as [string, string];
  return (caller as AnyCaller)[namespace]![name]!(input);
}

/** Inputs for the procedures whose catalog entry has none (public procedures). */
const EXTRA_INPUTS: Record<string, unknown> = {
  "account.signUp": { name: "Nul Tester", email: "nul-tester@example.com", password: "a-long-password", organizationName: "Nul Co", timeZone: "America/Chicago" },
  "account.inviteInfo": { token: "t".repeat(40) },
  "account.acceptInvite": { token: "t".repeat(40), name: "Nul Tester", password: "a-long-password" },
};

function stringLeaves(value: unknown, path: Path = []): Path[] {
  if (typeof value === "string") return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringLeaves(item, [...path, index]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, [...path, key]));
  return [];
}

function withLeaf(value: unknown, path: Path, replace: (old: string) => string): unknown {
  if (path.length === 0) return replace(value as string);
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = withLeaf(copy[head!], rest, replace);
  return copy;
}

const BAD_STRINGS = [
  { name: "a NUL character", insert: (text: string) => `${text.slice(0, 1)}\u0000${text.slice(1)}`, message: /must not contain NUL characters/ },
  { name: "an unpaired surrogate", insert: (text: string) => `${text}\uD800`, message: /must not contain malformed Unicode/ },
];

const procedurePaths = Object.keys(appRouter._def.procedures).sort();

describe("NUL characters and unpaired surrogates in procedure inputs", () => {
  let admin: TestUser;
  let member: TestUser;
  const baseInput = (path: string): unknown => PROCEDURE_CATALOG[path]?.input?.({ member }) ?? EXTRA_INPUTS[path];

  beforeAll(async () => {
    const team = await createTeam("Malformed strings");
    admin = team.admin;
    member = await createMember(team.org.id, "user");
  });

  for (const path of procedurePaths) {
    it(`${path}: every string field's schema refuses them`, () => {
      const base = baseInput(path);
      const leaves = stringLeaves(base);
      const parser = (appRouter._def.procedures as unknown as Record<string, { _def: { inputs: z.ZodType[] } }>)[path]!._def.inputs[0];
      if (!parser || leaves.length === 0) return; // no string input: the input check below covers it
      expect(parser.safeParse(base).success, `${path}: the catalog's input is valid, so only the bad string can fail`).toBe(true);
      for (const leaf of leaves) {
        for (const bad of BAD_STRINGS) {
          const result = parser.safeParse(withLeaf(base, leaf, bad.insert));
          expect(result.success, `${path} ${leaf.join(".")} with ${bad.name}`).toBe(false);
        }
      }
    });

    it(`${path}: a call with them anywhere is BAD_REQUEST naming the field, never a 500`, async () => {
      const base = baseInput(path);
      const leaves = stringLeaves(base);
      const probes: { input: unknown; field: string; message: RegExp }[] = [];
      for (const bad of BAD_STRINGS) {
        for (const leaf of leaves) probes.push({ input: withLeaf(base, leaf, bad.insert), field: leaf.join("."), message: bad.message });
        // A key, or a field no schema reads.
        const object = base && typeof base === "object" && !Array.isArray(base) ? base : {};
        probes.push({ input: { ...object, [bad.insert("probe")]: 1 }, field: bad.insert("probe"), message: bad.message });
        probes.push({ input: { ...object, probe: [bad.insert("x")] }, field: "probe.0", message: bad.message });
      }
      const caller = callerFor(admin);
      for (const probe of probes) {
        const error = await call(caller, path, probe.input).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error, `${path} ${probe.field}`).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code, `${path} ${probe.field}: ${(error as Error).message}`).toBe("BAD_REQUEST");
        expect((error as Error).message, `${path} ${probe.field}`).toMatch(probe.message);
        expect((error as Error).message, `${path}: the message names the field`).toContain(probe.field);
      }
    });
  }

  it("over HTTP the error carries the field in zodIssues, as a schema's error does, for the form to show", async () => {
    const session = await sessionFor(admin);
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://app.test/api/trpc/notes.add", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { leadId: "missing", body: "hello\u0000" } }),
      }),
      router: appRouter,
      createContext: () => createTRPCContext({ session, requestId: "zod-issues" }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { json: { message: string; data: { zodIssues: { fieldErrors: Record<string, string[]> } } } } };
    expect(error.json.message).toBe("body must not contain NUL characters (U+0000).");
    expect(error.json.data.zodIssues.fieldErrors).toEqual({ body: ["body must not contain NUL characters (U+0000)."] });
  });

  it("over HTTP a schema's refusal has a readable message and the domain code, not the issues as JSON", async () => {
    const session = await sessionFor(admin);
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://app.test/api/trpc/notes.add", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { leadId: "missing", body: "x".repeat(10_001) } }),
      }),
      router: appRouter,
      createContext: () => createTRPCContext({ session, requestId: "readable" }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { json: { message: string; data: { appCode: string; zodIssues: { fieldErrors: Record<string, string[]> } } } } };
    expect(error.json.data.appCode).toBe("BAD_REQUEST");
    expect(error.json.message).toMatch(/^Please check the request — body: /);
    expect(error.json.message).not.toContain("[");
    expect(Object.keys(error.json.data.zodIssues.fieldErrors)).toEqual(["body"]);
  });

  it("refuses input nested deeper than any procedure takes, without exhausting the stack", async () => {
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const error = await callerFor(admin).notes.add(deep as never).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as Error).message).toMatch(/nested more than 32 levels deep/);
  });
});
