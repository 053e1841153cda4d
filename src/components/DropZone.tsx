import { useFileDrop } from '../hooks/useFileDrop';
import { openFiles } from '../state/fileActions';

/** Where recordings are dropped; also explains which formats are read. */
export function DropZone() {
  const { dragging, handlers } = useFileDrop((files) => void openFiles(files));
  return (
    <div
      className={`drop-zone${dragging ? ' dragging' : ''}`}
      data-testid="drop-zone"
      {...handlers}
    >
      <p>
        Drop recordings here: SigMF pairs or .sigmf archives, KiwiSDR or auxi WAV, raw
        cu8/cs16/cf32.
      </p>
      <p className="muted">One file per receiver; they are grouped into scenes by capture time.</p>
    </div>
  );
}
