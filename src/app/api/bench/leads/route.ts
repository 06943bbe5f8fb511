import { timingSafeEqual } from "node:crypto";
import { db } from "@/server/db";
import { listLeadsInput } from "@/server/leads/schema";
import { listLeads } from "@/server/leads/service";

export const dynamic = "force-dynamic";

/**
 * The raw-SQL floor of `npm run bench -- leads-http`: leads.list's default page of an organization
 * fetched by the list's own one statement (leads/service.ts listLeads) and answered as JSON — no
 * session, membership, tRPC or superjson. It exists only while LEADFLOW_BENCH_KEY is set (the
 * bench sets a random one for the `next start` it runs) and only for a request carrying that key;
 * otherwise it is a 404 like any unknown path.
 */
export async function GET(req: Request) {
  const key = process.env.LEADFLOW_BENCH_KEY;
  const given = Buffer.from(req.headers.get("x-bench-key") ?? "");
  if (!key || key.length < 32 || given.length !== Buffer.byteLength(key) || !timingSafeEqual(given, Buffer.from(key))) {
    return new Response("Not found", { status: 404 });
  }
  const orgId = new URL(req.url).searchParams.get("org");
  if (!orgId) return new Response("org is required", { status: 400 });
  const page = await listLeads({ db, orgId, userId: "bench", role: "user", requestId: "bench" }, listLeadsInput.parse({ limit: 50 }));
  return Response.json(page, { headers: { "cache-control": "no-store" } });
}
