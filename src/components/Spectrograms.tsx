import { useMemo } from 'react';
import type { Station } from '../core/scene/types';
import type { Prediction } from '../state/types';
import { viridisGradientCss, viridisLut } from '../ui/colormap';
import { formatDb } from '../ui/format';
import { sharedDbScale } from '../ui/spectrogramScale';
import { SpectrogramCanvas } from './SpectrogramCanvas';

const LUT = viridisLut();

/**
 * Each receiver's log-mel window side by side on ONE colour scale, with each receiver's mean
 * level, so the level differences the model locates from are visible.
 */
export function Spectrograms({
  prediction,
  receivers,
}: {
  prediction?: Prediction;
  receivers: Station[];
}) {
  const logMel = prediction?.logMel;
  const images = useMemo(() => logMel ?? [], [logMel]);
  const scale = useMemo(() => sharedDbScale(images), [images]);
  const n = Math.max(receivers.length, 1);
  return (
    <div className="spectrograms" style={{ ['--n' as string]: n }} data-testid="spectrograms">
      {receivers.map((r, i) => {
        const img = images.find((x) => x.receiverId === r.id);
        const level = prediction?.levelsDb[prediction.receiverIds.indexOf(r.id)];
        return (
          <figure key={r.id} className="spectrogram" data-receiver={r.id}>
            {img && scale ? (
              <SpectrogramCanvas
                image={img}
                scale={scale}
                lut={LUT}
                label={`Log-mel spectrogram at ${r.name ?? r.id}`}
              />
            ) : (
              <div className="placeholder" style={{ height: 120 }}>
                {prediction ? 'no spectrogram' : '–'}
              </div>
            )}
            <figcaption title={r.name ?? r.id}>
              {r.name ?? r.id}
              <br />
              <span className="num muted" data-testid={`level-${i}`}>
                {level === undefined || !Number.isFinite(level)
                  ? '–'
                  : receivers.length > 3
                    ? level.toFixed(1) // narrow columns: the unit is in the colour bar's title
                    : formatDb(level)}
              </span>
            </figcaption>
          </figure>
        );
      })}
      <div className="colorbar" aria-label="Colour scale" title="dBFS">
        <span className="num">{scale ? scale.maxDb.toFixed(0) : ''}</span>
        <span className="bar" style={{ background: viridisGradientCss() }} />
        <span className="num">{scale ? scale.minDb.toFixed(0) : ''}</span>
      </div>
    </div>
  );
}
