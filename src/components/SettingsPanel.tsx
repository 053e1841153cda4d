import { useState, type FormEvent } from 'react';
import { applySettings } from '../state/engineActions';
import { DEFAULT_SETTINGS, useStore } from '../state/store';
import type { Settings } from '../state/types';
import type { ExecutionProvider } from '../../workers/types';

const EP_CHOICES: { label: string; value: ExecutionProvider[] }[] = [
  { label: 'WASM (CPU) only', value: ['wasm'] },
  { label: 'WebGPU or WASM, whichever runs faster here', value: ['webgpu', 'wasm'] },
  { label: 'WebGPU only', value: ['webgpu'] },
];
const HOUR_MS = 3_600_000;

/** Operator settings, kept in localStorage across visits. */
export function SettingsPanel() {
  const settings = useStore((s) => s.settings);
  const [draft, setDraft] = useState<Settings>(settings);
  const [saved, setSaved] = useState('');
  const patch = (p: Partial<Settings>) => {
    setDraft((d) => ({ ...d, ...p }));
    setSaved('');
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(await applySettings(draft));
  };
  const epIndex = EP_CHOICES.findIndex((c) => c.value.join() === draft.epPreference.join());
  return (
    <form className="section" onSubmit={submit} data-testid="settings-panel">
      <h2>Map</h2>
      <div className="form-grid">
        <label htmlFor="set-engine">Map engine</label>
        <select
          id="set-engine"
          value={draft.mapEngine}
          onChange={(e) => patch({ mapEngine: e.currentTarget.value as Settings['mapEngine'] })}
        >
          <option value="maplibre">MapLibre, offline basemap</option>
          <option value="mapbox">Mapbox (needs a token)</option>
        </select>
        <label htmlFor="set-token">Mapbox token</label>
        <input
          id="set-token"
          type="password"
          autoComplete="off"
          placeholder="pk.…"
          value={draft.mapboxToken}
          onChange={(e) => patch({ mapboxToken: e.currentTarget.value })}
        />
      </div>
      <h2>Engine</h2>
      <div className="form-grid">
        <label htmlFor="set-ep">Execution provider</label>
        <select
          id="set-ep"
          value={Math.max(epIndex, 0)}
          onChange={(e) => patch({ epPreference: EP_CHOICES[Number(e.currentTarget.value)].value })}
        >
          {EP_CHOICES.map((c, i) => (
            <option key={c.label} value={i}>
              {c.label}
            </option>
          ))}
        </select>
        <label htmlFor="set-ttl">Cache lifetime (hours)</label>
        <input
          id="set-ttl"
          type="number"
          min="0"
          step="any"
          value={draft.cacheTtlMs / HOUR_MS}
          onChange={(e) =>
            patch({ cacheTtlMs: Math.round(Number(e.currentTarget.value) * HOUR_MS) })
          }
        />
        <label htmlFor="set-max">Cache size (results)</label>
        <input
          id="set-max"
          type="number"
          min="1"
          step="1"
          value={draft.cacheMaxEntries}
          onChange={(e) => patch({ cacheMaxEntries: Math.round(Number(e.currentTarget.value)) })}
        />
      </div>
      <div className="row">
        <button type="submit" className="primary">
          Save
        </button>
        <button type="button" onClick={() => patch(DEFAULT_SETTINGS)}>
          Defaults
        </button>
        <span className="muted" role="status">
          {saved}
        </span>
      </div>
      <p className="muted">
        The Mapbox token stays in this browser’s storage. With MapLibre the app needs no network
        beyond this server.
      </p>
    </form>
  );
}
