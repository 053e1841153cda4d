import { Counter, Gauge, type Registry } from 'prom-client';
import type { SourceStateName } from './types';

/** The live relay's Prometheus series, registered in the server's registry (served at /metrics). */
export interface LiveMetrics {
  framesReceived: Counter<'receiver'>;
  framesSent: Counter<'receiver'>;
  framesDropped: Counter<'receiver' | 'reason'>;
  clients: Gauge;
  messagesDropped: Counter<'type'>;
  connectionsRefused: Counter<'reason'>;
  clientsClosed: Counter<'reason'>;
  bufferedBytes: Gauge;
  sourceState: Gauge<'receiver' | 'state'>;
  sourceStateChanges: Counter<'receiver' | 'state'>;
}

export function createLiveMetrics(registry: Registry): LiveMetrics {
  const registers = [registry];
  return {
    framesReceived: new Counter({
      name: 'heimdall_live_frames_received_total',
      help: 'IQ frames the relay received from its sources, by receiver',
      labelNames: ['receiver'],
      registers,
    }),
    framesSent: new Counter({
      name: 'heimdall_live_frames_relayed_total',
      help: 'IQ frames sent to browser clients (one per client per frame), by receiver',
      labelNames: ['receiver'],
      registers,
    }),
    framesDropped: new Counter({
      name: 'heimdall_live_frames_dropped_total',
      help: 'IQ frames not sent to a client, by receiver and reason (client_backpressure: its socket buffer was full)',
      labelNames: ['receiver', 'reason'],
      registers,
    }),
    clients: new Gauge({
      name: 'heimdall_live_clients',
      help: 'Browser WebSocket connections to the live relay',
      registers,
    }),
    messagesDropped: new Counter({
      name: 'heimdall_live_messages_dropped_total',
      help: 'JSON messages (state, truth, stats) not sent to a client because its socket buffer was full, by type',
      labelNames: ['type'],
      registers,
    }),
    connectionsRefused: new Counter({
      name: 'heimdall_live_connections_refused_total',
      help: 'Live WebSocket connections refused, by reason (too_many_clients, cross_origin)',
      labelNames: ['reason'],
      registers,
    }),
    clientsClosed: new Counter({
      name: 'heimdall_live_clients_closed_total',
      help: 'Live clients the relay closed, by reason (too_slow: it stopped reading and messages were dropped for too long)',
      labelNames: ['reason'],
      registers,
    }),
    bufferedBytes: new Gauge({
      name: 'heimdall_live_buffered_bytes',
      help: 'Bytes queued for the live clients and not yet sent, all clients together (sampled once a second)',
      registers,
    }),
    sourceState: new Gauge({
      name: 'heimdall_live_source_state',
      help: '1 for the state each live source is in, 0 for the others',
      labelNames: ['receiver', 'state'],
      registers,
    }),
    sourceStateChanges: new Counter({
      name: 'heimdall_live_source_state_changes_total',
      help: 'State changes of the live sources, by receiver and the state entered (e.g. stalled, reconnecting)',
      labelNames: ['receiver', 'state'],
      registers,
    }),
  };
}

const STATES: readonly SourceStateName[] = [
  'connecting',
  'streaming',
  'stalled',
  'reconnecting',
  'stopped',
  'error',
];

export function recordSourceState(m: LiveMetrics, receiver: string, state: SourceStateName): void {
  m.sourceStateChanges.inc({ receiver, state });
  for (const s of STATES) m.sourceState.set({ receiver, state: s }, s === state ? 1 : 0);
}
