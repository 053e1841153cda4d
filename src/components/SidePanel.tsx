import { useStore, type Panel } from '../state/store';
import { MetricsPanel } from './MetricsPanel';
import { ModelPanel } from './ModelPanel';
import { ResultPanel } from './ResultPanel';
import { SettingsPanel } from './SettingsPanel';
import { StationPanel } from './StationPanel';
import { TdoaPanel } from './TdoaPanel';

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
        {panel === 'result' && <ResultPanel />}
        {panel === 'tdoa' && <TdoaPanel />}
        {panel === 'stations' && <StationPanel />}
        {panel === 'models' && <ModelPanel />}
        {panel === 'metrics' && <MetricsPanel />}
        {panel === 'settings' && <SettingsPanel />}
      </div>
    </section>
  );
}
