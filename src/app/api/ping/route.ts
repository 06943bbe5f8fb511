export const dynamic = "force-dynamic";

/**
 * Answers 200 and does nothing else: a liveness probe (the process serves HTTP; /api/health also
 * checks the database), and the floor `npm run bench -- webhooks` measures the webhook routes
 * against. Like the webhook routes it skips src/proxy.ts (see its matcher), so the floor takes the same path.
 */
function pong() {
  return new Response("ok", { status: 200, headers: { "content-type": "text/plain", "cache-control": "no-store" } });
}

export const GET = pong;
export const HEAD = pong;
/** Takes a body like the webhook routes (and ignores it), so the floor is measured with the same requests. */
export const POST = pong;
