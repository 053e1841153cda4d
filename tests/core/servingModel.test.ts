/**
 * The one rule for which model locates a scene (src/core/scene/servingModel.ts), on the cases the
 * command line, worker and live relay tests also run through their own paths.
 */
import { describe, expect, it } from 'vitest';
import { fromLocalOffset } from '../../src/core/geodesy';
import { matchReceiver } from '../../src/core/scene/placement';
import {
  chooseServing,
  isNetworkReceiver,
  SAME_RECEIVER_RADIUS_M,
  servingSpec,
  whyNotServes,
  type ServingSpec,
} from '../../src/core/scene/servingModel';
import { caseScene, FIXED_NETWORK, SERVING_CASES } from '../support/servingCases';

const fixed: ServingSpec = servingSpec({ version: '1.1.0', constellation: FIXED_NETWORK });
const anyNetwork: ServingSpec = servingSpec({
  version: '2.0.0',
  serves: { kind: 'any-network', minReceivers: 2, maxReceivers: 12, bandHz: [144e6, 146e6] },
});

/** The kind the rule picks from these specs, or 'none' when no model serves the scene. */
function picked(scene: ReturnType<typeof caseScene>, specs: ServingSpec[]): string {
  try {
    return chooseServing(
      scene,
      specs.map((spec) => ({ spec })),
    ).spec.kind;
  } catch {
    return 'none';
  }
}

describe('the serving rule', () => {
  for (const c of SERVING_CASES) {
    it(`${c.name}: ${c.withBoth} with both models, ${c.fixedOnly} with the fixed one alone`, () => {
      expect(picked(caseScene(c), [fixed, anyNetwork])).toBe(c.withBoth);
      expect(picked(caseScene(c), [fixed])).toBe(c.fixedOnly);
    });
  }

  it('takes a station as a fixed receiver by its id and within 10 km of it, no farther', () => {
    expect(SAME_RECEIVER_RADIUS_M).toBe(10_000);
    const genova = FIXED_NETWORK.receivers[2];
    const at = (km: number) => ({ id: 'genova', ...fromLocalOffset(genova, km * 1000, 0) });
    expect(isNetworkReceiver(at(0), FIXED_NETWORK)).toBe(true);
    expect(isNetworkReceiver(at(9.9), FIXED_NETWORK)).toBe(true);
    expect(isNetworkReceiver(at(10.1), FIXED_NETWORK)).toBe(false);
    expect(isNetworkReceiver({ ...at(0), id: 'genova-2' }, FIXED_NETWORK)).toBe(false);
    expect(isNetworkReceiver({ id: 'genova', lat: NaN, lon: NaN }, FIXED_NETWORK)).toBe(false);
  });

  it('says which station stands elsewhere, how far, and why that rules the fixed model out', () => {
    const moved = SERVING_CASES.find((c) => c.name.includes('40 km'))!;
    expect(whyNotServes(fixed, caseScene(moved))).toMatch(
      /station genova stands 40\.0 km from the fixed network's genova \(beyond 10 km a station is not the receiver the fixed-network model learnt\)/,
    );
    const two = SERVING_CASES.find((c) => c.name === 'two of the fixed receivers')!;
    expect(whyNotServes(fixed, caseScene(two))).toMatch(/lacks receiver\(s\) milano-baggio/);
    const lone = SERVING_CASES.find((c) => c.name === 'a lone receiver')!;
    expect(() => chooseServing(caseScene(lone), [{ spec: fixed }, { spec: anyNetwork }])).toThrow(
      /lacks receiver\(s\) aquila-giaveno, genova; .*has 1 receiver\(s\) .*model 2\.0\.0 needs 2 to 12/,
    );
  });
});

describe('placement draws the same line', () => {
  it('takes a recording that names a receiver for it only when its own position is within 10 km', () => {
    const genova = FIXED_NETWORK.receivers[2];
    const made = (km: number) => ({
      name: 'x_genova.sigmf-meta',
      receiverHint: 'genova',
      geolocation: fromLocalOffset(genova, 0, -km * 1000),
    });
    expect(matchReceiver(made(3), FIXED_NETWORK)?.id).toBe('genova');
    expect(matchReceiver(made(40), FIXED_NETWORK)).toBeNull();
    // Without a position of its own, the name alone places it, as before.
    expect(matchReceiver({ name: 'x_genova.sigmf-meta' }, FIXED_NETWORK)?.id).toBe('genova');
    // The operator's choice still wins.
    expect(matchReceiver(made(40), FIXED_NETWORK, 'genova')?.id).toBe('genova');
  });
});
