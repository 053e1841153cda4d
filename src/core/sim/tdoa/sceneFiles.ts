/**
 * A simulated TDoA scene as the files a user would have: one kiwirecorder IQ WAV or SigMF pair
 * per station, the station list (`stations.json`, the format `heimdall tdoa --stations` reads),
 * and the answer (`truth.json`). Pure: returns names and bytes; the caller writes them.
 */
import { stationListJson } from '../../stations';
import { kiwiWavBytes, kiwiWavFileName, KIWI_BLOCK_PAIRS, toInt16 } from '../kiwiWavWriter';
import { timedRecordingToSigmf } from '../sigmfWriter';
import type { SimulatedStation, TdoaScene } from './scene';

export interface SceneFile {
  name: string;
  bytes: Uint8Array | string;
}

export interface SceneFiles {
  /** The recordings, in station order (a SigMF pair is two files). */
  recordings: SceneFile[];
  stationsJson: SceneFile;
  truthJson: SceneFile;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * ISO 8601 UTC with nanoseconds, for `core:datetime`: `relS` seconds after the whole Unix second
 * `epochUnixS` (a Date keeps only milliseconds).
 */
export function isoUtcNanoseconds(epochUnixS: number, relS: number): string {
  const whole = Math.floor(relS);
  let ns = Math.round((relS - whole) * 1e9);
  let sec = epochUnixS + whole;
  if (ns >= 1e9) {
    ns -= 1e9;
    sec += 1;
  }
  const d = new Date(sec * 1000);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(ns, 9)}Z`
  );
}

function quantised(s: SimulatedStation): Int16Array {
  const { values, clipped } = toInt16(s.iq);
  // The simulator scales recordings about 17 dB below full scale; clipping means a bug there.
  if (clipped > s.iq.length * 1e-4)
    throw new Error(`station ${s.station.id}: ${clipped} of ${s.iq.length} values clip`);
  return values;
}

function kiwiFile(scene: TdoaScene, s: SimulatedStation): SceneFile {
  if (!s.kiwi) throw new Error(`station ${s.station.id} is not a Kiwi recording`);
  const iq = quantised(s);
  const blocks = s.kiwi.stamps.map((gps, b) => ({
    gps,
    iq: iq.subarray(2 * KIWI_BLOCK_PAIRS * b, 2 * KIWI_BLOCK_PAIRS * (b + 1)),
  }));
  const pcClockMs = (scene.epochUnixS + s.kiwi.pcClockS) * 1000;
  return {
    name: kiwiWavFileName(pcClockMs, scene.centerFrequencyHz, s.station.id),
    bytes: kiwiWavBytes(s.nominalRateHz, blocks),
  };
}

function sigmfFiles(scene: TdoaScene, s: SimulatedStation): SceneFile[] {
  if (!s.sigmf) throw new Error(`station ${s.station.id} is not a SigMF recording`);
  const pair = timedRecordingToSigmf({
    baseName: `${scene.id}_${s.station.id}`,
    receiverId: s.station.id,
    position: s.station,
    sampleRateHz: s.nominalRateHz,
    centerFrequencyHz: scene.centerFrequencyHz,
    captures: s.sigmf.captures.map((c) => ({
      sampleStart: c.sampleStart,
      datetime: isoUtcNanoseconds(scene.epochUnixS, c.datetimeS),
    })),
    iq: quantised(s),
    description: `Simulated TDoA scene ${scene.id} at ${s.station.id}`,
    scene: scene.id,
    truth: {
      lat: scene.transmitter.lat,
      lon: scene.transmitter.lon,
      kind: scene.signal.kind,
      offsetHz: scene.signal.offsetHz,
      snrDb: s.snrDb,
    },
  });
  return [
    { name: `${pair.baseName}.sigmf-meta`, bytes: pair.meta },
    { name: `${pair.baseName}.sigmf-data`, bytes: pair.data },
  ];
}

/** The scene's answer and its impairments, for a reader checking `heimdall tdoa` by hand. */
export function sceneTruth(scene: TdoaScene) {
  return {
    scene: scene.id,
    seed: scene.seed,
    index: scene.index,
    transmitter: scene.transmitter,
    centerFrequencyHz: scene.centerFrequencyHz,
    signal: scene.signal,
    snrDb: scene.snrDb,
    multipath: scene.multipath,
    stations: scene.stations.map((s) => ({
      id: s.station.id,
      format: s.format,
      delayUs: s.delayS * 1e6,
      snrDb: s.snrDb,
      trueRateHz: s.trueRateHz,
      nominalRateHz: s.nominalRateHz,
      frequencyOffsetHz: s.frequencyOffsetHz,
      echoes: s.echoes.map((e) => ({
        relativeAmplitude: e.relativeAmplitude,
        delayUs: e.delayS * 1e6,
      })),
      ...(s.gap ? { gap: s.gap } : {}),
      ...(s.expectedExclusion ? { expectedExclusion: s.expectedExclusion } : {}),
    })),
  };
}

export function sceneFiles(scene: TdoaScene): SceneFiles {
  const recordings = scene.stations.flatMap((s) =>
    s.format === 'kiwi' ? [kiwiFile(scene, s)] : sigmfFiles(scene, s),
  );
  return {
    recordings,
    stationsJson: {
      name: 'stations.json',
      bytes: stationListJson({ stations: scene.stations.map((s) => s.station) }),
    },
    truthJson: { name: 'truth.json', bytes: `${JSON.stringify(sceneTruth(scene), null, 2)}\n` },
  };
}
