import type { StationUse } from '../core/tdoa/types';
import type { TdoaRecordingView } from '../hooks/useTdoaView';
import { recordingLabel } from '../state/fileIdentity';

/** Each station's timing quality: GPS fix age, estimated sample rate, used or why not. */
export function TdoaStationTable({
  stations,
  recordings,
}: {
  stations: StationUse[];
  recordings: TdoaRecordingView[];
}) {
  return (
    <table data-testid="tdoa-stations">
      <thead>
        <tr>
          <th>Station</th>
          <th className="right">Fix age</th>
          <th className="right">Rate, Hz</th>
          <th className="right">Fixes</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {stations.map((s) => {
          const t = s.timing;
          const rec = recordings.find((r) => r.match.id === s.id || r.match.station?.id === s.id);
          return (
            <tr key={s.id} data-station={s.id} data-used={s.used}>
              <td title={rec && recordingLabel(rec.recording)}>{s.id}</td>
              <td className="right num">
                {t?.gpsFixAgeS !== undefined ? `${t.gpsFixAgeS.toFixed(0)} s` : '–'}
              </td>
              <td
                className="right num"
                title={t ? `nominal ${t.nominalRateHz} Hz (${t.source})` : undefined}
              >
                {t ? t.sampleRateHz.toFixed(3) : '–'}
              </td>
              <td className="right num">{t?.freshStamps ?? '–'}</td>
              <td className={s.used ? '' : 'error-text'} title={s.notes?.join('; ')}>
                {s.used ? 'used' : `excluded: ${s.reason ?? 'no reason given'}`}
                {s.notes && s.notes.length > 0 && (
                  <div className="muted station-notes">{s.notes.join('; ')}</div>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
