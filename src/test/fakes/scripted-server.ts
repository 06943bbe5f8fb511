/**
 * The HTTP harness shared by the vendor fakes in this folder: a server on 127.0.0.1 that records
 * every request, answers it from a scripted list or handler (falling back to the fake's default
 * behaviour), optionally after a delay, and sends JSON or raw bodies. Each fake supplies how a
 * request is recorded, its default answer and its Content-Type.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** What every recorded request has; each fake adds its own fields (query, body…). */
export interface ScriptedRequest {
  method: string;
  /** Path below the API prefix. */
  path: string;
  headers: IncomingHttpHeaders;
}

export interface ScriptedResponse {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent verbatim, for malformed answers. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
}

export type ScriptedHandler<Request> = (
  request: Request,
  defaultResponse: () => ScriptedResponse,
) => ScriptedResponse | Promise<ScriptedResponse>;

export interface ScriptedServer<Request> {
  /** The server's address followed by the API prefix. */
  baseUrl: string;
  /** Every request received, in order. */
  requests: Request[];
  /**
   * A handler answers every request; a list answers the next requests in order, one each, and
   * then the default behaviour resumes.
   */
  respondWith(script: ScriptedHandler<Request> | ScriptedResponse[]): void;
  /** Forgets recorded requests and scripted answers. */
  reset(): void;
  close(): Promise<void>;
}

/** What the harness hands a fake to record one request from. */
export interface IncomingScriptedRequest {
  method: string;
  /** The path with the API prefix removed (when present). */
  path: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text; only read when `readBody` is set, "" otherwise. */
  body: string;
}

export interface ScriptedServerOptions<Request> {
  /** Prefix of the vendor's API paths; stripped from recorded paths and appended to `baseUrl`. */
  apiPrefix: string;
  /** The Content-Type of every answer (a response's own headers may override it). */
  contentType: string;
  /** Decode percent-escapes in the path before the prefix is stripped. */
  decodePath?: boolean;
  /** Wait for and collect the request body before answering (for POST APIs). */
  readBody?: boolean;
  toRequest(incoming: IncomingScriptedRequest): Request;
  defaultResponse(request: Request): ScriptedResponse;
}

/** A request recorded with its query parameters (for GET APIs). */
export interface ScriptedQueryRequest extends ScriptedRequest {
  query: Record<string, string>;
}

/** A `toRequest` that records method, path, query and headers. */
export function requestWithQuery(incoming: IncomingScriptedRequest): ScriptedQueryRequest {
  return {
    method: incoming.method,
    path: incoming.path,
    query: Object.fromEntries(incoming.url.searchParams),
    headers: incoming.headers,
  };
}

/** A JSON body, or the raw text when it is not JSON. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startScriptedServer<Request>(
  options: ScriptedServerOptions<Request>,
): Promise<ScriptedServer<Request>> {
  const { apiPrefix, contentType } = options;
  const requests: Request[] = [];
  let handler: ScriptedHandler<Request> | null = null;
  let queue: ScriptedResponse[] = [];

  const send = (res: ServerResponse, response: ScriptedResponse) => {
    const payload =
      response.rawBody ?? (response.body === undefined ? "" : JSON.stringify(response.body));
    res.writeHead(response.status, { "Content-Type": contentType, ...response.headers });
    res.end(payload);
  };

  const answer = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const pathname = options.decodePath ? decodeURIComponent(url.pathname) : url.pathname;
    const request = options.toRequest({
      method: req.method ?? "GET",
      path: pathname.startsWith(apiPrefix) ? pathname.slice(apiPrefix.length) : pathname,
      url,
      headers: req.headers,
      body,
    });
    requests.push(request);
    const fallback = () => options.defaultResponse(request);
    const scripted = queue.shift();
    void Promise.resolve(scripted ?? (handler ? handler(request, fallback) : fallback()))
      .then(async (response) => {
        if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
        if (!res.destroyed) send(res, response);
      })
      .catch((error: unknown) => {
        if (!res.destroyed) send(res, { status: 500, rawBody: String(error) });
      });
  };

  const server = createServer((req, res) => {
    if (!options.readBody) {
      answer(req, res, "");
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => answer(req, res, Buffer.concat(chunks).toString("utf8")));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}${apiPrefix}`,
    requests,
    respondWith(script) {
      if (Array.isArray(script)) queue = [...script];
      else handler = script;
    },
    reset() {
      requests.length = 0;
      queue = [];
      handler = null;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
