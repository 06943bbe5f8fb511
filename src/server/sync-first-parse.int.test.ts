import { describe, expect, it, vi } from "vitest";
import { listLeadsOutput } from "@/server/leads/schema";
import { callerFor, createTeam } from "@/test/factories";

describe("the app's procedures", () => {
  it("validate their answers with the output schema's synchronous parse (server/trpc.ts builds every procedure with syncFirstParsing)", async () => {
    const team = await createTeam();
    await callerFor(team.manager).leads.create({ addressLine1: "12 Parse St", city: "Austin", state: "TX", zip: "78701", ownerName: "Jordan Rivera" });
    const parse = vi.spyOn(listLeadsOutput, "parse");
    try {
      const page = await callerFor(team.manager).leads.list({ limit: 10 });
      expect(page.items.map((item) => item.addressLine1)).toEqual(["12 Parse St"]);
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });
});
