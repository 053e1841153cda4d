import { describe, expect, it } from 'vitest';
import { lonLatBounds } from '../../src/map/bounds';

describe('map bounds', () => {
  it('is the plain box when the points lie on one side of the antimeridian', () => {
    expect(
      lonLatBounds([
        [8.8, 46.5],
        [11.98, 51.47],
        [3.6, 51.5],
      ]),
    ).toEqual([
      [3.6, 46.5],
      [11.98, 51.5],
    ]);
  });

  it('goes the short way across the antimeridian, east above 180', () => {
    // Suva, Apia, Tonga: 10 degrees across the antimeridian, not 350 the other way.
    expect(
      lonLatBounds([
        [178.44, -18.14],
        [-171.76, -13.83],
        [-175.2, -21.14],
      ]),
    ).toEqual([
      [178.44, -21.14],
      [188.24, -13.83],
    ]);
    // A point already written past 180 (an unwrapped ring) counts where it is on the globe.
    const [[w], [e]] = lonLatBounds([
      [179, 0],
      [181, 1],
    ])!;
    expect([w, e]).toEqual([179, 181]);
  });

  it('is null without points, and ignores points that are not numbers', () => {
    expect(lonLatBounds([])).toBeNull();
    expect(lonLatBounds([[NaN, 1]])).toBeNull();
    expect(
      lonLatBounds([
        [1, 2],
        [NaN, 5],
      ]),
    ).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });
});
