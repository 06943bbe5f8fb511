/**
 * A vendor fake for a whole test file: started before its tests, closed after them, and reset
 * (with the provider breakers) before each. Read `.server` inside a test.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { resetProviderHttpForTests } from "@/server/providers/http";

export function fakeForFile<Server extends { reset(): void; close(): Promise<void> }>(start: () => Promise<Server>): { server: Server } {
  const handle = {} as { server: Server };
  beforeAll(async () => {
    handle.server = await start();
  });
  afterAll(() => handle.server.close());
  beforeEach(() => {
    handle.server.reset();
    resetProviderHttpForTests();
  });
  return handle;
}
