/**
 * What the map area shows until the map is drawn: that it is loading, and what it waits for. The
 * map starts late on purpose (useMapStart.ts), and without a GPU its first frames take seconds,
 * so a blank area would look broken.
 */
export function MapLoading({ waitingFor }: { waitingFor: string | null }) {
  return (
    <div className="map-loading" role="status" data-testid="map-loading">
      <span className="map-loading-spinner" aria-hidden="true" />
      <div>
        <strong>Map loading…</strong>
        <p>
          {waitingFor ??
            'Drawing the map (in software here, without a GPU, this takes a few seconds).'}
        </p>
      </div>
    </div>
  );
}
