import { env } from "@/server/env";
import { metrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint; disabled unless METRICS_TOKEN is set, then bearer-protected. */
export async function GET(req: Request) {
  if (!env.METRICS_TOKEN) return new Response("Metrics are disabled: set METRICS_TOKEN.", { status: 404 });
  if (req.headers.get("authorization") !== `Bearer ${env.METRICS_TOKEN}`) {
    return new Response("Unauthorized", { status: 401 });
  }
  return new Response(await metrics.registry.metrics(), { headers: { "content-type": metrics.registry.contentType } });
}
