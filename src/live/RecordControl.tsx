import { useLiveStore } from '../state/store';
import { downloadBlob } from '../ui/download';
import type { LiveSession } from './liveSession';

/** About 15 minutes of three receivers at 12 kS/s cf32; recording stops there and says so. */
export const MAX_RECORDING_BYTES = 256 * 1024 * 1024;

/**
 * Records the live streams to one SigMF archive (a .sigmf tar holding a recording per receiver),
 * downloaded on Stop; the file view opens it like any other recording.
 */
export function RecordControl({ session }: { session: LiveSession | null }) {
  const recording = useLiveStore((s) => s.recording);
  const stop = () => {
    const archive = session?.stopRecording();
    if (archive) downloadBlob(archive.name, archive.parts, 'application/x-tar');
  };
  return (
    <section className="section" aria-label="Record">
      <h2>Record</h2>
      <div className="row">
        {recording ? (
          <button type="button" className="primary" onClick={stop} data-testid="record-stop">
            Stop and download
          </button>
        ) : (
          <button
            type="button"
            onClick={() => session?.startRecording(MAX_RECORDING_BYTES)}
            disabled={!session}
            data-testid="record-start"
          >
            Record SigMF
          </button>
        )}
        {recording && (
          <span className={recording.full ? 'warn-text' : 'muted'} role="status">
            {recording.seconds.toFixed(1)} s · {(recording.bytes / 1e6).toFixed(1)} MB
            {recording.full ? ' · size limit reached, no longer recording' : ''}
          </span>
        )}
      </div>
    </section>
  );
}
