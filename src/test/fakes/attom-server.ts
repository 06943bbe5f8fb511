/**
 * An HTTP-level fake of the ATTOM Property API on 127.0.0.1 (see docs/PROVIDERS.md, ATTOM).
 *
 * By default it answers every `/property/*` search like ATTOM: it checks the `APIKey` header
 * (401 otherwise), needs a `postalCode` (status −6 otherwise), and answers with the recorded
 * fixture properties in that ZIP, paged — camelCase records for 80211/80212 (basicprofile
 * fixture), lowercase for 32223/32256/32204 (detailowner fixture) — or with HTTP 400
 * "SuccessWithoutResult" when none match. Tests script other answers with `respondWith`.
 */
import basicProfile from "@/server/providers/attom/fixtures/basicprofile-success.json";
import detailOwner from "@/server/providers/attom/fixtures/detailowner-success.json";
import noResult from "@/server/providers/attom/fixtures/no-result.json";
import {
  requestWithQuery,
  startScriptedServer,
  type ScriptedHandler,
  type ScriptedQueryRequest,
  type ScriptedResponse,
  type ScriptedServer,
} from "./scripted-server";

export const FAKE_ATTOM_API_KEY = "test-attom-key";
const API_PREFIX = "/propertyapi/v1.0.0";

export interface FakeAttomRequest extends ScriptedQueryRequest {
  /** Path below the API prefix, e.g. "/property/expandedprofile". */
  path: string;
}

export type FakeAttomResponse = ScriptedResponse;

export type FakeAttomHandler = ScriptedHandler<FakeAttomRequest>;

export interface FakeAttom extends ScriptedServer<FakeAttomRequest> {
  /** Use as ATTOM_BASE_URL. */
  baseUrl: string;
  apiKey: string;
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

export async function startFakeAttom(options: { apiKey?: string } = {}): Promise<FakeAttom> {
  const apiKey = options.apiKey ?? FAKE_ATTOM_API_KEY;
  const server = await startScriptedServer<FakeAttomRequest>({
    apiPrefix: API_PREFIX,
    contentType: "application/json;charset=UTF-8",
    toRequest: requestWithQuery,
    defaultResponse: (request) => defaultAttomResponse(request, apiKey),
  });
  return { ...server, apiKey };
}
