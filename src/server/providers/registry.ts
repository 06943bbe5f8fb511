import "server-only";
import { env } from "../env";
import { createAttomPropertySearch } from "./attom/client";
import type { PropertySearchProvider } from "./property-search";
import { createSandboxPropertySearch } from "./sandbox/property-search";

let propertySearch: PropertySearchProvider | undefined;

/** ATTOM when a key is configured, else the deterministic sandbox. */
export function propertySearchProvider(): PropertySearchProvider {
  return (propertySearch ??= env.ATTOM_API_KEY
    ? createAttomPropertySearch({ apiKey: env.ATTOM_API_KEY, baseUrl: env.ATTOM_BASE_URL })
    : createSandboxPropertySearch());
}
