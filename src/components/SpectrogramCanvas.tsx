import { useEffect, useRef } from 'react';
import type { LogMelImage } from '../../workers/types';
import { paintSpectrogram, type DbScale } from '../ui/spectrogramScale';

/** One log-mel image at its native resolution; CSS scales it up (pixelated, no smoothing). */
export function SpectrogramCanvas(props: {
  image: LogMelImage;
  scale: DbScale;
  lut: Uint8ClampedArray;
  label: string;
}) {
  const { image, scale, lut, label } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    c.width = image.nFrames;
    c.height = image.nMels;
    const pixels = paintSpectrogram(image.data, image.nMels, image.nFrames, scale, lut);
    ctx.putImageData(new ImageData(pixels, image.nFrames, image.nMels), 0, 0);
  }, [image, scale, lut]);
  return <canvas ref={canvas} role="img" aria-label={label} />;
}
