import { useState } from 'react';
import { stagingShare } from '../core/abSplit';
import type { ManifestEntry } from '../core/modelMetadata';
import { servesSummary } from '../core/networkModelMetadata';
import type { NetworkManifestEntry } from '../core/servingManifest';
import { useActiveEntry } from '../hooks/useConstellation';
import { reloadModels, setStagingShare, switchVersion } from '../state/engineActions';
import { useStore } from '../state/store';
import { formatBytes, formatPercent } from '../ui/format';

/** The manifest's versions with their stage, A/B weight and evaluation; pin one or follow A/B. */
export function ModelPanel() {
  const manifest = useStore((s) => s.manifest);
  const manifestError = useStore((s) => s.manifestError);
  const pinned = useStore((s) => s.pinnedVersion);
  const share = useStore((s) => s.settings.stagingShare);
  const engine = useStore((s) => s.engine);
  const active = useActiveEntry();
  const busy = engine.state === 'loading';
  // Pinned to an any-network version, no fixed-network version is in use.
  const pinnedNetwork = Boolean(manifest?.networkModels.some((m) => m.version === pinned));
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
            'Following the A/B split between production and staging.'
          )}
        </p>
        {!pinned && manifest && <AbSplit manifest={manifest.models} busy={busy} />}
      </div>
      {(manifest?.models ?? []).map((m) => (
        <VersionCard
          key={m.version}
          entry={m}
          active={!pinnedNetwork && m.version === active?.version}
          busy={busy}
          localShare={pinned ? null : share}
        />
      ))}
      {/* Any-network versions take no part in the A/B split: no local share. */}
      {(manifest?.networkModels ?? []).map((m) => (
        <VersionCard
          key={m.version}
          entry={m}
          active={engine.state === 'ready' && m.version === engine.networkVersion}
          busy={busy}
          localShare={null}
        />
      ))}
      {manifest && manifest.models.length === 0 && (
        <p className="section muted">The server lists no models.</p>
      )}
    </div>
  );
}

/**
 * The staging share of scenes in this browser: the server's weights (set with
 * `npx heimdall models weight`) unless the operator overrides them here. Each scene's arm is a
 * function of its content, so a given share always sends the same scenes to staging.
 */
function AbSplit({ manifest, busy }: { manifest: ManifestEntry[]; busy: boolean }) {
  const share = useStore((s) => s.settings.stagingShare);
  const production = manifest.find((m) => m.stage === 'production');
  const staging = manifest.find((m) => m.stage === 'staging');
  const serverShare = serverStagingShare(manifest);
  const [draft, setDraft] = useState<string>(() =>
    String(Math.round((share ?? serverShare) * 100)),
  );
  if (!production || !staging) {
    return <p className="muted">No staging version to split with.</p>;
  }
  const parsed = Number(draft);
  const valid = draft.trim() !== '' && Number.isFinite(parsed) && parsed >= 0 && parsed <= 100;
  const effective = share ?? serverShare;
  return (
    <form
      className="ab-split"
      data-testid="ab-split"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void setStagingShare(parsed / 100);
      }}
    >
      <p style={{ margin: '4px 0' }} data-testid="ab-effective">
        {staging.version} (staging) gets <span className="num">{formatPercent(effective)}</span> of
        scenes, {production.version} the rest{' '}
        {share === null ? '(the server’s weights)' : '(set in this browser)'}.
      </p>
      <div className="row">
        <label htmlFor="ab-share">Staging share</label>
        <input
          id="ab-share"
          type="number"
          min={0}
          max={100}
          step={1}
          inputMode="numeric"
          style={{ width: '5em' }}
          value={draft}
          aria-invalid={!valid}
          onChange={(e) => setDraft(e.currentTarget.value)}
        />
        <span>%</span>
        <button type="submit" disabled={busy || !valid}>
          Apply
        </button>
        {share !== null && (
          <button
            type="button"
            className="link"
            disabled={busy}
            onClick={() => {
              setDraft(String(Math.round(serverShare * 100)));
              void setStagingShare(null);
            }}
          >
            Use the server’s weights
          </button>
        )}
      </div>
      {!valid && <p className="error-text">Enter a share from 0 to 100 %.</p>}
    </form>
  );
}

/** The staging share the manifest's weights give. */
function serverStagingShare(manifest: ManifestEntry[]): number {
  return stagingShare({
    production: manifest.find((m) => m.stage === 'production')?.weight ?? 0,
    staging: manifest.find((m) => m.stage === 'staging')?.weight ?? null,
  });
}

function VersionCard({
  entry: m,
  active,
  busy,
  localShare,
}: {
  entry: ManifestEntry | NetworkManifestEntry;
  active: boolean;
  busy: boolean;
  /** This browser's staging share, when it overrides the server's weights. */
  localShare: number | null;
}) {
  const local =
    localShare === null || m.stage === 'archived'
      ? null
      : m.stage === 'staging'
        ? localShare
        : 1 - localShare;
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
        <dt>Serves</dt>
        <dd data-testid="serves">{servesSummary(m)}</dd>
        <dt>A/B weight</dt>
        <dd className="num">
          {m.stage === 'archived' || 'serves' in m ? '–' : formatPercent(m.weight)}
          {local !== null && ` on the server; ${formatPercent(local)} here`}
        </dd>
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
