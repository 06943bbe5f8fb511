"use client";

import * as maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import { useCallback, useEffect, useRef, useState } from "react";
import { BLANK_MAP_STYLE, boundsOf, circleRing, MAP_WORKER_PATH, mapStyleUrl, TEMPERATURE_MARKER_COLORS, TEMPERATURE_NAMES, type MapTemperature } from "@/lib/map-style";

export type MapMarker = { id: string; latitude: number; longitude: number; temperature: MapTemperature; label: string };

export type PropertyMapProps = {
  /** What the map shows, for screen readers ("Map of 42 leads"). */
  label: string;
  markers: readonly MapMarker[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Radius search: a click on the map (not on a marker) picks this point. */
  onPick?: (point: { latitude: number; longitude: number }) => void;
  /** The radius search's circle, drawn on the map. */
  circle?: { latitude: number; longitude: number; miles: number } | null;
  /** The selected marker's card, shown over the map. */
  card?: React.ReactNode;
};

/** How long the style may take before the map gives up on it and shows a plain background. */
const STYLE_TIMEOUT_MS = 8000;
const CIRCLE_SOURCE = "radius-search";

const styleUrl = () => new URL(mapStyleUrl(process.env.NEXT_PUBLIC_MAP_STYLE_URL), window.location.href).href;

export default function PropertyMapClient({ label, markers, selectedId, onSelect, onPick, circle, card }: PropertyMapProps) {
  const mapRef = useRef<maplibregl.Map | null>(null);
  const onSelectRef = useRef(onSelect);
  const onPickRef = useRef(onPick);
  const circleRef = useRef(circle);
  const selectedRef = useRef(selectedId);
  const [notice, setNotice] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    onSelectRef.current = onSelect;
    onPickRef.current = onPick;
    circleRef.current = circle;
  });

  // One map per mount (a ref callback with a cleanup). The style may fail to load (no internet, a
  // blocked host): the map then switches to a plain background and says so; markers are HTML and
  // show either way.
  const mount = useCallback((node: HTMLDivElement | null) => {
    if (!node) return;
    maplibregl.setWorkerUrl(`${MAP_WORKER_PATH}?v=${maplibregl.getVersion()}`);
    let map: maplibregl.Map;
    try {
      map = new maplibregl.Map({ container: node, style: styleUrl(), center: [-98.5, 39.8], zoom: 3, attributionControl: { compact: true }, dragRotate: false, pitchWithRotate: false });
    } catch {
      // No WebGL: the list below stands in for the map.
      setUnavailable(true);
      return;
    }
    let styleLoaded = false;
    let fellBack = false;
    const fallBack = () => {
      if (fellBack || styleLoaded) return;
      fellBack = true;
      setNotice("Map tiles could not be loaded, so the map has a plain background. The markers are still in place.");
      map.setStyle(BLANK_MAP_STYLE);
    };
    const timer = setTimeout(fallBack, STYLE_TIMEOUT_MS);
    map.on("error", () => {
      if (!styleLoaded) fallBack();
      else setNotice((current) => current ?? "Some map tiles could not be loaded. The markers are still in place.");
    });
    map.on("style.load", () => {
      styleLoaded = true;
      clearTimeout(timer);
      drawCircle(map, circleRef.current);
    });
    // The circle's GeoJSON is processed by MapLibre's worker: once loaded, the worker demonstrably runs.
    map.on("sourcedata", (event) => {
      if (event.sourceId === CIRCLE_SOURCE && event.isSourceLoaded) node.dataset.circle = "drawn";
    });
    map.on("click", (event) => onPickRef.current?.({ latitude: event.lngLat.lat, longitude: event.lngLat.lng }));
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    mapRef.current = map;
    setReady(true);
    return () => {
      clearTimeout(timer);
      mapRef.current = null;
      setReady(false);
      map.remove();
    };
  }, []);

  // Markers: buttons (reachable with Tab, named by address and temperature), coloured by temperature.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const placed = markers.map((marker) => {
      const element = document.createElement("button");
      element.type = "button";
      element.className =
        "h-4 w-4 cursor-pointer rounded-full border-2 border-white shadow-md outline-none focus-visible:ring-2 focus-visible:ring-slate-900 focus-visible:ring-offset-1 data-[selected=true]:h-5 data-[selected=true]:w-5 data-[selected=true]:ring-2 data-[selected=true]:ring-slate-900";
      element.style.backgroundColor = TEMPERATURE_MARKER_COLORS[marker.temperature];
      element.setAttribute("aria-label", `${marker.label} (${TEMPERATURE_NAMES[marker.temperature]})`);
      element.dataset.testid = "map-marker";
      element.dataset.temperature = marker.temperature;
      element.dataset.id = marker.id;
      element.dataset.selected = String(marker.id === selectedRef.current);
      element.addEventListener("click", (event) => {
        event.stopPropagation();
        onSelectRef.current(marker.id);
      });
      return new maplibregl.Marker({ element }).setLngLat([marker.longitude, marker.latitude]).addTo(map);
    });
    const bounds = boundsOf(markers);
    if (bounds) map.fitBounds(bounds, { padding: 48, maxZoom: 15, animate: false });
    return () => {
      for (const marker of placed) marker.remove();
    };
  }, [markers, ready]);

  useEffect(() => {
    selectedRef.current = selectedId;
    const markerElements = mapRef.current?.getCanvasContainer().querySelectorAll<HTMLElement>("[data-testid=map-marker]") ?? [];
    for (const element of markerElements) element.dataset.selected = String(element.dataset.id === selectedId);
  }, [selectedId, ready]);

  // The radius search's circle and its centre.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    if (map.isStyleLoaded()) drawCircle(map, circle);
    if (!circle) return;
    const centre = document.createElement("div");
    centre.className = "h-3 w-3 rounded-full border-2 border-white bg-brand-600 shadow";
    centre.dataset.testid = "radius-centre";
    const marker = new maplibregl.Marker({ element: centre }).setLngLat([circle.longitude, circle.latitude]).addTo(map);
    if (markers.length === 0) {
      const ring = circleRing(circle.latitude, circle.longitude, circle.miles, 16);
      const box = boundsOf(ring.map(([longitude, latitude]) => ({ latitude, longitude })));
      if (box) map.fitBounds(box, { padding: 24, animate: false });
    }
    return () => {
      marker.remove();
    };
  }, [circle, ready, markers.length]);

  return (
    <div className="space-y-2">
      <div className="relative overflow-hidden rounded-lg border border-slate-200">
        <div ref={mount} role="region" aria-label={label} className="h-[28rem] w-full bg-[#e9eef3]" data-testid="property-map" data-ready={ready ? "true" : "false"} />
        <Legend />
        {notice && (
          <p role="status" className="absolute left-2 top-2 max-w-xs rounded bg-white/95 px-2 py-1 text-xs text-slate-700 shadow" data-testid="map-notice">
            {notice}
          </p>
        )}
        {unavailable && (
          <p role="status" className="absolute inset-x-4 top-4 rounded bg-white px-3 py-2 text-sm text-slate-700 shadow" data-testid="map-notice">
            This browser cannot draw maps (WebGL is off). The properties are listed below.
          </p>
        )}
        {card && <div className="absolute bottom-2 left-2 z-10 w-80 max-w-[calc(100%-1rem)]">{card}</div>}
      </div>
      <details className="text-sm" open={unavailable}>
        <summary className="cursor-pointer text-slate-600">List of the {markers.length.toLocaleString()} places on the map</summary>
        <ul className="mt-2 max-h-60 overflow-y-auto rounded border border-slate-200 bg-white" data-testid="map-list">
          {markers.map((marker) => (
            <li key={marker.id}>
              <button type="button" className="flex w-full items-center gap-2 px-3 py-1.5 text-left hover:bg-slate-50 aria-pressed:bg-brand-50" aria-pressed={marker.id === selectedId} onClick={() => onSelect(marker.id)}>
                <span className="h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: TEMPERATURE_MARKER_COLORS[marker.temperature] }} aria-hidden />
                <span className="truncate">{marker.label}</span>
                <span className="ml-auto text-xs text-slate-500">{TEMPERATURE_NAMES[marker.temperature]}</span>
              </button>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

function Legend() {
  return (
    <ul aria-label="Marker colours" className="absolute bottom-8 right-2 space-y-0.5 rounded bg-white/95 px-2 py-1 text-xs text-slate-700 shadow" data-testid="map-legend">
      {(Object.keys(TEMPERATURE_NAMES) as MapTemperature[]).map((temperature) => (
        <li key={temperature} className="flex items-center gap-1.5">
          <span className="h-2.5 w-2.5 rounded-full" style={{ backgroundColor: TEMPERATURE_MARKER_COLORS[temperature] }} aria-hidden />
          {TEMPERATURE_NAMES[temperature]}
        </li>
      ))}
    </ul>
  );
}

function drawCircle(map: maplibregl.Map, circle: PropertyMapProps["circle"]) {
  const data: GeoJSON.FeatureCollection = {
    type: "FeatureCollection",
    features: circle ? [{ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [circleRing(circle.latitude, circle.longitude, circle.miles)] } }] : [],
  };
  const source = map.getSource(CIRCLE_SOURCE) as maplibregl.GeoJSONSource | undefined;
  if (source) {
    source.setData(data);
    return;
  }
  map.addSource(CIRCLE_SOURCE, { type: "geojson", data });
  map.addLayer({ id: `${CIRCLE_SOURCE}-fill`, type: "fill", source: CIRCLE_SOURCE, paint: { "fill-color": "#2563eb", "fill-opacity": 0.08 } });
  map.addLayer({ id: `${CIRCLE_SOURCE}-line`, type: "line", source: CIRCLE_SOURCE, paint: { "line-color": "#2563eb", "line-width": 2 } });
}
