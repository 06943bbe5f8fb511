/** Reads until `done` says so or the time runs out, then returns the last value read (the test asserts on it). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, { timeoutMs = 25_000, intervalMs = 100 } = {}): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
