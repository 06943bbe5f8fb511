/**
 * Sends a chosen file to one of the streamed upload routes (CSV imports, DNC registry extracts) as
 * the raw request body. XMLHttpRequest rather than fetch: the browser streams the File from disk
 * either way, and only XHR reports upload progress.
 */

export type UploadProgress = { loaded: number; total: number };

export class UploadFailed extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "UploadFailed";
  }
}

function messageOf(status: number, body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message === "string" && message) return message;
  if (status === 413) return "The file is too large.";
  if (status === 0) return "The connection was lost during the upload. Check your network and try again.";
  return `The upload failed (HTTP ${status}). Try again.`;
}

/** POSTs the file and resolves with the JSON body of a 201 answer; rejects with UploadFailed (the server's message) otherwise. */
export function postFile<T>(url: string, file: File, options: { contentType: string; onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal }): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.responseType = "json";
    request.setRequestHeader("content-type", file.type || options.contentType);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.({ loaded: event.loaded, total: event.total });
    };
    request.onload = () => {
      const body = request.response as T | null;
      if (request.status === 201 && body) resolve(body);
      else reject(new UploadFailed(messageOf(request.status, body), request.status));
    };
    request.onerror = () => reject(new UploadFailed(messageOf(0, null), 0));
    request.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    options.signal?.addEventListener("abort", () => request.abort(), { once: true });
    request.send(file);
  });
}
