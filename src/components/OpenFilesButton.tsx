import { useRef } from 'react';
import { openFiles } from '../state/fileActions';

/** File types the readers know, and station lists (.json); the picker still allows anything (raw files have any name). */
const ACCEPT = '.json,.sigmf-meta,.sigmf-data,.sigmf,.wav,.cu8,.cs16,.cf32,.raw,.bin,.iq,.dat';

/** A real button that opens a hidden file input, so the picker is keyboard reachable. */
export function OpenFilesButton() {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()}>
        Open files…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        hidden
        data-testid="file-input"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (files.length > 0) void openFiles(files);
        }}
      />
    </>
  );
}
