/**
 * How long an object URL outlives its click. Revoking at once can cancel the download in some
 * engines, and a large Blob (a live recording is up to 256 MB) may still be read after the
 * click has returned; holding the URL a little longer costs nothing.
 */
const REVOKE_AFTER_MS = 10_000;

/** Saves bytes as a file through a temporary object URL (no server round trip). */
export function downloadBlob(fileName: string, parts: BlobPart[], mimeType: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/** Saves text as a file. */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  downloadBlob(fileName, [text], mimeType);
}
