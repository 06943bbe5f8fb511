/**
 * Calls per tRPC batch request: the server refuses bigger batches (400), and the client's batch
 * link splits its calls to stay within it. One request of hundreds of calls held a whole
 * connection pool and slowed every other organization's requests.
 */
export const MAX_TRPC_BATCH_SIZE = 20;

/** Bytes in a tRPC request body; no procedure takes more (CSV files go through POST /api/imports/upload). */
export const MAX_TRPC_BODY_BYTES = 1024 * 1024;
