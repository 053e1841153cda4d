import type { Station } from '../core/scene/types';
import type { Prediction } from '../state/types';
import { formatBearingDeg, formatDb, formatDistanceM } from '../ui/format';
import { receiverFigures } from '../state/resultFigures';

/** Distance and bearing from each receiver to the estimate, and each receiver's level. */
export function ReceiverTable({
  prediction,
  receivers,
}: {
  prediction?: Prediction;
  receivers: Station[];
}) {
  const figures = prediction ? receiverFigures(prediction, receivers) : null;
  return (
    <table data-testid="receiver-table">
      <thead>
        <tr>
          <th>Receiver</th>
          <th className="right">Distance</th>
          <th className="right">Bearing</th>
          <th className="right">Level</th>
        </tr>
      </thead>
      <tbody>
        {receivers.map((r) => {
          const f = figures?.find((x) => x.receiverId === r.id);
          return (
            <tr key={r.id}>
              <td>{r.name ?? r.id}</td>
              <td className="right num">{f ? formatDistanceM(f.distanceM) : '–'}</td>
              <td className="right num">{f ? formatBearingDeg(f.bearingDeg) : '–'}</td>
              <td className="right num">{f?.levelDb != null ? formatDb(f.levelDb) : '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
