import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * MapLibre's web worker, served from this app so the page's CSP needs only `worker-src 'self'`
 * (not blob:). maplibre-gl 6 ships it as a self-contained module beside its main file; the map
 * points MapLibre at this route with the package's version in the query (setWorkerUrl), so the
 * answer can be cached for good. The proxy gives it its own CSP (lib/security-headers.ts
 * mapWorkerContentSecurityPolicy): fetch from the app and the map style's origin only.
 */
export const dynamic = "force-dynamic";

let script: Promise<string> | null = null;

function workerScript(): Promise<string> {
  script ??= readFile(path.join(process.cwd(), "node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs"), "utf8").catch((error: unknown) => {
    script = null;
    throw error;
  });
  return script;
}

export async function GET() {
  return new Response(await workerScript(), {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=31536000, immutable",
    },
  });
}
