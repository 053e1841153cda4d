import { maidenhead } from '../core/maidenhead';
import { useConstellation } from '../hooks/useConstellation';
import { useScenes } from '../hooks/useScenes';
import { useStore } from '../state/store';
import { formatLat, formatLon, formatUtc } from '../ui/format';
import { truthFigures } from '../state/resultFigures';
import { EllipseTable } from './EllipseTable';
import { ModelRunFacts } from './ModelRunFacts';
import { ReceiverTable } from './ReceiverTable';
import { Spectrograms } from './Spectrograms';
import { TruthFacts } from './TruthFacts';

/**
 * The selected scene's result. Every block renders with placeholders before the result arrives,
 * so nothing moves when it does.
 */
export function ResultPanel() {
  const selected = useStore((s) => s.selectedSceneId);
  const prediction = useStore((s) => (selected ? s.predictions[selected] : undefined));
  const run = useStore((s) => (selected ? s.runs[selected] : undefined));
  const { scenes } = useScenes();
  const fixed = useConstellation()?.receivers ?? [];
  const scene = scenes.find((s) => s.id === selected);
  // The scene's own receivers (any number, issue 13); the fixed network's before one is chosen.
  const receivers = scene?.receivers ?? fixed;
  const truth = prediction && scene?.truth ? truthFigures(prediction, scene.truth) : null;
  return (
    <div data-testid="result-panel" data-scene-id={selected ?? ''}>
      <div className="section">
        <h2>
          Estimate
          <span className="muted num" style={{ textTransform: 'none' }}>
            {scene ? formatUtc(scene.captureTimeMs) : 'no scene selected'}
          </span>
        </h2>
        <div className="big-coord" data-testid="estimate-coords">
          <div data-testid="estimate-lat">{prediction ? formatLat(prediction.lat) : '–'}</div>
          <div data-testid="estimate-lon">{prediction ? formatLon(prediction.lon) : '–'}</div>
        </div>
        <dl className="kv" style={{ marginTop: 4 }}>
          <dt>Decimal</dt>
          <dd className="num" data-testid="estimate-decimal">
            {prediction ? `${prediction.lat.toFixed(5)}, ${prediction.lon.toFixed(5)}` : '–'}
          </dd>
          <dt>Locator</dt>
          <dd className="num" data-testid="estimate-locator">
            {prediction ? maidenhead(prediction.lat, prediction.lon, 3) : '–'}
          </dd>
        </dl>
        {run?.status === 'error' && (
          <p className="error-text" role="alert">
            {run.error?.name}: {run.error?.message}
          </p>
        )}
        {!run && !prediction && scene?.problem && (
          <p className="error-text" role="alert" data-testid="scene-problem">
            {scene.problem.name}: {scene.problem.message}
          </p>
        )}
      </div>
      <div className="section">
        <h2>Uncertainty</h2>
        <EllipseTable ellipses={prediction?.ellipses} />
      </div>
      <div className="section">
        <h2>Versus truth</h2>
        <TruthFacts truth={truth} known={Boolean(scene?.truth)} />
      </div>
      <div className="section">
        <h2>From each receiver</h2>
        <ReceiverTable prediction={prediction} receivers={receivers} />
      </div>
      <div className="section">
        <h2>Model input (log-mel, shared scale)</h2>
        <Spectrograms prediction={prediction} receivers={receivers} />
      </div>
      <div className="section">
        <h2>Run</h2>
        <ModelRunFacts prediction={prediction} />
      </div>
    </div>
  );
}
