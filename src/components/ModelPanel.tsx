import type { ManifestEntry } from '../core/modelMetadata';
import { useActiveEntry } from '../hooks/useConstellation';
import { reloadModels, switchVersion } from '../state/engineActions';
import { useStore } from '../state/store';
import { formatBytes, formatPercent } from '../ui/format';

/** The manifest's versions with their stage, A/B weight and evaluation; pin one or follow A/B. */
export function ModelPanel() {
  const manifest = useStore((s) => s.manifest);
  const manifestError = useStore((s) => s.manifestError);
  const pinned = useStore((s) => s.pinnedVersion);
  const engine = useStore((s) => s.engine);
  const active = useActiveEntry();
  const busy = engine.state === 'loading';
  return (
    <div data-testid="model-panel">
      <div className="section">
        <h2>
          Models
          <button type="button" onClick={() => void reloadModels()} disabled={busy}>
            Reload
          </button>
        </h2>
        {manifestError && (
          <p className="error-text" role="alert">
            {manifestError.name}: {manifestError.message}
          </p>
        )}
        <p className="muted">
          {pinned ? (
            <>
              Pinned to {pinned}.{' '}
              <button
                type="button"
                className="link"
                onClick={() => void switchVersion(null)}
                disabled={busy}
              >
                Follow the A/B split
              </button>
            </>
          ) : (
            'Following the A/B split between production and staging (weights set on the server).'
          )}
        </p>
      </div>
      {(manifest?.models ?? []).map((m) => (
        <VersionCard key={m.version} entry={m} active={m.version === active?.version} busy={busy} />
      ))}
      {manifest && manifest.models.length === 0 && (
        <p className="section muted">The server lists no models.</p>
      )}
    </div>
  );
}

function VersionCard({
  entry: m,
  active,
  busy,
}: {
  entry: ManifestEntry;
  active: boolean;
  busy: boolean;
}) {
  return (
    <div className="section" data-version={m.version}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h3 className="num">
          {m.version} <span className={`badge ${m.stage}`}>{m.stage}</span>{' '}
          {active && <span className="badge hit">in use</span>}
        </h3>
        <button
          type="button"
          disabled={busy || active}
          onClick={() => void switchVersion(m.version)}
        >
          Use {m.version}
        </button>
      </div>
      <p className="muted" style={{ margin: '4px 0' }}>
        {m.description}
      </p>
      <dl className="kv">
        <dt>A/B weight</dt>
        <dd className="num">{m.stage === 'archived' ? '–' : formatPercent(m.weight)}</dd>
        <dt>Created</dt>
        <dd className="num">{m.created.slice(0, 10)}</dd>
        <dt>Size</dt>
        <dd className="num">{formatBytes(m.sizeBytes)}</dd>
        <dt>Covariance</dt>
        <dd>{m.output.covariance}</dd>
      </dl>
      {m.evaluation.length > 0 && (
        <table style={{ marginTop: 6 }}>
          <thead>
            <tr>
              <th>Test set</th>
              <th className="right">Scenes</th>
              <th className="right">Median</th>
              <th className="right">P90</th>
              <th className="right">In 68 %</th>
              <th className="right">In 95 %</th>
            </tr>
          </thead>
          <tbody>
            {m.evaluation.map((e) => (
              <tr key={e.set}>
                <td>{e.set}</td>
                <td className="right num">{e.scenes}</td>
                <td className="right num">{e.medianErrorKm.toFixed(1)} km</td>
                <td className="right num">{e.p90ErrorKm.toFixed(1)} km</td>
                <td className="right num">{formatPercent(e.coverage68)}</td>
                <td className="right num">{formatPercent(e.coverage95)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
