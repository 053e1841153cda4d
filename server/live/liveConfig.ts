/**
 * The live relay's configuration: a JSON file (`--live-config live.json`) or, with no file, the
 * built-in simulated network with a moving transmitter. Example:
 *
 *   {
 *     "allowList": ["kiwi-giaveno.example.org:8073", "[2001:db8::7]:8073"],
 *     "receivers": [
 *       { "id": "aquila-giaveno", "source": "kiwisdr", "host": "kiwi-giaveno.example.org", "port": 8073 },
 *       { "id": "milano-baggio", "source": "simulated" },
 *       { "id": "torino", "source": "simulated", "lat": 45.07, "lon": 7.69, "name": "Torino" }
 *     ],
 *     "centerFrequencyHz": 145500000
 *   }
 *
 * A receiver is a station: an id of the fixed-network model's constellation (its position comes
 * from there, so a stream can never be fed to that model under another receiver's place), or any
 * id with its own `lat`/`lon` (optionally `altM`, `name`): a network of 2 to 12 such receivers is
 * located by the any-network model (liveNetwork.ts). Every KiwiSDR host must be on the allow-list:
 * checked here, when the file is read, before any socket exists (and again by KiwiIqSource).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { HeimdallError } from '../../src/core/errors';
import { scenarioSchema } from '../../src/core/live/scenario';
import { MAX_NETWORK_RECEIVERS } from '../../src/core/networkFeatures';
import { isAllowed, normalizeHost, parseAllowList, type AllowList } from './allowList';

/** Where a receiver stands; absent: the fixed-network model's receiver of the same id. */
const stationFields = {
  id: z.string().trim().min(1),
  name: z.string().optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  altM: z.number().optional(),
};

const kiwiReceiverSchema = z
  .object({
    ...stationFields,
    source: z.literal('kiwisdr'),
    host: z.string(),
    port: z.number().int().min(1).max(65535).default(8073),
    /** Tuned frequency; default: the config's centerFrequencyHz. */
    centerFrequencyHz: z.number().positive().optional(),
    password: z.string().optional(),
    lowCutHz: z.number().optional(),
    highCutHz: z.number().optional(),
    manualGainDb: z.number().optional(),
  })
  .strict();

const simulatedReceiverSchema = z
  .object({ ...stationFields, source: z.literal('simulated') })
  .strict();

export const liveConfigSchema = z
  .object({
    $comment: z.string().optional(),
    /** host:port entries the relay may connect to (see allowList.ts for the syntax). */
    allowList: z.array(z.string()).default([]),
    /** Absent: every receiver of the constellation, simulated. */
    receivers: z
      .array(z.discriminatedUnion('source', [kiwiReceiverSchema, simulatedReceiverSchema]))
      .min(1)
      .max(MAX_NETWORK_RECEIVERS)
      .optional(),
    /** Default tuned frequency of the KiwiSDR receivers, Hz. */
    centerFrequencyHz: z.number().positive().optional(),
    scenario: scenarioSchema.default(scenarioSchema.parse({})),
    /** Per-source stall detection, ms. */
    stallTimeoutMs: z.number().positive().default(3_000),
    stallReconnectMs: z.number().positive().default(15_000),
    /**
     * Enables POST /api/live/test/interrupt (take a simulated link down for a while). For tests
     * and demonstrations only; off unless set, and it only ever touches simulated sources.
     */
    testControls: z.boolean().default(false),
    /** Live WebSocket connections served at once; more are refused (close 1013). Default 16. */
    maxClients: z.number().int().min(1).max(10_000).optional(),
    /** Unsent bytes per client above which messages to it are dropped. Default 576000 (2 s of IQ). */
    clientBufferBytes: z
      .number()
      .int()
      .min(16_384)
      .max(256 * 1024 * 1024)
      .optional(),
    /** A client that has been dropping messages this long is closed, ms. Default 15000. */
    slowClientCloseMs: z.number().positive().max(3_600_000).optional(),
  })
  .strict();

export type LiveConfig = z.infer<typeof liveConfigSchema> & {
  parsedAllowList: AllowList;
  /** The scenario names no transmitter: a configured network gets one crossing it (liveNetwork.ts). */
  defaultTransmitter: boolean;
};
export type KiwiReceiverConfig = z.infer<typeof kiwiReceiverSchema>;
export type LiveReceiverConfig = NonNullable<LiveConfig['receivers']>[number];

/** Validates a parsed JSON value; `file` names the source in errors. */
export function parseLiveConfig(json: unknown, file = 'live config'): LiveConfig {
  const parsed = liveConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HeimdallError(
      'ConfigError',
      `${issue.path.join('.') || 'root'}: ${issue.message}`,
      file,
    );
  }
  const config = parsed.data;
  if (!(config.stallReconnectMs > config.stallTimeoutMs)) {
    throw new HeimdallError('ConfigError', 'stallReconnectMs must exceed stallTimeoutMs', file);
  }
  const parsedAllowList = parseAllowList(config.allowList, file);
  const seen = new Set<string>();
  for (const r of config.receivers ?? []) {
    if (seen.has(r.id))
      throw new HeimdallError('ConfigError', `receiver ${r.id} is listed twice`, file);
    seen.add(r.id);
    if ((r.lat === undefined) !== (r.lon === undefined)) {
      throw new HeimdallError(
        'ConfigError',
        `receiver ${r.id}: give both lat and lon, or neither`,
        file,
      );
    }
    if (r.source !== 'kiwisdr') continue;
    const host = normalizeHost(r.host);
    if (host === undefined || !isAllowed(parsedAllowList, host, r.port)) {
      throw new HeimdallError(
        'ConfigError',
        `receiver ${r.id}: ${r.host}:${r.port} is not on the allow-list (add it to "allowList")`,
        file,
      );
    }
    if (r.centerFrequencyHz === undefined && config.centerFrequencyHz === undefined) {
      throw new HeimdallError(
        'ConfigError',
        `receiver ${r.id}: no centerFrequencyHz (set it on the receiver or at the top level)`,
        file,
      );
    }
  }
  const scenario = (json as { scenario?: { transmitter?: unknown } } | null)?.scenario;
  return { ...config, parsedAllowList, defaultTransmitter: scenario?.transmitter === undefined };
}

export async function loadLiveConfig(path: string): Promise<LiveConfig> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new HeimdallError('ConfigError', `cannot read: ${(err as Error).message}`, file);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HeimdallError('ConfigError', `not JSON: ${(err as Error).message}`, file);
  }
  return parseLiveConfig(json, file);
}

/** The built-in default: the simulated network with its default moving transmitter. */
export function defaultLiveConfig(): LiveConfig {
  return parseLiveConfig({}, 'built-in live config');
}
