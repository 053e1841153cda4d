import { MAP_COLORS as C } from '../map/theme';
import { viridis } from '../ui/colormap';

const ramp = `linear-gradient(90deg, ${[0, 0.5, 1].map((t) => `rgb(${viridis(t).join(',')})`).join(', ')})`;

/** What the TDoA marks mean (shown while a TDoA result is on the map). */
export function TdoaLegend({ hasModel }: { hasModel: boolean }) {
  return (
    <ul className="legend tdoa-legend" aria-label="TDoA legend">
      <li>
        <span className="swatch" style={{ background: ramp, width: 24 }} /> TDoA posterior
      </li>
      <li>
        <span
          className="swatch"
          style={{
            background: C.tdoaEstimate,
            borderRadius: '50%',
            width: 12,
            border: '2px solid #fff',
          }}
        />{' '}
        TDoA estimate
      </li>
      <li>
        <span className="swatch" style={{ border: `2px solid ${C.tdoaRegion68}` }} /> 68 %
      </li>
      <li>
        <span className="swatch" style={{ border: `2px dashed ${C.tdoaRegion95}` }} /> 95 %
      </li>
      <li>
        <span className="swatch" style={{ background: C.tdoaHyperbola, height: 3, width: 16 }} />{' '}
        Hyperbola
      </li>
      {hasModel && (
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
          Model
        </li>
      )}
    </ul>
  );
}
