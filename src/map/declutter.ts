/**
 * Which map labels to show so that none covers another. Labels are DOM markers (text layers would
 * need glyph files, which offline we lack), so the map engine cannot hide colliding ones itself:
 * at a continental zoom the towns picked around a result pile up on each other and on the
 * stations' names. Labels come in priority order; those marked `keep` (stations, receivers) are
 * always shown, and each other one is shown only where its box is clear of every label shown
 * before it.
 */
export interface LabelBox {
  /** Screen box, CSS pixels: left, top, width, height. */
  x: number;
  y: number;
  w: number;
  h: number;
  keep: boolean;
}

/** Room kept between two labels, pixels. */
export const LABEL_GAP_PX = 2;

const overlaps = (a: LabelBox, b: LabelBox, gap: number) =>
  a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;

/** For each box, whether to show it. */
export function declutter(boxes: readonly LabelBox[], gapPx = LABEL_GAP_PX): boolean[] {
  const shown: LabelBox[] = boxes.filter((b) => b.keep);
  return boxes.map((b) => {
    if (b.keep) return true;
    if (shown.some((s) => overlaps(s, b, gapPx))) return false;
    shown.push(b);
    return true;
  });
}
