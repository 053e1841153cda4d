/**
 * The live relay's JSON text messages (the binary IQ frames are in wireFormat.ts). The server
 * builds them with these types; the browser validates each one with `parseLiveMessage` before use,
 * so a relay of another version fails with a clear error instead of undefined fields.
 */
import { z } from 'zod';
import { HeimdallError } from '../errors';

export const LIVE_PROTOCOL = 1;
export const LIVE_PATH = '/api/live';

export const SOURCE_STATES = [
  'connecting', // opening the connection or waiting for the first frame
  'streaming', // frames are arriving
  'stalled', // connected, but no frame for longer than the stall timeout
  'reconnecting', // the connection failed or was dropped; the next attempt is scheduled
  'stopped', // the relay stopped the source
  'error', // a failure retrying cannot fix (e.g. a wrong password); the source gave up
] as const;
export type LiveSourceStateName = (typeof SOURCE_STATES)[number];

const latLon = { lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) };

export const liveReceiverSchema = z.object({
  /** Index used by the binary frames of this connection. */
  index: z.number().int().nonnegative(),
  receiverId: z.string(),
  name: z.string(),
  ...latLon,
  altM: z.number().optional(),
  source: z.enum(['simulated', 'kiwisdr']),
  /** Where the samples come from, for the operator: `host:port`, or the scenario's name. */
  label: z.string(),
  state: z.enum(SOURCE_STATES),
  detail: z.string().optional(),
});
export type LiveReceiver = z.infer<typeof liveReceiverSchema>;

export const helloSchema = z.object({
  type: z.literal('hello'),
  protocol: z.literal(LIVE_PROTOCOL),
  /** The relay's clock when it sent this, ms since the epoch (for clock-offset display). */
  serverTimeMs: z.number(),
  constellationId: z.string(),
  receivers: z.array(liveReceiverSchema),
  /** One line describing the simulated scenario, when the network is simulated. */
  scenario: z.string().optional(),
});
export type HelloMessage = z.infer<typeof helloSchema>;

export const stateSchema = z.object({
  type: z.literal('state'),
  receiverIndex: z.number().int().nonnegative(),
  receiverId: z.string(),
  state: z.enum(SOURCE_STATES),
  detail: z.string().optional(),
  reconnectInMs: z.number().optional(),
  atMs: z.number(),
});
export type StateMessage = z.infer<typeof stateSchema>;

/** Where the simulated transmitter is: the ground truth the live view draws and tests check. */
export const truthSchema = z.object({
  type: z.literal('truth'),
  timeMs: z.number(),
  ...latLon,
  /** The transmitter is keyed (on the air). */
  keyed: z.boolean(),
  kind: z.string(),
});
export type TruthMessage = z.infer<typeof truthSchema>;

/** Relay-side counters for this client, sent about once a second. */
export const relayStatsSchema = z.object({
  type: z.literal('stats'),
  atMs: z.number(),
  framesSent: z.number().int().nonnegative(),
  /** Frames not sent because this client's socket buffer was full (a slow client or network). */
  framesDropped: z.number().int().nonnegative(),
  bufferedBytes: z.number().nonnegative(),
});
export type RelayStatsMessage = z.infer<typeof relayStatsSchema>;

/** The relay cannot serve (e.g. no model in the registry to take the constellation from). */
export const relayErrorSchema = z.object({
  type: z.literal('error'),
  message: z.string(),
});
export type RelayErrorMessage = z.infer<typeof relayErrorSchema>;

export const liveMessageSchema = z.discriminatedUnion('type', [
  helloSchema,
  stateSchema,
  truthSchema,
  relayStatsSchema,
  relayErrorSchema,
]);
export type LiveMessage = z.infer<typeof liveMessageSchema>;

export function parseLiveMessage(text: string): LiveMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HeimdallError('CorruptFileError', 'a text message is not JSON', 'live relay');
  }
  const parsed = liveMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HeimdallError(
      'CorruptFileError',
      `unexpected message (${issue.path.join('.') || 'root'}: ${issue.message})`,
      'live relay',
    );
  }
  return parsed.data;
}
