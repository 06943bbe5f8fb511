import { db } from "@/server/db";
import { checkHealth } from "@/server/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await checkHealth(db);
  return Response.json(report, { status: report.status === "ok" ? 200 : 503 });
}
