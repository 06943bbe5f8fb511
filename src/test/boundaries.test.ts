import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The import arrows (eslint.boundaries.mjs) run through the project's own ESLint config, the one
 * `npm run lint` uses, on source text placed at a path in the tree. The imported files are real,
 * so each case fails if the rule, the config wiring or the import resolution stops working.
 */
const root = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root });

async function architectureErrors(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  const messages = result?.messages ?? [];
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === "boundaries/dependencies" || m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

const refused: [string, string, string, RegExp][] = [
  ["a component importing a service by relative path", "src/components/leads/fixture.tsx", `import { listLeads } from "../../server/leads/service";`, /may not import src\/server\/leads\/service\.ts/],
  ["a component importing a service by alias", "src/components/leads/fixture.tsx", `import { listLeads } from "@/server/leads/service";`, /may not import src\/server\/leads\/service\.ts/],
  ["a component importing a schema", "src/components/leads/fixture.tsx", `import { leadIdInput } from "@/server/leads/schema";`, /may not import src\/server\/leads\/schema\.ts/],
  ["a component importing the RSC caller", "src/components/leads/fixture.tsx", `import { api } from "@/trpc/server";`, /may not import src\/trpc\/server\.ts/],
  ["a page importing a service", "src/app/(app)/fixture/page.tsx", `import { listLeads } from "@/server/leads/service";`, /may not import src\/server\/leads\/service\.ts/],
  ["lib importing the database", "src/lib/fixture.ts", `import { db } from "../server/db";`, /may not import src\/server\/db\.ts/],
  ["lib importing a component", "src/lib/fixture.ts", `import { cn } from "@/components/ui/cn";`, /may not import src\/components\/ui\/cn\.ts/],
  ["a provider importing a service", "src/server/providers/fixture.ts", `import { searchProperties } from "../search/service";`, /may not import src\/server\/search\/service\.ts/],
  ["a provider importing a shared module", "src/server/providers/fixture.ts", `import { recordAudit } from "../audit/record";`, /may not import src\/server\/audit\/record\.ts/],
  ["one capability reaching into another's service", "src/server/search/fixture.ts", `import { listLeads } from "../leads/service";`, /may not import src\/server\/leads\/service\.ts/],
  ["a shared module reaching into a capability", "src/server/lead-records/fixture.ts", `import { listLeads } from "../leads/service";`, /may not import src\/server\/leads\/service\.ts/],
  ["a service importing its own router", "src/server/leads/fixture.ts", `import { leadsRouter } from "./router";`, /Routers are imported by src\/server\/root\.ts only/],
  ["a route handler importing a router", "src/app/api/fixture/route.ts", `import { leadsRouter } from "@/server/leads/router";`, /Routers are imported by src\/server\/root\.ts only/],
  ["a service importing trpc.ts", "src/server/leads/fixture.ts", `import { orgProcedure } from "../trpc";`, /Only routers build procedures/],
  ["a service importing the job handlers", "src/server/search/fixture.ts", `import * as handlers from "../jobs/handlers";`, /Only scripts\/worker\.ts imports the job handlers/],
  ["the job queue importing the job handlers", "src/server/jobs/fixture.ts", `import * as handlers from "./handlers";`, /Only scripts\/worker\.ts imports the job handlers/],
  ["shared UI depending on a feature", "src/components/shared/fixture.tsx", `import { StatusBadge } from "@/components/leads/bits";`, /may not import src\/components\/leads\/bits\.tsx/],
  ["a router defining a schema inline", "src/server/leads/router.ts", `import { z } from "zod";`, /Define schemas in the capability's schema\.ts/],
];

const allowed: [string, string, string][] = [
  ["a component using the tRPC client, ui, shared pieces and another feature", "src/components/leads/fixture.tsx", `import { api } from "@/trpc/react";\nimport { Button } from "../ui/button";\nimport { Time } from "@/components/shared/time";\nimport { SkipTraceButton } from "@/components/skip-trace/skip-trace-dialog";`],
  ["a page using the RSC caller, the session and components", "src/app/(app)/fixture/page.tsx", `import { api } from "@/trpc/server";\nimport { getViewerState } from "@/server/auth/session";\nimport { QueryBoundary } from "@/components/shared/query-boundary";`],
  ["a capability using its own files, shared modules, providers, the platform, lib and another's schema", "src/server/search/fixture.ts", `import { searchProperties } from "./service";\nimport { recordActivities } from "../lead-records/activity";\nimport { reserve } from "../budget/ledger";\nimport { enqueue } from "../jobs/queue";\nimport { propertySearchProvider } from "../providers/registry";\nimport { db } from "../db";\nimport type { ServiceContext } from "../context";\nimport { leadIdInput } from "../leads/schema";\nimport { formatCents } from "@/lib/money";`],
  ["a router using trpc.ts, its schema and its service", "src/server/leads/router.ts", `import { orgProcedure } from "../trpc";\nimport { leadIdInput } from "./schema";\nimport { getLead } from "./service";`],
  ["root.ts using the routers", "src/server/root.ts", `import { leadsRouter } from "./leads/router";\nimport { createTRPCRouter } from "./trpc";`],
  ["a route handler using a service and the platform", "src/app/api/fixture/route.ts", `import { leadsCsvStream } from "@/server/leads/export";\nimport { AppError } from "@/server/errors";`],
  ["the worker loading the job handlers", "scripts/worker.ts", `import * as handlers from "../src/server/jobs/handlers";`],
];

describe("import boundaries (npm run lint)", () => {
  it.each(refused)("refuses %s", async (_name, filePath, code, message) => {
    const errors = await architectureErrors(filePath, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each(allowed)("allows %s", async (_name, filePath, code) => {
    expect(await architectureErrors(filePath, code)).toEqual([]);
  });
}, 120_000);
