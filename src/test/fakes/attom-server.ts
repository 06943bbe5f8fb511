/**
 * An HTTP-level fake of the ATTOM Property API on 127.0.0.1 (see docs/PROVIDERS.md, ATTOM).
 *
 * By default it answers every `/property/*` search like ATTOM: it checks the `APIKey` header
 * (401 otherwise), needs a `postalCode`, a `geoIdV4` of FAKE_PLACES or a `latitude` + `longitude` +
 * `radius` circle (status −6 otherwise), and answers with the recorded fixture properties in that
 * ZIP or place, or whose location lies in the circle, paged — camelCase records for 80211/80212 (basicprofile
 * fixture), lowercase for 32223/32256/32204 (detailowner fixture) — or with HTTP 400
 * "SuccessWithoutResult" when none match; `/v4/location/lookup` answers from FAKE_PLACES. Tests
 * script other answers with `respondWith`.
 */
import basicProfile from "@/server/providers/attom/fixtures/basicprofile-success.json";
import detailOwner from "@/server/providers/attom/fixtures/detailowner-success.json";
import noResult from "@/server/providers/attom/fixtures/no-result.json";
import springfieldPa from "@/server/providers/attom/fixtures/location-lookup-springfield-pa.json";
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

/**
 * The places the fake's location lookup knows (documented shape: ATTOM help centre, "Location
 * Lookup"), each with the fixture ZIPs its geoIdV4 searches. Springfield, PA is two places.
 */
export type FakePlace = { geoIdV4: string; geographyName: string; type: "PL" | "CO"; name: string; zips: string[] };
export const FAKE_PLACES: FakePlace[] = [
  { geoIdV4: "5f2c0a9e4b1d4e7a8c3f6b2d9e0a1c4d", geographyName: "Denver, Denver County, CO", type: "PL", name: "Denver", zips: ["80211", "80212"] },
  { geoIdV4: "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d", geographyName: "Denver County, CO", type: "CO", name: "Denver County", zips: ["80211", "80212"] },
  { geoIdV4: "1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b", geographyName: "Jacksonville, Duval County, FL", type: "PL", name: "Jacksonville", zips: ["32223", "32256", "32204"] },
  { geoIdV4: "2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d7c", geographyName: "Jacksonville Beach, Duval County, FL", type: "PL", name: "Jacksonville Beach", zips: [] },
  { geoIdV4: "3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d", geographyName: "Duval County, FL", type: "CO", name: "Duval County", zips: ["32223", "32256", "32204"] },
  { geoIdV4: "4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e", geographyName: "St. Louis County, MO", type: "CO", name: "St. Louis County", zips: [] },
  ...springfieldPa.geographies.map((geography) => ({
    geoIdV4: geography.geoIdV4,
    geographyName: geography.geographyName,
    type: "PL" as const,
    name: geography.details.name,
    zips: [],
  })),
];

/** ATTOM's location lookup: the places of that type whose name holds every comma-separated part of `name`. */
export function locationLookupResponse(request: FakeAttomRequest): FakeAttomResponse {
  const { name, geographyTypeAbbreviation: type } = request.query;
  if (!name || !type) return attomStatusError(-5, "Invalid Parameter: name and geographyTypeAbbreviation are required");
  const parts = name.toLowerCase().split(",").map((part) => part.trim()).filter(Boolean);
  const matches = FAKE_PLACES.filter((place) => place.type === type && parts.every((part) => place.geographyName.toLowerCase().includes(part)));
  if (matches.length === 0) return attomNoResult(400);
  return {
    status: 200,
    body: {
      status: status({ version: "4", code: 0, msg: "SuccessWithResult", total: matches.length, page: 1, pageSize: 10 }),
      geographies: matches.map((place) => ({
        geoIdV4: place.geoIdV4,
        geographyName: place.geographyName,
        geographyTypeName: place.type === "PL" ? "Place" : "County",
        geographyTypeAbbreviation: place.type,
        details: { name: place.name, longitude: -100.1, latitude: 38.2 },
      })),
    },
  };
}

type Circle = { lat: number; lon: number; miles: number };

/** ATTOM's latitude + longitude + radius (miles, default 5, at most 20); null when none was sent. */
function circleOf(query: Record<string, string | undefined>): Circle | "invalid" | null {
  const { latitude, longitude, radius } = query;
  if (latitude === undefined && longitude === undefined && radius === undefined) return null;
  const lat = Number(latitude);
  const lon = Number(longitude);
  const miles = radius === undefined ? 5 : Number(radius);
  if (latitude === undefined || longitude === undefined || !Number.isFinite(lat) || !Number.isFinite(lon) || !Number.isFinite(miles) || miles <= 0 || miles > 20) return "invalid";
  return { lat, lon, miles };
}

function insideCircle(property: FixtureProperty, circle: Circle): boolean {
  const location = property.location as { latitude?: string; longitude?: string } | undefined;
  const lat = Number(location?.latitude);
  const lon = Number(location?.longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return false;
  const rad = Math.PI / 180;
  const h = Math.sin(((lat - circle.lat) * rad) / 2) ** 2 + Math.cos(circle.lat * rad) * Math.cos(lat * rad) * Math.sin(((lon - circle.lon) * rad) / 2) ** 2;
  return 2 * 3958.8 * Math.asin(Math.sqrt(h)) <= circle.miles;
}

export function defaultAttomResponse(request: FakeAttomRequest, apiKey: string): FakeAttomResponse {
  if (request.headers.apikey !== apiKey) return attomUnauthorized();
  if (request.path === "/v4/location/lookup") return locationLookupResponse(request);
  if (!request.path.startsWith("/property/")) {
    return { status: 404, body: { error: "Not Found" } };
  }
  const zip = request.query.postalCode;
  const geoIds = request.query.geoIdV4?.split("|");
  const circle = circleOf(request.query);
  if ([zip, geoIds, circle].filter(Boolean).length > 1) return attomStatusError(-4, "Invalid parameter combination");
  if (circle === "invalid") return attomStatusError(-5, "Invalid Parameter: latitude, longitude and radius (at most 20 miles)");
  if (!zip && !geoIds && !circle) return attomStatusError(-6, "Missing location parameter");
  const zips = geoIds ? FAKE_PLACES.filter((place) => geoIds.includes(place.geoIdV4)).flatMap((place) => place.zips) : zip ? [zip] : [];

  const page = Math.max(1, Number(request.query.page ?? 1) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(request.query.pageSize ?? 10) || 10));
  const inZip = circle ? PROPERTIES.filter((property) => insideCircle(property, circle)) : PROPERTIES.filter((property) => zips.includes(property.address.postal1));
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
