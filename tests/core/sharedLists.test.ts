/** The lists and formulas that several layers use, each defined once: what they must agree on. */
import { describe, expect, it } from 'vitest';
import { stagingShare } from '../../src/core/abSplit';
import { ERROR_NAMES, HeimdallError, isErrorName, isHeimdallError } from '../../src/core/errors';
import { versionSchema } from '../../src/core/modelMetadata';
import { errorHint } from '../../src/ui/errorText';
import { chooseArm } from '../../workers/abRouter';
import { defaultConfig, mergeConfig } from '../../workers/config';
import { EXECUTION_PROVIDERS } from '../../workers/types';

describe('error names', () => {
  it('are recognised from the one list, and nothing else is', () => {
    for (const name of ERROR_NAMES) {
      expect(isErrorName(name)).toBe(true);
      expect(isHeimdallError(new HeimdallError(name, 'x'))).toBe(true);
    }
    expect(isErrorName('TypeError')).toBe(false);
    expect(new Set(ERROR_NAMES).size).toBe(ERROR_NAMES.length);
  });

  it('each have their own hint in the UI', () => {
    const fallback = errorHint({ name: 'NotAHeimdallError' } as never);
    const hints = ERROR_NAMES.map((name) => errorHint({ name }));
    expect(hints).not.toContain(fallback);
  });
});

describe('execution providers', () => {
  it('are the ones the worker settings accept, and no other', () => {
    for (const ep of EXECUTION_PROVIDERS) {
      expect(mergeConfig(defaultConfig(), { epPreference: [ep] }).epPreference).toEqual([ep]);
    }
    expect(() => mergeConfig(defaultConfig(), { epPreference: ['cpu'] })).toThrow();
  });
});

describe('model versions', () => {
  it('are major.minor.patch in digits', () => {
    for (const v of ['1.0.0', '2.10.300']) expect(versionSchema.safeParse(v).success).toBe(true);
    for (const v of ['1.0', 'v1.0.0', '1.0.0-rc1', '1.0.0 ', ''])
      expect(versionSchema.safeParse(v).success).toBe(false);
  });
});

describe('the staging share', () => {
  it('is staging / (production + staging), 0 without a weighted staging', () => {
    expect(stagingShare({ production: 0.75, staging: 0.25 })).toBe(0.25);
    expect(stagingShare({ production: 1, staging: 1 })).toBe(0.5);
    expect(stagingShare({ production: 1, staging: null })).toBe(0);
    expect(stagingShare({ production: 0, staging: 0 })).toBe(0);
    expect(stagingShare({ production: 0, staging: 0.2 })).toBe(1);
  });

  it('is the share the router sends to staging (the panel shows the same number)', () => {
    // Hash fractions just below and above the share decide the arm.
    const weights = { production: 0.6, staging: 0.2 };
    const at = (fraction: number) =>
      Math.floor(fraction * 2 ** 32)
        .toString(16)
        .padStart(8, '0') + '0'.repeat(56);
    expect(chooseArm(at(stagingShare(weights) - 1e-6), weights)).toBe('staging');
    expect(chooseArm(at(stagingShare(weights) + 1e-6), weights)).toBe('production');
  });
});
