import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson, { type SuperJSONResult } from "superjson";
import { packRows, unpackRows } from "@/lib/pack-rows";
import { serializeFast } from "@/lib/superjson-fast";

/**
 * A server-rendered page's queries, as the browser receives them: superjson's answer (without its
 * general walk, lib/superjson-fast.ts) with each page of rows' keys written once (lib/pack-rows.ts);
 * the page's HTML already shows the rows, so their JSON is kept small.
 */
const serializeData = (data: unknown) => {
  const { json, meta } = serializeFast(data);
  return meta ? { json: packRows(json), meta } : { json: packRows(json) };
};
const deserializeData = (data: SuperJSONResult) => superjson.deserialize({ ...data, json: unpackRows(data.json) as SuperJSONResult["json"] });

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: (count, error) => count < 2 && !isClientError(error) },
      dehydrate: {
        serializeData,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: { deserializeData },
    },
  });
}

function isClientError(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  return typeof status === "number" && status >= 400 && status < 500;
}
