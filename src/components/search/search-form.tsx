"use client";

import { useId, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field, Input, Select } from "@/components/ui/field";
import { US_STATE_CODES } from "@/lib/address";
import { EMPTY_SEARCH, RADIUS_MILES, validateSearchForm, type SearchFormErrors, type SearchFormState } from "@/lib/search-url";
import { PropertyMap } from "@/components/shared/property-map";

/** The circle the radius fields describe, when they are valid. */
function circleOf(rawLatitude: string, rawLongitude: string, rawRadius: string) {
  const [latitude, longitude, miles] = [Number(rawLatitude), Number(rawLongitude), Number(rawRadius)];
  if (!rawLatitude.trim() || !rawLongitude.trim() || !Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude, miles: Number.isFinite(miles) && miles >= RADIUS_MILES.min && miles <= RADIUS_MILES.max ? miles : 5 };
}

const MODES = [
  { mode: "zip", label: "ZIP codes" },
  { mode: "city", label: "City" },
  { mode: "county", label: "County" },
  { mode: "radius", label: "Radius" },
] as const;

type NumberField = Exclude<keyof SearchFormState, "mode">;

export function SearchForm({ initial, supportsCityCounty, pending, onSearch, serverErrors = {} }: {
  initial: SearchFormState;
  supportsCityCounty: boolean;
  pending: boolean;
  onSearch: (state: SearchFormState) => void;
  /** The server's refusal of the search shown (initial), by field. */
  serverErrors?: SearchFormErrors;
}) {
  const [state, setState] = useState(initial);
  // Problems found on submit, shown next to their fields (highlighted, aria-invalid) until edited.
  const [checked, setChecked] = useState<SearchFormErrors | null>(null);
  const errors: SearchFormErrors = checked ?? serverErrors;
  const formRef = useRef<HTMLFormElement>(null);
  const circle = useMemo(() => circleOf(state.latitude, state.longitude, state.radius), [state.latitude, state.longitude, state.radius]);
  const rangeId = useId();
  const set = (field: keyof SearchFormState) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    setState((current) => ({ ...current, [field]: event.target.value }));
    if (field in errors) setChecked({ ...errors, [field]: undefined });
  };
  const range = (label: string, min: NumberField, max: NumberField, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => {
    const minError = errors[min as keyof SearchFormErrors];
    const maxError = errors[max as keyof SearchFormErrors];
    const errorId = `${rangeId}-${min}-error`;
    return (
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">{label}</legend>
        <div className="flex items-center gap-2">
          <Input aria-label={`${label} from`} aria-invalid={minError ? true : undefined} aria-describedby={minError ? errorId : undefined} placeholder="min" inputMode="numeric" value={state[min]} onChange={set(min)} {...props} />
          <span className="text-slate-400">–</span>
          <Input aria-label={`${label} to`} aria-invalid={maxError ? true : undefined} aria-describedby={maxError ? errorId : undefined} placeholder="max" inputMode="numeric" value={state[max]} onChange={set(max)} {...props} />
        </div>
        {(minError || maxError) && (
          <p id={errorId} className="text-sm text-red-600">
            {minError && maxError && minError !== maxError ? `From: ${minError}. To: ${maxError}` : (minError ?? maxError)}
          </p>
        )}
      </fieldset>
    );
  };

  return (
    <form
      ref={formRef}
      noValidate
      aria-label="Property search"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      onSubmit={(event) => {
        event.preventDefault();
        const problems = validateSearchForm(state, US_STATE_CODES);
        setChecked(problems);
        if (Object.values(problems).some(Boolean)) {
          // The first field in trouble gets the focus (the browser's own bubbles are off: noValidate).
          requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
          return;
        }
        // A place chosen among same-named ones holds only while the place typed is the same.
        const samePlace = state.mode === initial.mode && state.city === initial.city && state.county === initial.county && state.state === initial.state;
        onSearch({ ...state, geoId: samePlace ? state.geoId : "", page: "1" });
      }}
    >
      <div role="radiogroup" aria-label="Search by" className="inline-flex rounded-md border border-slate-200 p-0.5">
        {MODES.map(({ mode, label }) => {
          const disabled = (mode === "city" || mode === "county") && !supportsCityCounty;
          return (
            <button
              key={mode}
              type="button"
              role="radio"
              aria-checked={state.mode === mode}
              disabled={disabled}
              title={disabled ? "This provider searches by ZIP code only." : undefined}
              onClick={() => setState((current) => ({ ...current, mode }))}
              className={cn(
                "rounded px-3 py-1 text-sm font-medium",
                state.mode === mode ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100",
                disabled && "cursor-not-allowed opacity-40",
              )}
            >
              {label}
            </button>
          );
        })}
      </div>

      <div className="grid gap-4 md:grid-cols-4">
        {state.mode === "zip" ? (
          <div className="md:col-span-2">
            <Field label="ZIP codes" error={errors.zips} hint="Up to 10, separated by commas or spaces. Each ZIP is one paid call.">
              {(p) => <Input {...p} name="zips" placeholder="78701, 78702" value={state.zips} onChange={set("zips")} required />}
            </Field>
          </div>
        ) : state.mode === "radius" ? (
          <>
            <Field label="Latitude" error={errors.latitude}>{(p) => <Input {...p} name="latitude" inputMode="decimal" placeholder="39.7392" value={state.latitude} onChange={set("latitude")} />}</Field>
            <Field label="Longitude" error={errors.longitude}>{(p) => <Input {...p} name="longitude" inputMode="decimal" placeholder="-104.9903" value={state.longitude} onChange={set("longitude")} />}</Field>
            <Field label="Radius (miles)" error={errors.radius} hint={`${RADIUS_MILES.min} to ${RADIUS_MILES.max} miles; one paid call.`}>
              {(p) => <Input {...p} name="radius" inputMode="decimal" value={state.radius} onChange={set("radius")} />}
            </Field>
          </>
        ) : (
          <>
            <Field label={state.mode === "city" ? "City" : "County"} error={state.mode === "city" ? errors.city : errors.county}>
              {(p) =>
                state.mode === "city" ? (
                  <Input {...p} name="city" placeholder="Austin" value={state.city} onChange={set("city")} required />
                ) : (
                  <Input {...p} name="county" placeholder="Travis" value={state.county} onChange={set("county")} required />
                )
              }
            </Field>
            <Field label="State" error={errors.state}>{(p) => <Input {...p} name="state" placeholder="TX" maxLength={2} value={state.state} onChange={set("state")} required />}</Field>
          </>
        )}
        <Field label="Property type">
          {(p) => (
            <Select {...p} value={state.propertyType} onChange={set("propertyType")}>
              <option value="any">Any</option>
              <option value="sfr">Single family</option>
              <option value="condo">Condo</option>
              <option value="multi_family">Multi-family (2–4)</option>
              <option value="apartment">Apartment (5+)</option>
              <option value="land">Vacant land</option>
            </Select>
          )}
        </Field>
        <Field label="Owner">
          {(p) => (
            <Select {...p} value={state.absentee} onChange={set("absentee")}>
              <option value="any">Any owner</option>
              <option value="absentee">Absentee only</option>
              <option value="occupied">Owner-occupied only</option>
            </Select>
          )}
        </Field>
      </div>

      {state.mode === "radius" && (
        <div className="space-y-1">
          <p className="text-sm text-slate-600">Click the map to set the centre of the circle, or type its latitude and longitude.</p>
          <PropertyMap
            label="Map: click to set the centre of the radius search"
            markers={[]}
            selectedId={null}
            onSelect={() => undefined}
            circle={circle}
            onPick={({ latitude, longitude }) => {
              setState((current) => ({ ...current, latitude: latitude.toFixed(5), longitude: longitude.toFixed(5) }));
              setChecked({ ...errors, latitude: undefined, longitude: undefined });
            }}
          />
        </div>
      )}

      <details
        className="group"
        open={
          Object.entries(initial).some(([k, v]) => !["mode", "zips", "city", "county", "state", "latitude", "longitude", "radius", "propertyType", "absentee", "page", "pageSize", "valueBasis"].includes(k) && v !== "") ||
          Object.entries(errors).some(([k, v]) => v && !["zips", "city", "county", "state", "latitude", "longitude", "radius"].includes(k))
        }
      >
        <summary className="cursor-pointer text-sm font-medium text-brand-600">More filters</summary>
        <div className="mt-4 grid gap-4 md:grid-cols-4">
          {range("Beds", "bedsMin", "bedsMax")}
          {range("Baths", "bathsMin", "bathsMax", { inputMode: "decimal" })}
          {range("Year built", "yearBuiltMin", "yearBuiltMax")}
          {range("Building size (sq ft)", "sizeMin", "sizeMax")}
          {range("Value ($)", "valueMin", "valueMax")}
          <Field label="Value basis">
            {(p) => (
              <Select {...p} value={state.valueBasis} onChange={set("valueBasis")}>
                <option value="avm">Estimated (AVM)</option>
                <option value="assessed">Assessed</option>
              </Select>
            )}
          </Field>
          <Field label="Minimum equity %" error={errors.equityPctMin}>{(p) => <Input {...p} inputMode="decimal" placeholder="e.g. 40" value={state.equityPctMin} onChange={set("equityPctMin")} />}</Field>
          <Field label="Page size" error={errors.pageSize}>
            {(p) => (
              <Select {...p} value={state.pageSize} onChange={set("pageSize")}>
                {["10", "25", "50", "100"].map((size) => <option key={size}>{size}</option>)}
              </Select>
            )}
          </Field>
          <Field label="Last sale after" error={errors.lastSaleAfter}>{(p) => <Input {...p} type="date" value={state.lastSaleAfter} onChange={set("lastSaleAfter")} />}</Field>
          <Field label="Last sale before" error={errors.lastSaleBefore}>{(p) => <Input {...p} type="date" value={state.lastSaleBefore} onChange={set("lastSaleBefore")} />}</Field>
        </div>
      </details>

      <div className="flex items-center gap-3">
        <Button type="submit" pending={pending}>Search</Button>
        <Button type="button" variant="ghost" onClick={() => { setState({ ...EMPTY_SEARCH, mode: state.mode }); setChecked({}); }}>Clear</Button>
      </div>
    </form>
  );
}
