import { EngineStatusChip } from '../components/EngineStatusChip';
import { useLiveStore, useStore } from '../state/store';
import { LiveMap } from './LiveMap';
import { LiveStats } from './LiveStats';
import { LiveTdoaPanel } from './LiveTdoaPanel';
import { ReceiverCard } from './ReceiverCard';
import { RecordControl } from './RecordControl';
import { useLiveSession } from './useLiveSession';
import { ViewTabs } from '../components/ViewTabs';
import './live.css';

const CONNECTION_TEXT = {
  idle: 'Not connected',
  connecting: 'Connecting to the relay…',
  open: 'Relay connected',
  closed: 'Relay disconnected',
  error: 'Relay cannot serve',
} as const;

/**
 * The live view: the receivers' streams from the companion server's relay, a waterfall each,
 * continuous localisation of every window a receiver hears something in, and recording to SigMF.
 */
export function LivePage() {
  const session = useLiveSession();
  const connection = useLiveStore((s) => s.connection);
  const receivers = useLiveStore((s) => s.receivers);
  const manifestError = useStore((s) => s.manifestError);
  return (
    <div className="app live-app">
      <header className="app-header">
        <h1>heimdall</h1>
        <ViewTabs />
        <EngineStatusChip />
        <span
          className={`status-chip ${connection.state === 'open' ? 'ready' : connection.state === 'error' ? 'error' : 'loading'}`}
          data-testid="relay-status"
          data-state={connection.state}
          title={connection.message}
        >
          <span className="dot" aria-hidden="true" />
          {CONNECTION_TEXT[connection.state]}
          {connection.message ? `: ${connection.message}` : ''}
        </span>
        <span className="spacer" />
        {connection.scenario && <p className="notice">{connection.scenario}</p>}
      </header>
      <aside className="data-column live-receivers" aria-label="Receivers">
        {manifestError && <p className="error-text section">{manifestError.message}</p>}
        {!session && !manifestError && <p className="muted section">Reading the model list…</p>}
        {receivers.map((r) => (
          <ReceiverCard key={r.receiverId} r={r} session={session} />
        ))}
      </aside>
      <LiveMap session={session} />
      <aside className="side-column" aria-label="Live status">
        <LiveStats />
        <LiveTdoaPanel />
        <RecordControl session={session} />
      </aside>
    </div>
  );
}
