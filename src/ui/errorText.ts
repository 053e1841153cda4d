/**
 * What the operator can do about each kind of error. The engine's message says what went wrong
 * with which file; this adds the next step. Switches on err.name, the one part of an Error that
 * survives the worker boundary besides the message.
 */
import type { ErrorInfo } from '../../workers/types';

export function errorHint(err: Pick<ErrorInfo, 'name'> & { message?: string }): string {
  // Scenes of any receivers (issue 13): two problems a receiver choice does not solve.
  if (err.name === 'ReceiverUnknownError' && err.message?.includes('has no position')) {
    return 'Add its station with a position in the Stations tab, or choose a receiver for it.';
  }
  if (err.name === 'SceneIncompleteError' && err.message?.includes('second recording')) {
    return 'A scene takes one recording per station: remove one, or reassign it.';
  }
  switch (err.name) {
    case 'UnsupportedFormatError':
      return 'Use SigMF, a .sigmf archive, KiwiSDR or auxi WAV, or raw cu8/cs16/cf32.';
    case 'CorruptFileError':
      return 'The file is damaged or not what its name says; record or export it again.';
    case 'TruncatedFileError':
      return 'The file ends early; it was probably cut off while copying or recording.';
    case 'MissingParameterError':
      return 'Give the missing parameters (sample rate, format, capture time) in the raw-file form.';
    case 'TooShortError':
      return 'The model needs a longer recording; record at least one model window.';
    case 'SceneIncompleteError':
      return 'Add the missing receiver’s recording, or reassign a recording to it.';
    case 'ReceiverUnknownError':
      return 'Choose the receiver for this recording in the Receiver column.';
    case 'ModelIntegrityError':
      return 'The downloaded model does not match the manifest; reload the model.';
    case 'ModelLoadError':
      return 'The model could not be loaded; check the server and reload.';
    case 'ManifestError':
      return 'The server’s model list is invalid; ask the operator of the server.';
    case 'InferenceError':
      return 'The model failed on this input; try another execution provider in Settings.';
    case 'CancelledError':
      return 'Cancelled.';
    case 'WorkerLostError':
      return 'The engine stopped twice on this scene and was restarted; locate it again.';
    case 'ConfigError':
      return 'A setting is invalid; check Settings.';
    default:
      return 'Unexpected error; the message above has the details.';
  }
}
