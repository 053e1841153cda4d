import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geodesicInverse } from '../../src/core/geodesy';
import { simulateNetworkScene, NETWORK_BAND_HZ } from '../../src/core/sim/network';
import { NOMINAL } from '../../src/core/sim/physics';
import { sceneToSigmf } from '../../src/core/sim/sigmfWriter';
import { heimdall, jsonLines } from './heimdall';

/** Writes one simulated scene on a random network of `n` receivers as SigMF pairs. */
async function writeScene(dir: string, seed: number, n: number) {
  const scene = simulateNetworkScene(seed, 0, {
    physics: NOMINAL,
    sampleRateHz: 12000,
    samples: 9000,
    nReceivers: n,
  });
  const constellation = {
    id: 'test',
    name: 'test',
    bandHz: NETWORK_BAND_HZ,
    receivers: scene.network.receivers,
  };
  const files: string[] = [];
  for (const pair of sceneToSigmf(scene, constellation)) {
    const base = join(dir, `${seed}-${pair.baseName}`);
    await writeFile(`${base}.sigmf-meta`, pair.meta);
    await writeFile(`${base}.sigmf-data`, pair.data);
    files.push(`${base}.sigmf-meta`);
  }
  return { scene, files };
}

describe('command line: scenes of any receivers (any-network model)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heimdall-net-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('locates a scene of five receivers placed by their SigMF positions with 2.0.0', async () => {
    const { scene, files } = await writeScene(dir, 5, 5);
    const out = await heimdall(['locate', ...files, '--json']);
    expect(out.code, out.stderr).toBe(0);
    const [line] = jsonLines(out.stdout) as unknown as {
      model: string;
      receivers: string[];
      lat: number;
      lon: number;
      ellipses: { p: number; semiMajorM: number }[];
    }[];
    expect(line.model).toBe('2.0.0');
    expect([...line.receivers].sort()).toEqual(scene.network.receivers.map((r) => r.id).sort());
    const fromCentroid = geodesicInverse(scene.network.centroid, line).distanceM;
    expect(fromCentroid).toBeLessThan(2 * scene.network.txRadiusM);
    expect(line.ellipses[1].semiMajorM).toBeGreaterThan(line.ellipses[0].semiMajorM);
  });

  it('places recordings without a position by --stations, with the same answer', async () => {
    const { scene, files } = await writeScene(dir, 6, 4);
    const withPositions = jsonLines((await heimdall(['locate', ...files, '--json'])).stdout);
    for (const f of files) {
      const meta = JSON.parse(await readFile(f, 'utf8'));
      delete meta.global['core:geolocation'];
      await writeFile(f, JSON.stringify(meta));
    }
    const without = await heimdall(['locate', ...files, '--json']);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/no station|core:geolocation|station list/);
    const stations = join(dir, 'stations.json');
    await writeFile(
      stations,
      JSON.stringify({
        stations: scene.network.receivers.map((r) => ({ id: r.id, lat: r.lat, lon: r.lon })),
      }),
    );
    const listed = await heimdall(['locate', ...files, '--stations', stations, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const [a] = withPositions as unknown as { lat: number; lon: number }[];
    const [b] = jsonLines(listed.stdout) as unknown as { lat: number; lon: number }[];
    expect(b.lat).toBeCloseTo(a.lat, 4);
    expect(b.lon).toBeCloseTo(a.lon, 4);
  });

  it('says why a scene of one receiver, or a pinned fixed-network model, cannot be located', async () => {
    const { files } = await writeScene(dir, 7, 2);
    const one = await heimdall(['locate', files[0], '--json']);
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/has 1 receiver\(s\).*needs 2 to 12/);
    const pinned = await heimdall(['locate', ...files, '--model', '1.1.0', '--json']);
    expect(pinned.code).toBe(1);
    expect(pinned.stderr).toMatch(/matches none of the model's receivers/);
  });
});
