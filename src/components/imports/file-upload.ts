/** Sends a chosen file to POST /api/imports/upload (streamed; see shared/upload-file.ts). */
import type { UploadedFile } from "@/lib/csv-import/fields";
import { postFile, UploadFailed, type UploadProgress } from "@/components/shared/upload-file";

export { UploadFailed, type UploadProgress };

export async function uploadImportFile(
  file: File,
  options: { fileName: string; onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal },
): Promise<UploadedFile> {
  const body = await postFile<{ upload?: UploadedFile }>(`/api/imports/upload?${new URLSearchParams({ fileName: options.fileName })}`, file, { ...options, contentType: "text/csv" });
  if (!body.upload) throw new UploadFailed("The upload failed. Try again.", 201);
  return body.upload;
}
