import { MAP_COLORS as C } from '../map/theme';

/**
 * What each mark on the map means. `historyLabel` names the small dots: the other located
 * scenes in the file view, the recent track in the live view.
 */
export function Legend({
  showTruth,
  historyLabel = 'Other scenes (click)',
}: {
  showTruth: boolean;
  historyLabel?: string;
}) {
  return (
    <ul className="legend" aria-label="Map legend">
      <li>
        <span
          className="swatch"
          style={{ background: C.receiver, borderRadius: '50%', width: 12 }}
        />{' '}
        Receiver
      </li>
      <li>
        <span
          className="swatch"
          style={{
            background: C.estimate,
            borderRadius: '50%',
            width: 12,
            border: '2px solid #fff',
          }}
        />{' '}
        Estimate
      </li>
      <li>
        <span
          className="swatch"
          style={{ background: `${C.ellipse68}55`, border: `2px solid ${C.ellipse68}` }}
        />{' '}
        68 % region
      </li>
      <li>
        <span
          className="swatch"
          style={{ background: `${C.ellipse95}22`, border: `2px dashed ${C.ellipse95}` }}
        />{' '}
        95 % region
      </li>
      <li style={{ opacity: showTruth ? 1 : 0.45 }}>
        <span
          className="swatch"
          style={{ border: `3px solid ${C.truth}`, borderRadius: '50%', width: 14 }}
        />{' '}
        True position
      </li>
      <li>
        <span
          className="swatch"
          style={{ background: C.history, borderRadius: '50%', width: 10, height: 10 }}
        />{' '}
        {historyLabel}
      </li>
    </ul>
  );
}
