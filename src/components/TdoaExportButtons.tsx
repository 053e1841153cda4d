import { toCsv, toGeoJSON, toKml } from '../core/exportFormats';
import { useTdoaView } from '../hooks/useTdoaView';
import { toUiError } from '../state/scenes';
import { useStore, useTdoaStore } from '../state/store';
import { downloadText } from '../ui/download';
import { tdoaExportRows } from '../state/tdoaExportRows';
import { downloadTdoaSigmf } from '../ui/tdoaSigmfDownload';

const FORMATS = [
  { label: 'GeoJSON', ext: 'geojson', mime: 'application/geo+json', write: toGeoJSON },
  { label: 'CSV', ext: 'csv', mime: 'text/csv', write: toCsv },
  { label: 'KML', ext: 'kml', mime: 'application/vnd.google-earth.kml+xml', write: toKml },
] as const;

/** The selected TDoA result in GeoJSON (with its regions), CSV, KML and a SigMF collection. */
export function TdoaExportButtons() {
  const view = useTdoaView();
  const recordings = useStore((s) => s.recordings);
  const runs = useTdoaStore((s) => s.runs);
  const stations = useTdoaStore((s) => s.stations);
  const towns = useTdoaStore((s) => s.towns);
  if (!view.selected) return null;
  const [row] = tdoaExportRows([view.selected], runs, recordings, stations, towns);
  if (!row) return null;
  const base = `heimdall-tdoa-${view.selected.id.replace(/[^0-9A-Za-z]+/g, '-')}`;
  const sigmfRecordings = view.recordings.map((r) => ({
    info: r.recording.info,
    station: r.match.station,
  }));
  return (
    <div className="row" data-testid="tdoa-export">
      {FORMATS.map((f) => (
        <button
          key={f.ext}
          type="button"
          onClick={() => downloadText(`${base}.${f.ext}`, f.write([], [row]), f.mime)}
        >
          {f.label}
        </button>
      ))}
      <button
        type="button"
        onClick={() =>
          void downloadTdoaSigmf(`${base}.sigmf`, row, sigmfRecordings).catch((err: unknown) =>
            useStore.setState({ notice: `SigMF export failed: ${toUiError(err).message}` }),
          )
        }
      >
        SigMF collection
      </button>
    </div>
  );
}
