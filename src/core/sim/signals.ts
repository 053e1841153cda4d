import type { Rng } from '../rng';

export const SIGNAL_KINDS = ['nbfm', 'cw', 'afsk', 'fsk', 'carrier'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export interface SignalSpec {
  kind: SignalKind;
  /** Carrier offset from the receivers' tuned frequency, Hz. */
  offsetHz: number;
  /** Half of the occupied bandwidth around the carrier, Hz (keeps the signal in the passband). */
  halfBandwidthHz: number;
  params: Record<string, number>;
}

/** Draws a signal kind and its parameters; the offset keeps the whole signal inside +-fs/2. */
export function drawSignal(rng: Rng, sampleRateHz: number, kind?: SignalKind): SignalSpec {
  const k = kind ?? rng.pick(SIGNAL_KINDS);
  const params: Record<string, number> = {};
  let half: number;
  switch (k) {
    case 'nbfm':
      // 12.5 kHz-channel voice FM: deviation up to 2.5 kHz, audio 300-2500 Hz.
      params.deviationHz = rng.uniform(1000, 2500);
      params.syllableHz = rng.uniform(2, 6);
      half = params.deviationHz + 2500;
      break;
    case 'cw':
      // Morse at 12-30 wpm: dot length 1.2 / wpm seconds (PARIS timing).
      params.dotS = 1.2 / rng.uniform(12, 30);
      half = 100;
      break;
    case 'afsk':
      // Bell 202 as used by APRS: 1200 baud, 1200/2200 Hz tones, FM deviation about 3 kHz.
      params.baud = 1200;
      params.deviationHz = rng.uniform(2000, 3000);
      half = params.deviationHz + 2200;
      break;
    case 'fsk':
      params.baud = rng.pick([45.45, 50, 100, 300]);
      params.shiftHz = rng.pick([170, 425, 850]);
      half = params.shiftHz / 2 + params.baud;
      break;
    case 'carrier':
      half = 20;
      break;
  }
  const maxOffset = Math.max(0, sampleRateHz / 2 - half - 300);
  return { kind: k, offsetHz: rng.uniform(-maxOffset, maxOffset), halfBandwidthHz: half, params };
}

/** Instantaneous frequency (Hz, relative to the carrier) or keying envelope for each kind. */
function modulation(rng: Rng, spec: SignalSpec, samples: number, fs: number) {
  const freq = new Float64Array(samples);
  const envelope = new Float64Array(samples).fill(1);
  const p = spec.params;
  if (spec.kind === 'nbfm') {
    // Voice-like audio: three formant tones with a syllabic amplitude envelope.
    const tones = [rng.uniform(300, 900), rng.uniform(900, 1800), rng.uniform(1800, 2500)];
    const amps = [1, rng.uniform(0.3, 0.8), rng.uniform(0.1, 0.4)];
    const phases = tones.map(() => rng.uniform(0, 2 * Math.PI));
    const sylPhase = rng.uniform(0, 2 * Math.PI);
    const norm = amps.reduce((a, b) => a + b, 0);
    for (let n = 0; n < samples; n++) {
      const t = n / fs;
      const syl = 0.55 + 0.45 * Math.sin(2 * Math.PI * p.syllableHz * t + sylPhase);
      let a = 0;
      for (let i = 0; i < 3; i++) a += amps[i] * Math.sin(2 * Math.PI * tones[i] * t + phases[i]);
      freq[n] = (p.deviationHz * syl * a) / norm;
    }
  } else if (spec.kind === 'afsk' || spec.kind === 'fsk') {
    const symbol = Math.round(fs / p.baud);
    let bit = rng.int(0, 2);
    let audioPhase = 0;
    for (let n = 0; n < samples; n++) {
      if (n % symbol === 0) bit = rng.int(0, 2);
      if (spec.kind === 'fsk') {
        freq[n] = (bit ? 0.5 : -0.5) * p.shiftHz;
      } else {
        audioPhase += (2 * Math.PI * (bit ? 2200 : 1200)) / fs;
        freq[n] = p.deviationHz * Math.sin(audioPhase);
      }
    }
  } else if (spec.kind === 'cw') {
    // Random dots and dashes; the key is down at the start so every window holds some signal.
    const dot = Math.max(1, Math.round(p.dotS * fs));
    const rise = Math.round(0.005 * fs);
    let n = 0;
    let down = true;
    envelope.fill(0);
    while (n < samples) {
      const len = down ? dot * (rng.next() < 0.5 ? 1 : 3) : dot * rng.pick([1, 1, 1, 3, 7]);
      if (down) {
        for (let j = 0; j < len && n + j < samples; j++) {
          const edge = Math.min(j, len - 1 - j);
          envelope[n + j] = edge >= rise ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / rise);
        }
      }
      n += len;
      down = !down;
    }
  }
  return { freq, envelope };
}

/** Complex baseband with key-down power 1 (full scale), interleaved I/Q. */
export function generateSignal(
  rng: Rng,
  spec: SignalSpec,
  samples: number,
  sampleRateHz: number,
): Float32Array {
  const { freq, envelope } = modulation(rng, spec, samples, sampleRateHz);
  const out = new Float32Array(2 * samples);
  let phase = rng.uniform(0, 2 * Math.PI);
  const dPhase = (2 * Math.PI) / sampleRateHz;
  for (let n = 0; n < samples; n++) {
    out[2 * n] = envelope[n] * Math.cos(phase);
    out[2 * n + 1] = envelope[n] * Math.sin(phase);
    phase += dPhase * (spec.offsetHz + freq[n]);
    if (phase > 1e4) phase %= 2 * Math.PI;
  }
  return out;
}
