import { toCsv, toGeoJSON, toKml } from '../core/exportFormats';
import { useStore } from '../state/store';
import type { SceneView } from '../state/types';
import { downloadText } from '../ui/download';
import { exportRows } from '../ui/resultFigures';

const FORMATS = [
  { label: 'GeoJSON', ext: 'geojson', mime: 'application/geo+json', write: toGeoJSON },
  { label: 'CSV', ext: 'csv', mime: 'text/csv', write: toCsv },
  { label: 'KML', ext: 'kml', mime: 'application/vnd.google-earth.kml+xml', write: toKml },
] as const;

/** Downloads every located scene in the three formats src/core/exportFormats.ts writes. */
export function ExportButtons({ scenes }: { scenes: SceneView[] }) {
  const predictions = useStore((s) => s.predictions);
  const rows = exportRows(scenes, predictions);
  return (
    <div className="row">
      {FORMATS.map((f) => (
        <button
          key={f.ext}
          type="button"
          disabled={rows.length === 0}
          onClick={() => downloadText(`heimdall-results.${f.ext}`, f.write(rows), f.mime)}
        >
          {f.label}
        </button>
      ))}
      <span className="muted">
        {rows.length} result{rows.length === 1 ? '' : 's'}
      </span>
    </div>
  );
}
