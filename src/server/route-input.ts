import "server-only";
import type { z } from "zod";
import {
  describeInputProblem,
  describeStringProblem,
  findInputProblem,
  stringProblem,
} from "@/lib/text-schema";
import { AppError } from "./errors";

/**
 * What route handlers read from a request — path parameters, query parameters, bodies — checked
 * the way tRPC inputs are: a malformed value is a 400-class AppError naming it, never a 500 from
 * the database or a parser further down.
 */

function checkText(value: string, what: string, maxLength: number): string {
  const problem = stringProblem(value);
  if (problem)
    throw new AppError("BAD_REQUEST", describeStringProblem(problem, what), { parameter: what });
  if (value.length > maxLength)
    throw new AppError("BAD_REQUEST", `${what} is longer than ${maxLength} characters.`, {
      parameter: what,
    });
  return value;
}

/** A path parameter (Next has decoded it): present, at most `maxLength` characters, no NUL or unpaired surrogates. */
export async function pathParam(
  params: Promise<Record<string, string | string[] | undefined>>,
  name: string,
  { maxLength = 64 }: { maxLength?: number } = {},
): Promise<string> {
  const value = (await params)[name];
  const what = `The "${name}" in the URL`;
  if (typeof value !== "string" || value === "")
    throw new AppError("BAD_REQUEST", `${what} is missing.`, { parameter: name });
  return checkText(value, what, maxLength);
}

/** A query parameter, or null when absent; checked like a path parameter. */
export function searchParam(
  url: URL,
  name: string,
  { maxLength = 1000 }: { maxLength?: number } = {},
): string | null {
  const value = url.searchParams.get(name);
  return value === null ? null : checkText(value, `The "${name}" parameter`, maxLength);
}

/** A query parameter holding JSON, validated against `schema`; `whenAbsent` when it is absent or empty. */
export function jsonSearchParam<S extends z.ZodType>(
  url: URL,
  name: string,
  schema: S,
  whenAbsent: unknown,
  { maxLength = 10_000 } = {},
): z.output<S> {
  const raw = searchParam(url, name, { maxLength });
  let value: unknown = whenAbsent;
  if (raw !== null && raw !== "") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AppError(
        "BAD_REQUEST",
        `The "${name}" parameter must be JSON, e.g. ${name}={"status":["new"]}.`,
        { parameter: name },
      );
    }
  }
  const problem = findInputProblem(value);
  if (problem)
    throw new AppError(
      "BAD_REQUEST",
      describeInputProblem({ ...problem, path: [name, ...problem.path] }),
      { parameter: name },
    );
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${[name, ...issue.path.map(String)].join(".")}: ${issue.message}`,
    );
    throw new AppError("BAD_REQUEST", `Invalid ${name}: ${problems.join("; ")}`, {
      parameter: name,
    });
  }
  return parsed.data;
}

export const payloadTooLarge = (maxBytes: number) =>
  new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${formatBytes(maxBytes)}.`, {
    maxBytes,
  });

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes >= 1024 && bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`;
}

/** The declared Content-Length, or null when absent or not a number. */
function declaredLength(req: Request): number | null {
  const header = req.headers.get("content-length");
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header);
}

/**
 * The same request, whose body stream fails with PAYLOAD_TOO_LARGE as soon as more than
 * `maxBytes` arrive (at once when Content-Length already says so), so no reader ever holds more.
 * Whoever reads the body gets the AppError (tRPC passes it on as a 413).
 */
export function withBodyLimit(req: Request, maxBytes: number): Request {
  if (req.body === null) return req;
  const declared = declaredLength(req);
  let body: ReadableStream<Uint8Array>;
  if (declared !== null && declared > maxBytes) {
    body = new ReadableStream({
      start(controller) {
        controller.error(payloadTooLarge(maxBytes));
      },
    });
  } else {
    let received = 0;
    body = req.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          received += chunk.byteLength;
          if (received > maxBytes) controller.error(payloadTooLarge(maxBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
  }
  return new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body,
    signal: req.signal,
    duplex: "half",
  } as RequestInit);
}

/** The whole body as text, refused with PAYLOAD_TOO_LARGE above `maxBytes` (as declared, or as streamed). */
export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  if (req.body === null) return "";
  const declared = declaredLength(req);
  if (declared !== null && declared > maxBytes) throw payloadTooLarge(maxBytes);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) throw payloadTooLarge(maxBytes);
    chunks.push(value);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid UTF-8 text.");
  }
}

const CALLBACK_URL_COOKIE = /^(__Secure-|__Host-)?next-auth\.callback-url$/;

/** next-auth's own rule for a callback URL: an http(s) URL, or a path on this site. */
export function isCallbackUrl(value: string): boolean {
  try {
    return /^https?:$/.test(
      new URL(value, value.startsWith("/") ? "http://localhost" : undefined).protocol,
    );
  } catch {
    return false;
  }
}

/**
 * next-auth answers every request whose callback-url cookie is not a URL with a 500 ("a problem
 * with the server configuration"), session reads included. Only a forged cookie gets there: the
 * client's error, so a 400 that says how to recover.
 */
export function assertCallbackUrlCookies(cookies: { name: string; value: string }[]): void {
  for (const { name, value } of cookies) {
    if (CALLBACK_URL_COOKIE.test(name) && value !== "" && !isCallbackUrl(value)) {
      throw new AppError(
        "BAD_REQUEST",
        `The ${name} cookie is not a URL. Clear this site's cookies and sign in again.`,
        { cookie: name },
      );
    }
  }
}
