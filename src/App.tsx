import { useEffect } from 'react';
import { bootEngine } from './state/engineActions';
import { initStations } from './state/stationActions';
import { bootTdoa } from './state/tdoaActions';
import { DataColumn } from './components/DataColumn';
import { Header } from './components/Header';
import { MapView } from './components/MapView';
import { SidePanel } from './components/SidePanel';
import { LivePage } from './live/LivePage';
import { useView } from './hooks/useView';

export function App() {
  useEffect(() => void bootEngine(), []);
  useEffect(() => void bootTdoa(initStations), []);
  const view = useView();
  if (view === 'live') return <LivePage />;
  return (
    <div className="app">
      <Header />
      <DataColumn />
      <MapView />
      <SidePanel />
    </div>
  );
}
