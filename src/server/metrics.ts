import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

const globalForMetrics = globalThis as unknown as { leadflowMetrics?: ReturnType<typeof createMetrics> };

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "leadflow_" });
  return {
    registry,
    procedureDuration: new Histogram({
      name: "leadflow_trpc_procedure_duration_seconds",
      help: "tRPC procedure latency by path, type and outcome",
      labelNames: ["path", "type", "outcome"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: "leadflow_http_requests_total",
      help: "Route handler requests by route and status",
      labelNames: ["route", "status"] as const,
      registers: [registry],
    }),
    providerRequests: new Counter({
      name: "leadflow_provider_requests_total",
      help: "Requests to external providers by outcome (one per attempt; circuit_open means none was sent)",
      labelNames: ["provider", "outcome"] as const,
      registers: [registry],
    }),
    providerRequestDuration: new Histogram({
      name: "leadflow_provider_request_duration_seconds",
      help: "External provider request latency per attempt",
      labelNames: ["provider"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    providerCircuitState: new Gauge({
      name: "leadflow_provider_circuit_state",
      help: "Circuit breaker state per provider: 0 closed, 1 half-open, 2 open",
      labelNames: ["provider"] as const,
      registers: [registry],
    }),
  };
}

/** One registry per process, surviving dev hot reloads. */
export const metrics = (globalForMetrics.leadflowMetrics ??= createMetrics());

export function observeProcedure(path: string, type: string, outcome: string, ms: number) {
  metrics.procedureDuration.observe({ path, type, outcome }, ms / 1000);
}
