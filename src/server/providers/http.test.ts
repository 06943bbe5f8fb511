import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startFakeAttom, type FakeAttom } from "@/test/fakes/attom-server";
import { metrics } from "../metrics";
import {
  backoffDelayMs,
  createProviderHttp,
  parseRetryAfterMs,
  providerHealth,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderUnavailableError,
  resetProviderHttpForTests,
  type ProviderHttpOptions,
  type ProviderName,
} from "./http";

vi.mock("@/server/env", () => ({ env: { PROVIDER_TIMEOUT_MS: 1_000, PROVIDER_DEADLINE_MS: 12_000 } }));

let fake: FakeAttom;
beforeAll(async () => {
  fake = await startFakeAttom();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  resetProviderHttpForTests();
  metrics.providerRequests.reset();
  metrics.providerRequestDuration.reset();
});

const SEARCH = "property/expandedprofile";
const searchParams = { postalCode: "80211" };

function client(overrides: Partial<ProviderHttpOptions> = {}, name: ProviderName = "attom") {
  return createProviderHttp(name, {
    prefixUrl: fake.baseUrl,
    headers: { APIKey: fake.apiKey },
    timeoutMs: 300,
    retries: 2,
    backoff: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1_000 },
    breaker: { failureThreshold: 3, halfOpenAfterMs: 200 },
    ...overrides,
  });
}

const failWith = (status: number) =>
  fake.respondWith(() => ({ status, body: { message: "down" } }));

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

async function requestCount(outcome: string, provider: ProviderName = "attom") {
  const { values } = await metrics.providerRequests.get();
  return (
    values.find((v) => v.labels.provider === provider && v.labels.outcome === outcome)?.value ?? 0
  );
}

async function circuitGauge(provider: ProviderName = "attom") {
  const { values } = await metrics.providerCircuitState.get();
  return values.find((v) => v.labels.provider === provider)?.value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createProviderHttp", () => {
  it("sends the provider's headers, returns the answer and records a success", async () => {
    const response = await client().get(SEARCH, { searchParams });

    expect(response.status).toBe(200);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.headers.apikey).toBe(fake.apiKey);
    expect(await requestCount("success")).toBe(1);
    const { values } = await metrics.providerRequestDuration.get();
    expect(
      values.find((v) => v.metricName?.endsWith("_count") && v.labels.provider === "attom")?.value,
    ).toBe(1);
    expect(providerHealth("attom")).toMatchObject({
      circuit: "closed",
      consecutiveFailures: 0,
      lastError: null,
    });
    expect(providerHealth("attom").lastSuccessAt).toBeInstanceOf(Date);
  });

  it("retries 5xx answers and returns the eventual success", async () => {
    fake.respondWith([{ status: 500 }, { status: 502 }]);

    const response = await client().get(SEARCH, { searchParams });

    expect(response.status).toBe(200);
    expect(fake.requests).toHaveLength(3);
    expect(await requestCount("server_error")).toBe(2);
  });

  it("gives up after the configured retries with a ProviderHttpError carrying status and body", async () => {
    failWith(503);

    const error = await failure(client().get(SEARCH, { searchParams }));

    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({ provider: "attom", status: 503, bodyText: '{"message":"down"}' });
    expect(fake.requests).toHaveLength(3);
    expect(providerHealth("attom")).toMatchObject({
      lastError: expect.stringMatching(/HTTP 503/),
      consecutiveFailures: 3,
    });
  });

  it.each([400, 401, 403, 404, 422])("does not retry HTTP %i", async (status) => {
    failWith(status);

    const error = await failure(client().get(SEARCH, { searchParams }));

    expect(error).toMatchObject({ status });
    expect(fake.requests).toHaveLength(1);
    expect(await requestCount("client_error")).toBe(1);
  });

  it("retries a 429 after the Retry-After the provider asked for", async () => {
    fake.respondWith([{ status: 429, headers: { "Retry-After": "0.3" } }]);

    const started = Date.now();
    const response = await client().get(SEARCH, { searchParams });

    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(fake.requests).toHaveLength(2);
    expect(await requestCount("rate_limited")).toBe(1);
  });

  it("fails at once when Retry-After is longer than it may wait", async () => {
    fake.respondWith([{ status: 429, headers: { "Retry-After": "120" } }]);

    const started = Date.now();
    const error = await failure(client().get(SEARCH, { searchParams }));

    expect(error).toMatchObject({ status: 429 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a POST after a 429 but not after a 5xx unless allowed", async () => {
    fake.respondWith([
      { status: 429, headers: { "Retry-After": "0" } },
      { status: 200, body: {} },
    ]);
    expect((await client().post(SEARCH, { json: {} })).status).toBe(200);
    expect(fake.requests).toHaveLength(2);

    fake.reset();
    failWith(500);
    await failure(client().post(SEARCH, { json: {} }));
    expect(fake.requests).toHaveLength(1);

    fake.reset();
    resetProviderHttpForTests();
    failWith(500);
    await failure(client({ retryNonIdempotent: true }).post(SEARCH, { json: {} }));
    expect(fake.requests).toHaveLength(3);
  });

  it("times out a slow attempt, retries it where allowed, then fails with a timeout error", async () => {
    fake.respondWith(() => ({ status: 200, body: {}, delayMs: 600 }));

    const error = await failure(client({ timeoutMs: 100, retryTimedOut: true }).get(SEARCH, { searchParams }));

    expect(error).toBeInstanceOf(ProviderNetworkError);
    expect(error).toMatchObject({ timedOut: true, provider: "attom" });
    expect(fake.requests).toHaveLength(3);
    expect(await requestCount("timeout")).toBe(3);
    expect(providerHealth("attom").lastError).toMatch(/did not answer within 100 ms/);
  });

  it("retries when the provider cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const error = await failure(client({ prefixUrl: `http://127.0.0.1:${port}` }).get("anything"));

    expect(error).toBeInstanceOf(ProviderNetworkError);
    expect(error).toMatchObject({
      timedOut: false,
      message: expect.stringMatching(/ECONNREFUSED/),
    });
    expect(await requestCount("network_error")).toBe(3);
  });

  it("does not retry or count a call the caller cancelled", async () => {
    fake.respondWith(() => ({ status: 200, body: {}, delayMs: 500 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const error = await failure(client().get(SEARCH, { searchParams, signal: controller.signal }));

    expect(error).toMatchObject({ name: "AbortError" });
    expect(fake.requests).toHaveLength(1);
    expect(providerHealth("attom")).toMatchObject({ consecutiveFailures: 0, lastError: null });
  });
});

describe("deadline across attempts", () => {
  it("answers a slow provider with a timeout within the deadline, starting no attempt that could not finish", async () => {
    fake.respondWith(() => ({ status: 200, body: {}, delayMs: 2_000 }));
    const started = performance.now();

    const error = await failure(
      client({ timeoutMs: 250, deadlineMs: 600, retries: 5, retryTimedOut: true }).get(SEARCH, { searchParams }),
    );

    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(ProviderNetworkError);
    expect(error).toMatchObject({ timedOut: true });
    // 250 + backoff + 250 fits in 600; a third attempt could not finish, so it never starts.
    expect(fake.requests).toHaveLength(2);
    expect(elapsed).toBeLessThan(600 + 150);
  });

  it("trims an attempt to the time left before a per-call deadline", async () => {
    fake.respondWith(() => ({ status: 200, body: {}, delayMs: 2_000 }));
    const started = performance.now();

    const error = await failure(client({ timeoutMs: 1_000 }).get(SEARCH, { searchParams, deadlineMs: 200 }));

    expect(error).toMatchObject({ timedOut: true, deadlineReached: true, message: expect.stringMatching(/before the deadline/) });
    expect(performance.now() - started).toBeLessThan(200 + 150);
    expect(fake.requests).toHaveLength(1);
  });

  it("does not resend a timed-out call to a vendor that may bill it (ATTOM per the registry)", async () => {
    fake.respondWith(() => ({ status: 200, body: {}, delayMs: 600 }));

    const error = await failure(client({ timeoutMs: 100 }).get(SEARCH, { searchParams }));

    expect(error).toMatchObject({ timedOut: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("fails at once when Retry-After reaches past the deadline", async () => {
    fake.respondWith(() => ({ status: 503, headers: { "Retry-After": "1" }, body: {} }));
    const started = performance.now();

    const error = await failure(
      client({ timeoutMs: 100, deadlineMs: 600, backoff: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5_000 } }).get(SEARCH, { searchParams }),
    );

    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(fake.requests).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(300);
  });
});

describe("circuit breaker", () => {
  async function openCircuit() {
    failWith(500);
    const http = client({ retries: 0 });
    for (let i = 0; i < 3; i++) await failure(http.get(SEARCH, { searchParams }));
    expect(fake.requests).toHaveLength(3);
    return http;
  }

  it("opens after consecutive failures and then fails fast without sending a request", async () => {
    const http = await openCircuit();

    const error = await failure(http.get(SEARCH, { searchParams }));

    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ code: "SERVICE_UNAVAILABLE", provider: "attom" });
    expect((error as Error).message).toMatch(
      /^ATTOM is not responding reliably.*try again in about 1 second/,
    );
    expect(fake.requests).toHaveLength(3);
    expect(await requestCount("circuit_open")).toBe(1);
    expect(await circuitGauge()).toBe(2);
    const health = providerHealth("attom");
    expect(health).toMatchObject({
      circuit: "open",
      consecutiveFailures: 3,
      lastError: "HTTP 500 Internal Server Error",
    });
    expect(health.nextProbeAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it("is shared by every client of the provider", async () => {
    await openCircuit();

    await expect(client().get(SEARCH, { searchParams })).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
    expect(fake.requests).toHaveLength(3);
  });

  it("keeps one circuit per provider", async () => {
    await openCircuit();
    fake.reset();

    const response = await client({}, "batchdata").get(SEARCH, { searchParams });

    expect(response.status).toBe(200);
    expect(providerHealth("batchdata").circuit).toBe("closed");
    expect(providerHealth("attom").circuit).toBe("open");
  });

  it("lets one probe through after the cool-down and closes when it succeeds", async () => {
    const http = await openCircuit();
    await sleep(250);
    fake.reset();

    const response = await http.get(SEARCH, { searchParams });

    expect(response.status).toBe(200);
    expect(fake.requests).toHaveLength(1);
    expect(providerHealth("attom")).toMatchObject({
      circuit: "closed",
      consecutiveFailures: 0,
      nextProbeAt: null,
    });
    expect(await circuitGauge()).toBe(0);
  });

  it("re-opens when the probe fails", async () => {
    const http = await openCircuit();
    await sleep(250);

    await expect(http.get(SEARCH, { searchParams })).rejects.toBeInstanceOf(ProviderHttpError);
    await expect(http.get(SEARCH, { searchParams })).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
    expect(fake.requests).toHaveLength(4);
    expect(providerHealth("attom").circuit).toBe("open");
  });

  it("stops a call's remaining retries once it opens", async () => {
    failWith(500);

    const error = await failure(client({ retries: 5 }).get(SEARCH, { searchParams }));

    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(fake.requests).toHaveLength(3);
  });

  it("ignores 4xx answers, which also reset the failure count", async () => {
    const http = client({ retries: 0 });
    const answer = async (status: number) => {
      fake.respondWith([{ status, body: {} }]);
      await failure(http.get(SEARCH, { searchParams }));
    };
    await answer(500);
    await answer(500);
    await answer(400);
    expect(providerHealth("attom").consecutiveFailures).toBe(0);
    await answer(500);
    await answer(500);
    for (let i = 0; i < 5; i++) await answer(404);

    expect(providerHealth("attom").circuit).toBe("closed");
    expect(fake.requests).toHaveLength(10);
  });

  it("counts timeouts as failures", async () => {
    fake.respondWith(() => ({ status: 200, body: {}, delayMs: 400 }));

    const error = await failure(
      client({ timeoutMs: 50, retries: 4, retryTimedOut: true }).get(SEARCH, { searchParams }),
    );

    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(fake.requests).toHaveLength(3);
  });
});

describe("backoffDelayMs", () => {
  const settings = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it("doubles per retry with equal jitter, capped", () => {
    expect(backoffDelayMs(1, settings, () => 0)).toBe(50);
    expect(backoffDelayMs(1, settings, () => 1)).toBe(100);
    expect(backoffDelayMs(3, settings, () => 0)).toBe(200);
    expect(backoffDelayMs(3, settings, () => 1)).toBe(400);
    expect(backoffDelayMs(10, settings, () => 1)).toBe(1_000);
    expect(backoffDelayMs(10, settings, () => 0)).toBe(500);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads seconds and HTTP dates, and ignores nonsense", () => {
    const now = Date.parse("2026-05-01T12:00:00Z");
    expect(parseRetryAfterMs("3", now)).toBe(3_000);
    expect(parseRetryAfterMs("Fri, 01 May 2026 12:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfterMs("Fri, 01 May 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfterMs("soon", now)).toBeNull();
    expect(parseRetryAfterMs(null, now)).toBeNull();
  });
});

describe("a fetch that ignores its abort signal (Next's patched fetch was seen to drop it)", () => {
  it("still ends the call at the deadline, and prefers Node's own fetch when Next keeps it", async () => {
    const realFetch = globalThis.fetch;
    let deafCalls = 0;
    let originalCalls = 0;
    // Answers only after 3 s whatever the signal says.
    const deaf = (async () => {
      deafCalls++;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return new Response("{}", { status: 200 });
    }) as unknown as typeof fetch;
    try {
      globalThis.fetch = deaf;
      const started = performance.now();
      const error = await failure(client({ timeoutMs: 200, deadlineMs: 400, retries: 0 }).get(SEARCH, { searchParams }).json());
      expect(error).toBeInstanceOf(ProviderNetworkError);
      expect((error as ProviderNetworkError).timedOut).toBe(true);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(deafCalls).toBe(1);

      const patched = Object.assign(deaf, {
        _nextOriginalFetch: ((input: RequestInfo | URL, init?: RequestInit) => {
          originalCalls++;
          return realFetch(input, init);
        }) as typeof fetch,
      });
      globalThis.fetch = patched;
      fake.respondWith(() => ({ status: 200, body: { status: { code: 0, msg: "SuccessWithResult", total: 0 }, property: [] } }));
      await client().get(SEARCH, { searchParams }).json();
      expect(originalCalls).toBe(1);
      expect(deafCalls).toBe(1);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
