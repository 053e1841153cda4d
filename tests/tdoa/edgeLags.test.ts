/** When edge lags are used (edgeLags.ts): only to make a point possible at all. */
import { describe, expect, it } from 'vitest';
import { edgeLagsToAdmit, type EdgeCandidate } from '../../src/core/tdoa/edgeLags';

const lag = (a: number, b: number, kind: 'clear' | 'edge' | 'none'): EdgeCandidate => ({
  a,
  b,
  used: kind === 'clear',
  atEdge: kind === 'edge',
});

describe('edge lags', () => {
  it('links a third station by its edge lags when the clear ones link only two', () => {
    const lags = [lag(0, 1, 'clear'), lag(0, 2, 'edge'), lag(1, 2, 'edge')];
    expect(edgeLagsToAdmit(3, lags)).toEqual([1, 2]);
  });

  it('leaves edge lags out when the clear lags already give a point', () => {
    const lags = [
      lag(0, 1, 'clear'),
      lag(0, 2, 'clear'),
      lag(1, 2, 'edge'),
      lag(0, 3, 'edge'),
      lag(1, 3, 'edge'),
      lag(2, 3, 'edge'),
    ];
    expect(edgeLagsToAdmit(4, lags)).toEqual([]);
  });

  it('leaves them out when even with them fewer than three stations link', () => {
    const lags = [lag(0, 1, 'edge'), lag(0, 2, 'none'), lag(1, 2, 'none')];
    expect(edgeLagsToAdmit(3, lags)).toEqual([]);
  });

  it('uses them when no lag is clear but the edges link three', () => {
    const lags = [lag(0, 1, 'edge'), lag(0, 2, 'edge'), lag(1, 2, 'none')];
    expect(edgeLagsToAdmit(3, lags)).toEqual([0, 1]);
  });
});
