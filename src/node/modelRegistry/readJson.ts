import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { HeimdallError } from '../../core/errors';

/** Reads a JSON file and validates it, turning every failure into a ManifestError naming the file. */
export async function readJsonFile<T extends z.ZodType>(
  path: string,
  schema: T,
): Promise<z.infer<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new HeimdallError('ManifestError', `cannot read file (${code})`, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HeimdallError('ManifestError', `not valid JSON: ${(err as Error).message}`, path);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new HeimdallError(
      'ManifestError',
      `invalid content:\n${z.prettifyError(parsed.error)}`,
      path,
    );
  }
  return parsed.data;
}
