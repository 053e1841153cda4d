import { HeimdallError } from '../src/core/errors';

/**
 * Downloads a file, reporting bytes as they arrive (fetch + ReadableStream). The total comes from
 * Content-Length, else from what the manifest promised. Reads into one preallocated buffer when
 * the size is known, so a model is never held twice while downloading.
 */
export async function downloadBytes(
  fetchFn: typeof fetch,
  url: string,
  expectedBytes: number,
  onBytes: (loadedBytes: number, totalBytes: number) => void,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (err) {
    throw new HeimdallError('ModelLoadError', `download failed (${(err as Error).message})`, url);
  }
  if (!response.ok)
    throw new HeimdallError('ModelLoadError', `download failed: HTTP ${response.status}`, url);
  const header = Number(response.headers.get('content-length'));
  const totalBytes = Number.isFinite(header) && header > 0 ? header : expectedBytes;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onBytes(bytes.length, totalBytes);
    return bytes;
  }
  const reader = response.body.getReader();
  let buffer = new Uint8Array(totalBytes);
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > buffer.length) {
      // More bytes than announced: grow rather than fail here; the sha256 check decides.
      const grown = new Uint8Array(Math.max(buffer.length * 2, loaded + value.length));
      grown.set(buffer.subarray(0, loaded));
      buffer = grown;
    }
    buffer.set(value, loaded);
    loaded += value.length;
    onBytes(loaded, totalBytes);
  }
  return loaded === buffer.length ? buffer : buffer.slice(0, loaded);
}

/** GET a JSON document; ModelLoadError names the URL on any failure. */
export async function fetchJson(fetchFn: typeof fetch, url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (err) {
    throw new HeimdallError('ModelLoadError', `request failed (${(err as Error).message})`, url);
  }
  if (!response.ok) throw new HeimdallError('ModelLoadError', `HTTP ${response.status}`, url);
  try {
    return await response.json();
  } catch {
    throw new HeimdallError('ManifestError', 'is not valid JSON', url);
  }
}
