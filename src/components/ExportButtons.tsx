import { toCsv, toGeoJSON, toKml } from '../core/exportFormats';
import { useTdoaView } from '../hooks/useTdoaView';
import { useStore, useTdoaStore } from '../state/store';
import type { SceneView } from '../state/types';
import { downloadText } from '../ui/download';
import { exportRows } from '../state/resultFigures';
import { tdoaExportRows } from '../state/tdoaExportRows';

const FORMATS = [
  { label: 'GeoJSON', ext: 'geojson', mime: 'application/geo+json', write: toGeoJSON },
  { label: 'CSV', ext: 'csv', mime: 'text/csv', write: toCsv },
  { label: 'KML', ext: 'kml', mime: 'application/vnd.google-earth.kml+xml', write: toKml },
] as const;

/** Downloads every located scene in the three formats src/core/exportFormats.ts writes. */
export function ExportButtons({ scenes }: { scenes: SceneView[] }) {
  const predictions = useStore((s) => s.predictions);
  const rows = exportRows(scenes, predictions);
  // TDoA results (issue 12) ride along in every format.
  const recordings = useStore((s) => s.recordings);
  const { scenes: tdoaScenes } = useTdoaView();
  const runs = useTdoaStore((s) => s.runs);
  const stations = useTdoaStore((s) => s.stations);
  const towns = useTdoaStore((s) => s.towns);
  const tdoa = tdoaExportRows(tdoaScenes, runs, recordings, stations, towns);
  const count = rows.length + tdoa.length;
  return (
    <div className="row">
      {FORMATS.map((f) => (
        <button
          key={f.ext}
          type="button"
          disabled={count === 0}
          onClick={() => downloadText(`heimdall-results.${f.ext}`, f.write(rows, tdoa), f.mime)}
        >
          {f.label}
        </button>
      ))}
      <span className="muted">
        {count} result{count === 1 ? '' : 's'}
      </span>
    </div>
  );
}
