import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { appRouter } from "@/server/root";
import { callerFor, createTeam, type TestUser } from "@/test/factories";
import { PROCEDURE_CATALOG, type MinimumRole } from "@/test/procedure-catalog";

type AnyCaller = Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
const RANK: Record<MinimumRole, number> = { public: -2, "signed-in": -1, user: 0, manager: 1, admin: 2 };

describe("roles: each procedure refuses members below its minimum role", () => {
  let team: { admin: TestUser; manager: TestUser; user: TestUser };
  beforeAll(async () => {
    team = await createTeam();
  });

  for (const path of Object.keys(appRouter._def.procedures).sort()) {
    const entry = PROCEDURE_CATALOG[path];
    if (!entry || RANK[entry.minRole] < RANK.user) continue;
    for (const role of ["user", "manager"] as const) {
      const allowed = RANK[role] >= RANK[entry.minRole];
      it(`${path} ${allowed ? "admits" : "refuses"} a ${role}`, async () => {
        const [namespace, name] = path.split(".") as [string, string];
        const caller = callerFor(team[role]) as unknown as AnyCaller;
        const outcome = await caller[namespace]![name]!(entry.input?.({ member: team.user })).then(
          () => null,
          (error: unknown) => error,
        );
        if (allowed) {
          expect((outcome as TRPCError | null)?.code).not.toBe("FORBIDDEN");
        } else {
          expect(outcome).toBeInstanceOf(TRPCError);
          expect((outcome as TRPCError).code).toBe("FORBIDDEN");
        }
      });
    }
  }

  it("refuses signed-out callers of every non-public procedure", async () => {
    for (const [path, entry] of Object.entries(PROCEDURE_CATALOG)) {
      if (entry.minRole === "public") continue;
      const [namespace, name] = path.split(".") as [string, string];
      const caller = callerFor(null) as unknown as AnyCaller;
      const error = await caller[namespace]![name]!(entry.input?.({ member: team.user })).catch((e: unknown) => e);
      expect((error as TRPCError).code, path).toBe("UNAUTHORIZED");
    }
  });
});
