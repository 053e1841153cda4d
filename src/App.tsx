import { useEffect } from 'react';
import { bootEngine } from './state/engineActions';
import { DataColumn } from './components/DataColumn';
import { Header } from './components/Header';
import { MapView } from './components/MapView';
import { SidePanel } from './components/SidePanel';

export function App() {
  useEffect(() => void bootEngine(), []);
  return (
    <div className="app">
      <Header />
      <DataColumn />
      <MapView />
      <SidePanel />
    </div>
  );
}
