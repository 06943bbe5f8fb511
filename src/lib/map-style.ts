/**
 * The map's configuration and look (issue 14 item 8), shared by the client map and the
 * Content-Security-Policy that must let it load. Pure: callers pass the configured value.
 *
 * The style URL is NEXT_PUBLIC_MAP_STYLE_URL (baked into the browser bundle at build time) with a
 * public default: OpenFreeMap's "liberty" street style, whose style, tiles, glyphs and sprites
 * all live on one origin, so one origin in connect-src/img-src is all the CSP has to allow.
 */
export const DEFAULT_MAP_STYLE_URL = "https://tiles.openfreemap.org/styles/liberty";

/** The style the map loads: the configured URL, or the public default when unset or blank. */
export function mapStyleUrl(configured: string | undefined): string {
  const value = configured?.trim();
  return value ? value : DEFAULT_MAP_STYLE_URL;
}

/**
 * The origin the style (and, for one-origin styles, its tiles, glyphs and sprites) loads from:
 * what the CSP allows beside 'self'. Null for a style on this app's own origin (a path), or for a
 * URL that is not http(s).
 */
export function mapStyleOrigin(styleUrl: string): string | null {
  if (styleUrl.startsWith("/")) return null;
  try {
    const url = new URL(styleUrl);
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
  } catch {
    return null;
  }
}

/** Where MapLibre's web worker is served from this app (same origin: no blob: in worker-src). */
export const MAP_WORKER_PATH = "/api/map/worker";

/**
 * What the map shows when the style or its tiles cannot load (no internet, a blocked host): a
 * plain background. Markers are HTML elements, so they show on it all the same.
 */
export const BLANK_MAP_STYLE = {
  version: 8 as const,
  sources: {},
  layers: [{ id: "background", type: "background" as const, paint: { "background-color": "#e9eef3" } }],
};

export type MapTemperature = "COLD" | "WARM" | "HOT" | "ON_FIRE";

/** Marker colours: the temperature chips' colours on the lead list (slate, amber, orange, red). */
export const TEMPERATURE_MARKER_COLORS: Record<MapTemperature, string> = {
  COLD: "#475569",
  WARM: "#f59e0b",
  HOT: "#ea580c",
  ON_FIRE: "#dc2626",
};

export const TEMPERATURE_NAMES: Record<MapTemperature, string> = { COLD: "Cold", WARM: "Warm", HOT: "Hot", ON_FIRE: "On fire" };

/** The box around some points, padded, as [[west, south], [east, north]]; null for none. */
export function boundsOf(points: readonly { latitude: number; longitude: number }[]): [[number, number], [number, number]] | null {
  if (points.length === 0) return null;
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { latitude, longitude } of points) {
    west = Math.min(west, longitude);
    east = Math.max(east, longitude);
    south = Math.min(south, latitude);
    north = Math.max(north, latitude);
  }
  // A single point (or points on one spot) gets a box about a mile across.
  const pad = 0.01;
  return [
    [west - pad, south - pad],
    [east + pad, north + pad],
  ];
}

/** A circle of `miles` around a point as a closed ring of [lon, lat] (for drawing a radius search). */
export function circleRing(latitude: number, longitude: number, miles: number, steps = 64): [number, number][] {
  const ring: [number, number][] = [];
  const latMiles = 69.0;
  const lonMiles = 69.172 * Math.cos((latitude * Math.PI) / 180);
  for (let i = 0; i <= steps; i++) {
    const angle = (i / steps) * 2 * Math.PI;
    ring.push([longitude + (miles / lonMiles) * Math.cos(angle), latitude + (miles / latMiles) * Math.sin(angle)]);
  }
  return ring;
}

/** A searched point's coordinate, to ~1 m: the same point clicked twice is one query (one cache key, paid once). */
export const roundDegrees = (value: number) => Math.round(value * 1e5) / 1e5;
/** A searched radius, to 0.1 mile. */
export const roundRadiusMiles = (miles: number) => Math.round(miles * 10) / 10;

/** A circle as the search ran it (the server rounds the query the same way), to draw it as searched rather than as typed. */
export function searchedCircle(circle: { latitude: number; longitude: number; miles: number }) {
  return { latitude: roundDegrees(circle.latitude), longitude: roundDegrees(circle.longitude), miles: roundRadiusMiles(circle.miles) };
}
