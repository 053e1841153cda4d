import type { LiveSession } from './liveSession';
import type { LiveReceiverView } from '../state/liveTypes';
import { Waterfall } from './Waterfall';

const STATE_TEXT: Record<LiveReceiverView['state'], string> = {
  connecting: 'connecting',
  streaming: 'streaming',
  stalled: 'stalled',
  reconnecting: 'reconnecting',
  stopped: 'stopped',
  error: 'failed',
};

/** One receiver: its state, where its samples come from, what the squelch hears, its waterfall. */
export function ReceiverCard({ r, session }: { r: LiveReceiverView; session: LiveSession | null }) {
  const retry =
    r.state === 'reconnecting' && r.reconnectInMs !== undefined
      ? ` (retry in ${(r.reconnectInMs / 1000).toFixed(1)} s)`
      : '';
  return (
    <section className="live-rx" aria-label={r.name} data-testid={`receiver-${r.receiverId}`}>
      <header>
        <strong>{r.name}</strong>
        <span className={`live-state ${r.state}`} data-testid="receiver-state" data-state={r.state}>
          {STATE_TEXT[r.state]}
          {retry}
        </span>
      </header>
      <p className="muted live-rx-facts">
        {r.label || '…'} · {r.framesReceived} frames
        {r.restarts > 0 ? ` · ${r.restarts} gaps` : ''}
        {r.peakOverNoiseDb !== undefined && (
          <>
            {' · '}
            <span className={r.hears ? 'ok-text' : 'muted'}>
              {r.hears ? 'hears' : 'quiet'} {r.peakOverNoiseDb.toFixed(0)} dB
            </span>
          </>
        )}
      </p>
      {r.detail && r.state !== 'streaming' && <p className="warn-text live-rx-facts">{r.detail}</p>}
      <Waterfall session={session} index={r.index} label={r.name} />
    </section>
  );
}
