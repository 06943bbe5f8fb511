/**
 * The benchmark's load generator (scripts/bench-http.ts `load`), in a process of its own: the
 * benchmark's process holds the data it seeded (over a gigabyte of heap), and its garbage
 * collections paused the clients mid-request, adding their pauses to the latencies measured.
 * Receives one job over IPC, answers with every request's latency and status, and exits.
 */
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";

process.once("message", async ({ baseUrl, connections, amount, seconds, requests }) => {
  const latencies = [];
  const statuses = [];
  let next = 0;
  let firstSentAt;
  let lastAnsweredAt;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: baseUrl,
    connections,
    ...(amount !== undefined ? { amount } : { duration: seconds }),
    timeout: 10,
    requests: [
      {
        setupRequest: (request, context) => {
          const index = next++;
          const spec = requests[index % requests.length];
          const sentAt = performance.now();
          firstSentAt ??= sentAt;
          Object.assign(context, { index, sentAt });
          return { ...request, method: spec.method ?? "GET", path: spec.path, headers: spec.headers ?? {}, body: spec.body };
        },
        onResponse: (status, _body, context) => {
          lastAnsweredAt = performance.now();
          latencies.push(lastAnsweredAt - context.sentAt);
          statuses[context.index] = status;
        },
      },
    ],
  });
  process.send(
    {
      sent: next,
      latencies,
      statuses,
      seconds: ((lastAnsweredAt ?? performance.now()) - (firstSentAt ?? started)) / 1000,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      cpuMs: (() => {
        const { user, system } = process.cpuUsage(cpuBefore);
        return (user + system) / 1000;
      })(),
    },
    () => process.exit(0),
  );
});
