import { useEffect, useRef } from 'react';
import { viridisLut } from '../ui/colormap';
import type { LiveSession } from './liveSession';

const WIDTH = 256;
const HEIGHT = 150;
const LUT = viridisLut();

/**
 * A scrolling waterfall of one receiver (newest row at the top, negative frequencies on the left),
 * drawn straight to the canvas as rows arrive, outside React's render cycle. All receivers share
 * one colour scale (the session's), so their levels compare at a glance.
 */
export function Waterfall({
  session,
  index,
  label,
}: {
  session: LiveSession | null;
  index: number;
  label: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !session) return;
    const row = ctx.createImageData(WIDTH, 1);
    let rows = 0;
    return session.onRow(index, (db) => {
      const { minDb, maxDb } = session.waterfallScale();
      const span = maxDb - minDb;
      for (let x = 0; x < WIDTH; x++) {
        const v = Math.max(0, Math.min(255, Math.round(((db[x] - minDb) / span) * 255)));
        row.data.set(LUT.subarray(4 * v, 4 * v + 4), 4 * x);
      }
      ctx.drawImage(canvas, 0, 0, WIDTH, HEIGHT - 1, 0, 1, WIDTH, HEIGHT - 1);
      ctx.putImageData(row, 0, 0);
      // For tests and the curious: how many rows this canvas has drawn.
      if (++rows % 10 === 0) canvas.dataset.rows = String(rows);
    });
  }, [session, index]);
  return (
    <canvas
      ref={ref}
      className="waterfall"
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={`Waterfall of ${label}`}
      data-testid={`waterfall-${index}`}
    />
  );
}
