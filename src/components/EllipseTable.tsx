import type { EllipseSummary } from '../core/ellipse';
import { ELLIPSE_PROBABILITIES } from '../core/ellipse';
import { formatDistanceM } from '../ui/format';

/** Semi-axes and orientation of the 68 % and 95 % regions; dashes until a result arrives. */
export function EllipseTable({ ellipses }: { ellipses?: EllipseSummary[] }) {
  return (
    <table data-testid="ellipse-table">
      <thead>
        <tr>
          <th>Region</th>
          <th className="right">Semi-major</th>
          <th className="right">Semi-minor</th>
          <th className="right">Major axis</th>
        </tr>
      </thead>
      <tbody>
        {ELLIPSE_PROBABILITIES.map((p) => {
          const e = ellipses?.find((x) => x.p === p);
          return (
            <tr key={p} data-p={p}>
              <td>{Math.round(p * 100)} %</td>
              <td className="right num">{e ? formatDistanceM(e.semiMajorM) : '–'}</td>
              <td className="right num">{e ? formatDistanceM(e.semiMinorM) : '–'}</td>
              <td className="right num">{e ? `${e.azimuthDeg.toFixed(0)}° from N` : '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
