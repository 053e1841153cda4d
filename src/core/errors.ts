/**
 * Error names shared by every layer. Only `name`, `message` and `stack` survive comlink, so the
 * UI switches on `err.name`; this array is the single list of them, and the union its type.
 */
export const ERROR_NAMES = [
  'UnsupportedFormatError', // the file is not one of the formats we read, or a datatype we refuse
  'CorruptFileError', // the file claims a format but its bytes disagree (bad header, bad JSON)
  'TruncatedFileError', // fewer bytes than the header or metadata promise
  'MissingParameterError', // a headerless file without the parameters the user must give
  'TooShortError', // fewer samples than one model window
  'SceneIncompleteError', // a scene lacks a receiver the model needs
  'ReceiverUnknownError', // a recording cannot be matched to any receiver of the model
  'ModelIntegrityError', // a model file's sha256 differs from the manifest
  'ModelLoadError', // the model could not be fetched or a session could not be created
  'ManifestError', // a registry or metadata file fails validation
  'InferenceError', // the runtime failed while running a model
  'CancelledError', // the caller cancelled the request
  'WorkerLostError', // the inference worker stopped mid-request (it is restarted; retry)
  'ConfigError', // invalid settings or command-line arguments
] as const;
export type HeimdallErrorName = (typeof ERROR_NAMES)[number];

export class HeimdallError extends Error {
  /** The file the problem is about, when there is one. */
  readonly file?: string;

  constructor(name: HeimdallErrorName, message: string, file?: string) {
    super(file ? `${file}: ${message}` : message);
    this.name = name;
    this.file = file;
  }
}

export function isHeimdallError(err: unknown, name?: HeimdallErrorName): err is HeimdallError {
  return err instanceof Error && (name === undefined ? isErrorName(err.name) : err.name === name);
}

const errorNameSet: ReadonlySet<string> = new Set(ERROR_NAMES);

export function isErrorName(name: string): name is HeimdallErrorName {
  return errorNameSet.has(name);
}
