import { ViewTabs } from './ViewTabs';
import { useStore } from '../state/store';
import { loadDemo } from '../state/fileActions';
import { EngineStatusChip } from './EngineStatusChip';
import { OpenFilesButton } from './OpenFilesButton';

export function Header() {
  const notice = useStore((s) => s.notice);
  const busy = useStore((s) => s.batchRunning);
  return (
    <header className="app-header">
      <h1>heimdall</h1>
      <ViewTabs />
      <EngineStatusChip />
      <button type="button" className="primary" onClick={() => void loadDemo()} disabled={busy}>
        Load demo scenes
      </button>
      <OpenFilesButton />
      <span className="spacer" />
      <p className="notice" role="status" aria-live="polite" title={notice}>
        {notice}
      </p>
    </header>
  );
}
