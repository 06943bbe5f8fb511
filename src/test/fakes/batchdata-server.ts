/**
 * An HTTP-level fake of BatchData's skip trace on 127.0.0.1 (see docs/PROVIDERS.md, BatchData).
 *
 * By default it answers `POST /api/v1/property/skip-trace` like BatchData: it checks the
 * `Authorization: Bearer` token (401 otherwise) and the body (400 with BatchData's message for
 * no/too many requests or a request without a street), then answers one person per request,
 * derived from the request: a matched person with a mobile, a DNC landline and — only when
 * `options.includeTCPABlacklistedPhones` is true, as BatchData drops them otherwise — a
 * TCPA-flagged mobile with the highest score; a `meta.matched: false` person when the street
 * contains "NOMATCH". Persons come back in REVERSED request order, so adapters must match them by
 * `meta.requestId`. Tests script other answers with `respondWith`.
 */
import {
  parseJsonBody,
  startScriptedServer,
  type ScriptedHandler,
  type ScriptedRequest,
  type ScriptedResponse,
  type ScriptedServer,
} from "./scripted-server";

export const FAKE_BATCHDATA_TOKEN = "test-batchdata-token";
const API_PREFIX = "/api/v1";
export const FAKE_BATCHDATA_SKIP_TRACE_PATH = "/property/skip-trace";

export interface FakeBatchDataRequest extends ScriptedRequest {
  /** Path below the API prefix, e.g. "/property/skip-trace". */
  path: string;
  /** The JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

export type FakeBatchDataResponse = ScriptedResponse;

export type FakeBatchDataHandler = ScriptedHandler<FakeBatchDataRequest>;

export interface FakeBatchData extends ScriptedServer<FakeBatchDataRequest> {
  /** Use as BATCHDATA_BASE_URL. */
  baseUrl: string;
  token: string;
}

interface FakeAddress {
  street?: unknown;
  city?: unknown;
  state?: unknown;
  zip?: unknown;
}

interface FakeSkipTraceRequest {
  requestId?: unknown;
  propertyAddress?: FakeAddress;
  name?: { first?: unknown; last?: unknown };
  mailingAddress?: FakeAddress;
}

const FIRST_NAMES = ["JOHN", "MARIA", "DAVID", "LINDA", "CARLOS", "PRIYA", "ROBERT", "MEI"];
const LAST_NAMES = ["SMITH", "GARCIA", "NGUYEN", "JOHNSON", "PATEL", "OKAFOR", "MILLER", "CHEN"];

/** A small stable hash so the same request always gets the same person. */
function hash(text: string): number {
  let value = 7;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) >>> 0;
  return value;
}

const asText = (value: unknown) => (typeof value === "string" ? value : "");

export function batchDataStatus(code: number, text: string, message?: string) {
  return { status: { code, text, ...(message ? { message } : {}) } };
}

export function batchDataUnauthorized(): FakeBatchDataResponse {
  return {
    status: 401,
    body: batchDataStatus(401, "Unauthorized", "Invalid or missing API token"),
  };
}

export function batchDataBadRequest(message: string): FakeBatchDataResponse {
  return { status: 400, body: batchDataStatus(400, "Bad Request", message) };
}

/** BatchData's entry for a request it found nobody for (not billed). */
export function batchDataNoMatchPerson(request: FakeSkipTraceRequest) {
  return {
    propertyAddress: request.propertyAddress ?? {},
    name: {},
    phoneNumbers: [],
    emails: [],
    meta: { matched: false, error: false, requestId: request.requestId },
  };
}

/** A matched person derived from the request; the TCPA-flagged phone only when asked for. */
export function batchDataMatchedPerson(request: FakeSkipTraceRequest, includeTcpa: boolean) {
  const address = request.propertyAddress ?? {};
  const seed = hash(`${asText(address.street)}|${asText(address.zip)}`);
  const first = asText(request.name?.first).toUpperCase() || FIRST_NAMES[seed % 8];
  const last = asText(request.name?.last).toUpperCase() || LAST_NAMES[(seed >>> 3) % 8];
  const line = 100 + (seed % 30) * 3; // three consecutive 555-01xx lines per person
  const phone = (offset: number) => `512555${String(line + offset).padStart(4, "0")}`;
  const reported = { firstReportedDate: "2019-03-14", lastReportedDate: "2026-05-02" };
  const phoneNumbers = [
    {
      number: phone(0),
      carrier: "T-Mobile USA, Inc.",
      type: "Mobile",
      tested: true,
      reachable: true,
      score: 95,
      dnc: false,
      tcpa: false,
      ...reported,
    },
    {
      number: phone(1),
      carrier: "AT&T Southwest",
      type: "Land Line",
      tested: true,
      reachable: true,
      score: 60,
      dnc: true,
      tcpa: false,
      ...reported,
    },
    ...(includeTcpa
      ? [
          {
            number: phone(2),
            carrier: "Verizon Wireless",
            type: "Mobile",
            tested: true,
            reachable: true,
            score: 99,
            dnc: false,
            tcpa: true,
            ...reported,
          },
        ]
      : []),
  ];
  return {
    propertyAddress: { ...address, zipPlus4: "1234", addressValidity: "Valid" },
    mailingAddress: request.mailingAddress ?? { ...address, zipPlus4: "1234" },
    name: { first, last, full: `${first} ${last}` },
    phoneNumbers,
    emails: [{ email: `${first}.${last}@example.com`.toLowerCase(), tested: true }],
    litigator: false,
    death: { deceased: false },
    bankruptcy: {},
    involuntaryLien: {},
    dnc: { tcpa: includeTcpa },
    property: { id: `fake-${seed.toString(16)}` },
    meta: { matched: true, error: false, requestId: request.requestId },
  };
}

export function defaultBatchDataResponse(
  request: FakeBatchDataRequest,
  token: string,
): FakeBatchDataResponse {
  if (request.headers.authorization !== `Bearer ${token}`) return batchDataUnauthorized();
  if (request.path !== FAKE_BATCHDATA_SKIP_TRACE_PATH) {
    return { status: 404, body: batchDataStatus(404, "Not Found") };
  }
  if (request.method !== "POST") {
    return { status: 405, body: batchDataStatus(405, "Method Not Allowed") };
  }

  const body = request.body as {
    requests?: unknown;
    options?: { includeTCPABlacklistedPhones?: unknown };
  } | null;
  const requests = body?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    return batchDataBadRequest("requests must be a non-empty array");
  }
  if (requests.length > 100) return batchDataBadRequest("requests may contain at most 100 items");
  const typed = requests as FakeSkipTraceRequest[];
  const missing = typed.findIndex((item) => !asText(item?.propertyAddress?.street));
  if (missing >= 0)
    return batchDataBadRequest(`requests[${missing}].propertyAddress.street is required`);

  const includeTcpa = body?.options?.includeTCPABlacklistedPhones === true;
  const persons = typed.map((item) =>
    /NOMATCH/i.test(asText(item.propertyAddress?.street))
      ? batchDataNoMatchPerson(item)
      : batchDataMatchedPerson(item, includeTcpa),
  );
  const matchCount = persons.filter((person) => person.meta.matched).length;
  return {
    status: 200,
    body: {
      ...batchDataStatus(200, "OK"),
      results: {
        persons: persons.reverse(),
        meta: {
          results: {
            requestCount: typed.length,
            matchCount,
            noMatchCount: typed.length - matchCount,
            errorCount: 0,
          },
        },
      },
    },
  };
}

export async function startFakeBatchData(options: { token?: string } = {}): Promise<FakeBatchData> {
  const token = options.token ?? FAKE_BATCHDATA_TOKEN;
  const server = await startScriptedServer<FakeBatchDataRequest>({
    apiPrefix: API_PREFIX,
    contentType: "application/json; charset=utf-8",
    readBody: true,
    toRequest: ({ method, path, headers, body }) => ({
      method,
      path,
      headers,
      body: parseJsonBody(body),
    }),
    defaultResponse: (request) => defaultBatchDataResponse(request, token),
  });
  return { ...server, token };
}
