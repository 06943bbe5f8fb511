/**
 * An HTTP-level fake of the ATTOM Property API on 127.0.0.1 (see docs/PROVIDERS.md, ATTOM).
 *
 * By default it answers every `/property/*` search like ATTOM: it checks the `APIKey` header
 * (401 otherwise), needs a `postalCode` (status −6 otherwise), and answers with the recorded
 * fixture properties in that ZIP, paged — camelCase records for 80211/80212 (basicprofile
 * fixture), lowercase for 32223/32256/32204 (detailowner fixture) — or with HTTP 400
 * "SuccessWithoutResult" when none match. Tests script other answers with `respondWith`.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import basicProfile from "@/server/providers/attom/fixtures/basicprofile-success.json";
import detailOwner from "@/server/providers/attom/fixtures/detailowner-success.json";
import noResult from "@/server/providers/attom/fixtures/no-result.json";

export const FAKE_ATTOM_API_KEY = "test-attom-key";
const API_PREFIX = "/propertyapi/v1.0.0";

export interface FakeAttomRequest {
  method: string;
  /** Path below the API prefix, e.g. "/property/expandedprofile". */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
}

export interface FakeAttomResponse {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent verbatim, for malformed answers. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
}

export type FakeAttomHandler = (
  request: FakeAttomRequest,
  defaultResponse: () => FakeAttomResponse,
) => FakeAttomResponse | Promise<FakeAttomResponse>;

export interface FakeAttom {
  /** Use as ATTOM_BASE_URL. */
  baseUrl: string;
  apiKey: string;
  /** Every request received, in order. */
  requests: FakeAttomRequest[];
  /**
   * A handler answers every request; a list answers the next requests in order, one each, and
   * then the default behaviour resumes.
   */
  respondWith(script: FakeAttomHandler | FakeAttomResponse[]): void;
  /** Forgets recorded requests and scripted answers. */
  reset(): void;
  close(): Promise<void>;
}

type FixtureProperty = { address: { postal1: string } } & Record<string, unknown>;

const PROPERTIES: FixtureProperty[] = [
  ...(basicProfile.property as FixtureProperty[]),
  ...(detailOwner.property as FixtureProperty[]),
];

let transactionCounter = 0;
const transactionId = () =>
  `fake${Date.now().toString(16)}${(transactionCounter++).toString(16).padStart(8, "0")}`;

const status = (fields: Record<string, unknown>) => ({
  version: "1.0.0",
  transactionID: transactionId(),
  ...fields,
});

/** ATTOM's gateway answer to a missing or wrong key. */
export function attomUnauthorized(): FakeAttomResponse {
  return {
    status: 401,
    body: {
      Response: {
        status: status({ code: 401, msg: "Invalid API Key", total: 0, page: 0, pagesize: 0 }),
      },
    },
  };
}

export function attomNoResult(http: 200 | 400 = 400): FakeAttomResponse {
  return { status: http, body: { ...noResult, status: status({ ...noResult.status }) } };
}

export function attomStatusError(code: number, msg: string): FakeAttomResponse {
  return {
    status: 400,
    body: { status: status({ code, msg, total: 0, page: 0, pagesize: 0 }) },
  };
}

export function defaultAttomResponse(request: FakeAttomRequest, apiKey: string): FakeAttomResponse {
  if (request.headers.apikey !== apiKey) return attomUnauthorized();
  if (!request.path.startsWith("/property/")) {
    return { status: 404, body: { error: "Not Found" } };
  }
  const zip = request.query.postalCode;
  if (!zip) return attomStatusError(-6, "Missing location parameter");

  const page = Math.max(1, Number(request.query.page ?? 1) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(request.query.pageSize ?? 10) || 10));
  const inZip = PROPERTIES.filter((property) => property.address.postal1 === zip);
  const onPage = inZip.slice((page - 1) * pageSize, page * pageSize);
  if (onPage.length === 0) return attomNoResult(400);
  return {
    status: 200,
    body: {
      status: status({
        code: 0,
        msg: "SuccessWithResult",
        total: inZip.length,
        page,
        pagesize: pageSize,
      }),
      echoed_fields: basicProfile.echoed_fields,
      property: onPage,
    },
  };
}

function send(res: ServerResponse, response: FakeAttomResponse) {
  const payload =
    response.rawBody ?? (response.body === undefined ? "" : JSON.stringify(response.body));
  res.writeHead(response.status, {
    "Content-Type": "application/json;charset=UTF-8",
    ...response.headers,
  });
  res.end(payload);
}

export async function startFakeAttom(options: { apiKey?: string } = {}): Promise<FakeAttom> {
  const apiKey = options.apiKey ?? FAKE_ATTOM_API_KEY;
  const requests: FakeAttomRequest[] = [];
  let handler: FakeAttomHandler | null = null;
  let queue: FakeAttomResponse[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const request: FakeAttomRequest = {
      method: req.method ?? "GET",
      path: url.pathname.startsWith(API_PREFIX)
        ? url.pathname.slice(API_PREFIX.length)
        : url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
    };
    requests.push(request);
    const fallback = () => defaultAttomResponse(request, apiKey);
    const scripted = queue.shift();
    void Promise.resolve(scripted ?? (handler ? handler(request, fallback) : fallback()))
      .then(async (response) => {
        if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
        if (!res.destroyed) send(res, response);
      })
      .catch((error: unknown) => {
        if (!res.destroyed) send(res, { status: 500, rawBody: String(error) });
      });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}${API_PREFIX}`,
    apiKey,
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
