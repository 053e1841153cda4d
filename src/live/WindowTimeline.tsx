import { useLiveStore } from '../state/store';
import type { WindowOutcome } from '../state/liveTypes';

const TITLE: Record<WindowOutcome, string> = {
  located: 'located',
  squelched: 'squelched: no receiver hears a signal',
  incomplete: 'incomplete: a receiver had no samples',
  dropped: 'dropped: the model was behind',
  failed: 'failed',
};

/** The last windows, oldest left: what became of each (located, squelched, ...). */
export function WindowTimeline() {
  const marks = useLiveStore((s) => s.windows);
  return (
    <div
      className="live-timeline"
      role="list"
      aria-label="Recent windows"
      data-testid="window-timeline"
    >
      {marks.map((m) => (
        <span
          key={`${m.startMs}-${m.outcome}`}
          role="listitem"
          className={`mark ${m.outcome}`}
          title={`${new Date(m.startMs).toISOString().slice(11, 22)} ${TITLE[m.outcome]}${m.count > 1 ? ` (${m.count} windows)` : ''}`}
        />
      ))}
    </div>
  );
}

export function TimelineLegend() {
  return (
    <ul className="live-timeline-legend">
      {(Object.keys(TITLE) as WindowOutcome[]).map((o) => (
        <li key={o}>
          <span className={`mark ${o}`} /> {o}
        </li>
      ))}
    </ul>
  );
}
