"use client";

import { keepPreviousData } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { primaryLinkClass } from "@/components/shared/link-classes";
import { PropertyMap, type MapMarker } from "@/components/shared/property-map";
import { TemperaturePill } from "@/components/search/temperature-pill";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/card";
import { formatCents } from "@/lib/money";
import { api, type RouterOutputs } from "@/trpc/react";
import { StatusBadge } from "./bits";
import type { LeadFiltersInput } from "./list-url";

type Point = RouterOutputs["leads"]["mapPoints"]["points"][number];

/** The lead list's filters on a map (issue 14 item 8): a marker per lead with coordinates, a card on click. */
export function LeadsMap({ filters }: { filters: LeadFiltersInput }) {
  const points = api.leads.mapPoints.useQuery({ filters }, { placeholderData: keepPreviousData });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const data = points.data;
  const markers = useMemo<MapMarker[]>(
    () => (data?.points ?? []).map((point) => ({ id: point.id, latitude: point.latitude, longitude: point.longitude, temperature: point.temperature, label: `${point.addressLine1}, ${point.city}` })),
    [data],
  );
  const selected = data?.points.find((point) => point.id === selectedId) ?? null;

  if (points.error) {
    return (
      <Alert tone="error" className="m-4">
        Couldn&apos;t load the map: {describeError(points.error).message}{" "}
        <button type="button" className="font-medium underline" onClick={() => void points.refetch()}>
          Try again
        </button>
      </Alert>
    );
  }
  const withoutCoordinates = data ? data.total - data.withCoordinates : 0;
  return (
    <div className="space-y-2 p-4" data-testid="leads-map">
      <p className="text-sm text-slate-600" data-testid="map-count" aria-live="polite">
        {!data ? (
          "Loading the map…"
        ) : (
          <>
            Showing <span className="font-medium text-slate-900">{data.points.length.toLocaleString()}</span> of{" "}
            <span className="font-medium text-slate-900">{data.withCoordinates.toLocaleString()}</span> {data.withCoordinates === 1 ? "lead" : "leads"} with coordinates
            {data.points.length < data.withCoordinates && ` (the ${data.limit.toLocaleString()} highest scores)`}
            {withoutCoordinates > 0 && `; ${withoutCoordinates.toLocaleString()} matching ${withoutCoordinates === 1 ? "lead has" : "leads have"} no coordinates and ${withoutCoordinates === 1 ? "is" : "are"} not on the map`}.
          </>
        )}
      </p>
      <PropertyMap
        label={`Map of ${markers.length.toLocaleString()} leads`}
        markers={markers}
        selectedId={selected?.id ?? null}
        onSelect={setSelectedId}
        card={selected && <LeadCard point={selected} onClose={() => setSelectedId(null)} />}
      />
    </div>
  );
}

function LeadCard({ point, onClose }: { point: Point; onClose: () => void }) {
  return (
    <section aria-label="Selected lead" className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-lg" data-testid="map-card">
      <div className="flex items-start justify-between gap-2">
        <div>
          <p className="font-medium text-slate-900">{point.addressLine1}</p>
          <p className="text-slate-500">
            {point.city}, {point.state} {point.zip}
          </p>
        </div>
        <button type="button" className="text-slate-400 hover:text-slate-700" aria-label="Close the card" onClick={onClose}>
          ✕
        </button>
      </div>
      <p className="text-slate-700">
        {point.ownerName ?? "Owner unknown"} {point.ownerIsCorporate && <Badge>Company/Trust</Badge>}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <TemperaturePill temperature={point.temperature} score={point.score} />
        <StatusBadge status={point.status} />
      </div>
      <p className="text-slate-600">
        Value {point.estimatedValueCents === null ? "unknown" : formatCents(point.estimatedValueCents)} · Equity {point.equityPct === null ? "unknown" : `${point.equityPct}%`}
      </p>
      <Link href={`/leads/${point.id}`} className={primaryLinkClass}>
        Open lead
      </Link>
    </section>
  );
}
