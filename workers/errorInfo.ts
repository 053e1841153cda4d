import { HeimdallError, isErrorName, type HeimdallErrorName } from '../src/core/errors';
import type { ErrorInfo } from './types';

/** Any thrown value as a HeimdallError, so that every rejection crossing comlink has a known name. */
export function asHeimdallError(
  err: unknown,
  fallback: HeimdallErrorName = 'InferenceError',
): HeimdallError {
  if (err instanceof HeimdallError) return err;
  if (err instanceof Error && isErrorName(err.name)) {
    const copy = new HeimdallError(err.name, err.message);
    copy.stack = err.stack;
    return copy;
  }
  return new HeimdallError(fallback, err instanceof Error ? err.message : String(err));
}

export function errorInfo(err: unknown, file?: string): ErrorInfo {
  const e = asHeimdallError(err);
  return {
    name: e.name as ErrorInfo['name'],
    message: e.message,
    ...((file ?? e.file) ? { file: file ?? e.file } : {}),
  };
}
