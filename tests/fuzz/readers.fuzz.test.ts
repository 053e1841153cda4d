/**
 * Property-based fuzzing of every reader: random bytes, and mutations of valid files (the
 * corpus's controls and hand-built seeds), go through the readers the way the app and the CLI
 * use them. Whatever the input, the outcome is a recording, or a HeimdallError naming the file;
 * never a hang (each run is bounded by RUN_TIMEOUT_MS), never another error.
 *
 * Runs per property: FUZZ_RUNS (default 200, small enough for CI on 2 cores); raise it locally,
 * e.g. FUZZ_RUNS=20000 npx vitest run tests/fuzz. A failure prints fast-check's seed and path to
 * replay it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHeimdallError } from '../../src/core/errors';
import { parseAuxi } from '../../src/core/readers/auxiChunk';
import { blobSource, type ByteSource } from '../../src/core/readers/byteSource';
import { parseKiwiFileName, parseSdrFileName } from '../../src/core/readers/fileNameMetadata';
import { MAX_SAMPLE_RATE_HZ, MIN_SAMPLE_RATE_HZ } from '../../src/core/readers/limits';
import { indexRiff } from '../../src/core/readers/riff';
import { parseSigmfMeta } from '../../src/core/readers/sigmfMeta';
import { indexTar } from '../../src/core/readers/tar';
import { parseWavFormat } from '../../src/core/readers/wavFormat';
import { corpusSource, loadManifest, runCase } from './corpusCase';

export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);
/** One run (a file opened, read and windowed) takes milliseconds; this long is a hang. */
const RUN_TIMEOUT_MS = 5_000;
const options = { numRuns: FUZZ_RUNS, timeout: RUN_TIMEOUT_MS };
const testTimeoutMs = 30_000 + FUZZ_RUNS * 200;

const bytes = (max = 4096) => fc.uint8Array({ minLength: 0, maxLength: max });
const src = (name: string, b: Uint8Array): ByteSource =>
  blobSource(new Blob([b as Uint8Array<ArrayBuffer>]), name);

/** A thrown value is acceptable when it is a HeimdallError; `file`, when given, must be named. */
function expectNamed(err: unknown, file?: string): void {
  const e = err as Error;
  if (!isHeimdallError(e)) throw new Error(`not a HeimdallError: ${e?.name}: ${e?.message}`);
  if (file !== undefined && !e.message.includes(file)) {
    throw new Error(`${e.name} does not name ${file}: ${e.message}`);
  }
}

async function seed(name: string): Promise<Uint8Array> {
  return corpusSource(name).read(0, 1 << 20);
}

/**
 * A mutation of a valid file: some bytes overwritten (biased to the headers, where the fields
 * are), then maybe cut short or grown.
 */
function mutated(original: Uint8Array) {
  const headerSpan = Math.min(original.length, 2048);
  return fc
    .record({
      writes: fc.array(
        fc.record({
          at: fc.oneof(fc.nat({ max: headerSpan - 1 }), fc.nat({ max: original.length - 1 })),
          value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0x7f, 0x80, 0xff)),
        }),
        { minLength: 1, maxLength: 12 },
      ),
      cut: fc.option(fc.nat({ max: original.length }), { freq: 4 }),
      grow: fc.option(bytes(600), { freq: 6 }),
    })
    .map(({ writes, cut, grow }) => {
      let out = original.slice();
      for (const w of writes) out[w.at] = w.value;
      if (cut !== null) out = out.subarray(0, cut);
      if (grow !== null) {
        const longer = new Uint8Array(out.length + grow.length);
        longer.set(out);
        longer.set(grow, out.length);
        out = longer;
      }
      return out;
    });
}

async function expectReadOrNamed(sources: ByteSource[]): Promise<void> {
  const outcome = await runCase(sources);
  if ('error' in outcome) {
    expectNamed(outcome.error);
    const named = sources.some((s) => outcome.error.message.includes(s.name));
    if (!named) throw new Error(`error names none of the files: ${outcome.error.message}`);
  }
}

describe('fuzz: opening any file', () => {
  const names = ['x.wav', 'x.sigmf', 'x.cu8', 'x.cf32', 'x.iq', 'x.txt', 'x'];

  it('random bytes under every name', { timeout: testTimeoutMs }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), bytes(), async (name, b) => {
        await expectReadOrNamed([src(name, b)]);
      }),
      options,
    );
  });

  const controls = loadManifest().filter((c) => c.expect === 'ok');
  for (const c of controls) {
    it(`mutations of ${c.files.join(' + ')}`, { timeout: testTimeoutMs }, async () => {
      const originals = await Promise.all(c.files.map(seed));
      // Mutate one file of the case; keep the others as they are (a pair's partner).
      await fc.assert(
        fc.asyncProperty(
          fc
            .nat({ max: originals.length - 1 })
            .chain((k) => mutated(originals[k]).map((m) => ({ k, m }))),
          async ({ k, m }) => {
            const files = c.files.map((name, i) => src(name, i === k ? m : originals[i]));
            await expectReadOrNamed(files);
          },
        ),
        options,
      );
    });
  }
});

describe('fuzz: the parsers one by one', () => {
  it(
    'the tar index: members inside the archive, or a named error',
    { timeout: testTimeoutMs },
    async () => {
      const archive = await seed('tar-nested-pair-ok.sigmf');
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutated(archive), bytes(3000)), async (b) => {
          const s = src('f.sigmf', b);
          try {
            const members = await indexTar(s);
            for (const m of members) {
              expect(m.offset + m.size).toBeLessThanOrEqual(b.length);
              expect(m.size).toBeGreaterThanOrEqual(0);
            }
          } catch (err) {
            expectNamed(err, 'f.sigmf');
          }
        }),
        options,
      );
    },
  );

  it(
    'the RIFF index: chunks inside the file, or a named error',
    { timeout: testTimeoutMs },
    async () => {
      const wav = await seed('SDRSharp_20260101_120000Z_145500000Hz_ok.wav');
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutated(wav), bytes(600)), async (b) => {
          try {
            for (const c of await indexRiff(src('f.wav', b))) {
              expect(c.bodyOffset + c.size).toBeLessThanOrEqual(b.length);
            }
          } catch (err) {
            expectNamed(err, 'f.wav');
          }
        }),
        options,
      );
    },
  );

  it('the WAV fmt chunk: a rate in range, or a named error', () => {
    fc.assert(
      fc.property(bytes(48), (b) => {
        try {
          const f = parseWavFormat(b, 'f.wav');
          expect(f.sampleRateHz).toBeGreaterThanOrEqual(MIN_SAMPLE_RATE_HZ);
          expect(f.sampleRateHz).toBeLessThanOrEqual(MAX_SAMPLE_RATE_HZ);
        } catch (err) {
          expectNamed(err, 'f.wav');
        }
      }),
      { numRuns: FUZZ_RUNS * 5 },
    );
  });

  it('the auxi chunk and recorder file names never throw', () => {
    fc.assert(
      fc.property(bytes(200), fc.string({ maxLength: 300 }), (b, name) => {
        const auxi = parseAuxi(b);
        if (auxi) expect(Number.isNaN(Date.parse(auxi.startTime))).toBe(false);
        parseKiwiFileName(name);
        parseSdrFileName(name);
        parseKiwiFileName(`20260101T120000Z_${name}_iq.wav`);
      }),
      { numRuns: FUZZ_RUNS * 5 },
    );
  });

  const sigmfLike = fc.record(
    {
      global: fc.record(
        {
          'core:datatype': fc.oneof(
            fc.constantFrom('cf32_le', 'ci16_le', 'cu8', 'ci8', 'cf64_be', 'rf32_le', 'ci24_le'),
            fc.string(),
          ),
          'core:sample_rate': fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null)),
          'core:num_channels': fc.oneof(fc.integer(), fc.double()),
          'core:trailing_bytes': fc.oneof(fc.integer(), fc.double()),
          'core:geolocation': fc.anything(),
          'heimdall:receiver_id': fc.oneof(fc.string(), fc.integer()),
        },
        { requiredKeys: [] },
      ),
      captures: fc.array(
        fc.record(
          {
            'core:sample_start': fc.oneof(fc.nat(), fc.double(), fc.string()),
            'core:datetime': fc.oneof(
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
              fc.string(),
            ),
            'core:header_bytes': fc.oneof(fc.nat(), fc.integer()),
            'core:frequency': fc.double(),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 5 },
      ),
      annotations: fc.array(fc.anything(), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  );

  it('SigMF metadata: parsed with a rate in range, or a named error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          sigmfLike.map((m) => JSON.stringify(m)),
          fc.string(),
        ),
        (text) => {
          try {
            const m = parseSigmfMeta(text, 'f.sigmf-meta');
            expect(m.sampleRateHz).toBeGreaterThanOrEqual(MIN_SAMPLE_RATE_HZ);
            expect(m.sampleRateHz).toBeLessThanOrEqual(MAX_SAMPLE_RATE_HZ);
            for (const c of m.captures) expect(Number.isSafeInteger(c.sampleStart)).toBe(true);
          } catch (err) {
            expectNamed(err, 'f.sigmf-meta');
          }
        },
      ),
      { numRuns: FUZZ_RUNS * 5 },
    );
  });
});
