import { lazy, Suspense, useEffect } from 'react';
import { bootEngine } from './state/engineActions';
import { initStations } from './state/stationActions';
import { bootTdoa } from './state/tdoaActions';
import { DataColumn } from './components/DataColumn';
import { Header } from './components/Header';
import { MapView } from './components/MapView';
import { SidePanel } from './components/SidePanel';
import { useView } from './hooks/useView';

// The live view is its own chunk: a visit that opens files (the usual start) never evaluates it.
const LivePage = lazy(() => import('./live/LivePage').then((m) => ({ default: m.LivePage })));

export function App() {
  useEffect(() => void bootEngine(), []);
  useEffect(() => void bootTdoa(initStations), []);
  const view = useView();
  if (view === 'live')
    return (
      <Suspense fallback={<p className="muted">Loading the live view…</p>}>
        <LivePage />
      </Suspense>
    );
  return (
    <div className="app">
      <Header />
      <DataColumn />
      <MapView />
      <SidePanel />
    </div>
  );
}
