import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RawParams } from '../core/readers/types';
import { openFiles } from '../state/fileActions';
import { useStore } from '../state/store';

/**
 * The small form for headerless files: they carry no sample rate, datatype or time, so the
 * operator gives them. A modal dialog (native <dialog>) keeps focus inside until answered.
 */
export function RawParamsForm({ files }: { files: File[] }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const set = useStore((s) => s.set);
  const [datatype, setDatatype] = useState<RawParams['datatype']>(guessDatatype(files[0]?.name));
  const [rateKhz, setRateKhz] = useState('12');
  const [freqMhz, setFreqMhz] = useState('');
  const [time, setTime] = useState('');

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const close = () => {
    dialog.current?.close();
    set({ pendingRaw: [] });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const raw: RawParams = {
      datatype,
      sampleRateHz: Number(rateKhz) * 1000,
      centerFrequencyHz: freqMhz ? Number(freqMhz) * 1e6 : undefined,
      // datetime-local has no zone; recordings are timed in UTC, so read it as UTC.
      captureTime: time ? new Date(`${time}Z`).toISOString() : undefined,
    };
    close();
    void openFiles(files, raw);
  };
  return (
    <dialog ref={dialog} className="raw-form" onCancel={close} aria-labelledby="raw-title">
      <form onSubmit={submit}>
        <h3 id="raw-title">Raw IQ parameters</h3>
        <p className="muted">
          {files.length} headerless file{files.length === 1 ? '' : 's'}:{' '}
          {files.map((f) => f.name).join(', ')}
        </p>
        <div className="form-grid">
          <label htmlFor="raw-dt">Sample format</label>
          <select
            id="raw-dt"
            value={datatype}
            onChange={(e) => setDatatype(e.currentTarget.value as RawParams['datatype'])}
          >
            <option value="cu8">cu8 (RTL-SDR, unsigned 8-bit)</option>
            <option value="cs16">cs16 (signed 16-bit LE)</option>
            <option value="cf32">cf32 (float 32-bit LE)</option>
          </select>
          <label htmlFor="raw-rate">Sample rate (kHz)</label>
          <input
            id="raw-rate"
            type="number"
            min="0.001"
            step="any"
            required
            value={rateKhz}
            onChange={(e) => setRateKhz(e.currentTarget.value)}
          />
          <label htmlFor="raw-freq">Centre frequency (MHz)</label>
          <input
            id="raw-freq"
            type="number"
            step="any"
            value={freqMhz}
            onChange={(e) => setFreqMhz(e.currentTarget.value)}
          />
          <label htmlFor="raw-time">Capture time (UTC)</label>
          <input
            id="raw-time"
            type="datetime-local"
            step="1"
            value={time}
            onChange={(e) => setTime(e.currentTarget.value)}
          />
        </div>
        <div className="row" style={{ justifyContent: 'flex-end' }}>
          <button type="button" onClick={close}>
            Skip these files
          </button>
          <button type="submit" className="primary">
            Open
          </button>
        </div>
      </form>
    </dialog>
  );
}

function guessDatatype(name = ''): RawParams['datatype'] {
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'cs16' || ext === 'cf32' ? ext : 'cu8';
}
