import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

/**
 * The header that carries the TCP peer's address to route handlers (read by clientIpFrom).
 * Next.js exposes no socket address to them: it copies it into X-Forwarded-For only when the
 * client sent no such header, so that header alone cannot tell a client's claim from the
 * connection.
 */
export const PEER_ADDRESS_HEADER = "x-leadflow-peer-address";

let recording = false;

/**
 * Writes each incoming request's socket address into PEER_ADDRESS_HEADER, replacing anything a
 * client sent under that name. Node publishes every request on this channel before the server's
 * request listener (Next.js) sees it. Called once at server start (instrumentation-node.ts).
 */
export function recordPeerAddress() {
  if (recording) return;
  recording = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_ADDRESS_HEADER] = socket.remoteAddress ?? "";
  });
}
