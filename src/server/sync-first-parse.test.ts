import { initTRPC, TRPCError } from "@trpc/server";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { syncFirst, syncFirstParsing } from "./sync-first-parse";

const row = () => z.object({ id: z.string(), score: z.number().int(), tags: z.array(z.string()), at: z.date() });

describe("syncFirst", () => {
  it("answers parseAsync with parse, with the same value and the same errors as zod's own parseAsync", async () => {
    const plain = z.array(row());
    const patched = syncFirst(z.array(row()));
    const parse = vi.spyOn(patched, "parse");
    const good = [{ id: "a", score: 3, tags: ["x"], at: new Date(0) }];
    expect(await patched.parseAsync(good)).toEqual(await plain.parseAsync(good));
    expect(parse).toHaveBeenCalledTimes(1);

    const bad = [{ id: 1, score: 2.5, tags: "x", at: "yesterday" }];
    const expected = await plain.parseAsync(bad).catch((error: unknown) => error);
    const actual = await patched.parseAsync(bad).catch((error: unknown) => error);
    expect(actual).toBeInstanceOf(z.ZodError);
    expect((actual as z.ZodError).issues).toEqual((expected as z.ZodError).issues);
    expect((actual as z.ZodError).issues.map((issue) => issue.path.join("."))).toEqual(["0.id", "0.score", "0.tags", "0.at"]);
  });

  it("runs the asynchronous parse for a schema with an async refinement, which decides, and from its second call on only that", async () => {
    const checked = vi.fn(async (value: string) => value !== "taken");
    const schema = syncFirst(z.object({ name: z.string().refine(checked, "That name is taken.") }));
    expect(await schema.parseAsync({ name: "free" })).toEqual({ name: "free" });
    await expect(schema.parseAsync({ name: "taken" })).rejects.toMatchObject({ issues: [{ path: ["name"], message: "That name is taken." }] });
    // Started by the first call's synchronous attempt, then once a call.
    expect(checked.mock.calls.map(([value]) => value)).toEqual(["free", "free", "taken"]);
  });

  it("prepares a schema once, and leaves anything that is not a zod schema alone", async () => {
    const schema = syncFirst(z.string());
    const prepared = schema.parseAsync;
    expect(syncFirst(schema)).toBe(schema);
    expect(schema.parseAsync).toBe(prepared);
    const parse = vi.spyOn(schema, "parse");
    await schema.parseAsync("once");
    expect(parse).toHaveBeenCalledTimes(1);
    const notZod = { parseAsync: async (value: unknown) => value };
    expect(syncFirst(notZod)).toBe(notZod);
  });
});

describe("syncFirstParsing", () => {
  const t = initTRPC.create();
  const base = syncFirstParsing(t.procedure.use(({ next }) => next()));
  const input = z.object({ limit: z.number().int().min(1).max(50) });
  const output = z.object({ items: z.array(row()) });
  // Built through .meta() and .use(), as the app's role and API procedures are.
  const procedure = base
    .meta({})
    .use(({ next }) => next())
    .input(input)
    .output(output)
    .query(({ input: { limit } }) => ({ items: Array.from({ length: limit }, (_, i) => ({ id: `lead-${i}`, score: i, tags: [], at: new Date(i) })) }));
  const caller = t.createCallerFactory(t.router({ list: procedure }))({});

  it("validates the procedures' outputs with parse (inputs as tRPC does), and answers as before", async () => {
    const [parseInput, parseOutput] = [vi.spyOn(input, "parse"), vi.spyOn(output, "parse")];
    const answer = await caller.list({ limit: 2 });
    expect(answer.items.map((item) => item.id)).toEqual(["lead-0", "lead-1"]);
    expect(parseOutput).toHaveBeenCalledTimes(1);
    expect(parseInput).not.toHaveBeenCalled();
  });

  it("refuses an answer its output schema does not describe (INTERNAL_SERVER_ERROR), as before", async () => {
    const broken = t.createCallerFactory(t.router({ broken: base.output(z.object({ n: z.number() })).query(() => ({ n: "one" }) as unknown as { n: number }) }))({});
    const refused = await broken.broken().catch((error: unknown) => error);
    expect((refused as TRPCError).code).toBe("INTERNAL_SERVER_ERROR");
  });

  it("refuses bad input as BAD_REQUEST with zod's issues", async () => {
    const refused = await caller.list({ limit: 0 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("BAD_REQUEST");
    expect(((refused as TRPCError).cause as z.ZodError).issues[0]!.path).toEqual(["limit"]);
  });
});
