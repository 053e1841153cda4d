import { lazy, Suspense } from 'react';
import { useStore, type Panel } from '../state/store';
import { ResultPanel } from './ResultPanel';

// Only the result panel shows at start; the others (and what they alone import: the model
// list's schemas, the TDoA plots, the metrics histogram) load when their tab is first opened,
// so the page's first render does not wait for their code to be fetched and evaluated.
const MetricsPanel = lazy(() =>
  import('./MetricsPanel').then((m) => ({ default: m.MetricsPanel })),
);
const ModelPanel = lazy(() => import('./ModelPanel').then((m) => ({ default: m.ModelPanel })));
const SettingsPanel = lazy(() =>
  import('./SettingsPanel').then((m) => ({ default: m.SettingsPanel })),
);
const StationPanel = lazy(() =>
  import('./StationPanel').then((m) => ({ default: m.StationPanel })),
);
const TdoaPanel = lazy(() => import('./TdoaPanel').then((m) => ({ default: m.TdoaPanel })));

const TABS: { id: Panel; label: string }[] = [
  { id: 'result', label: 'Result' },
  { id: 'tdoa', label: 'TDoA' },
  { id: 'stations', label: 'Stations' },
  { id: 'models', label: 'Models' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'settings', label: 'Settings' },
];

/** Right column: tabs (WAI-ARIA tab pattern; arrow keys move between tabs). */
export function SidePanel() {
  const panel = useStore((s) => s.panel);
  const set = useStore((s) => s.set);
  const move = (delta: number) => {
    const i = TABS.findIndex((t) => t.id === panel);
    const next = TABS[(i + delta + TABS.length) % TABS.length];
    set({ panel: next.id });
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <section className="side-column" aria-label="Details">
      <div className="tabs" role="tablist" aria-label="Panels">
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={panel === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={panel === t.id ? 0 : -1}
            onClick={() => set({ panel: t.id })}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight') move(1);
              if (e.key === 'ArrowLeft') move(-1);
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${panel}`} aria-labelledby={`tab-${panel}`}>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          {panel === 'result' && <ResultPanel />}
          {panel === 'tdoa' && <TdoaPanel />}
          {panel === 'stations' && <StationPanel />}
          {panel === 'models' && <ModelPanel />}
          {panel === 'metrics' && <MetricsPanel />}
          {panel === 'settings' && <SettingsPanel />}
        </Suspense>
      </div>
    </section>
  );
}
