"use client";

import dynamic from "next/dynamic";
import type { PropertyMapProps } from "./property-map-client";

export type { MapMarker, PropertyMapProps } from "./property-map-client";

/**
 * The map of leads or search results (issue 14 item 8). MapLibre (about 1 MB) and its CSS load
 * only when a map is shown, on the client: other pages never fetch them.
 */
const PropertyMapClient = dynamic(() => import("./property-map-client"), {
  ssr: false,
  loading: () => <div className="h-[28rem] w-full animate-pulse rounded-lg bg-slate-100" data-testid="map-loading" />,
});

export function PropertyMap(props: PropertyMapProps) {
  return <PropertyMapClient {...props} />;
}
