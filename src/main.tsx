import { getInferenceBridge } from './bridge/inferenceBridge';
import { markPhase } from './core/phaseMark';

// The inference worker starts first, from this small entry (the bridge and comlink), before the
// store (zustand, and the settings' first localStorage read, 0.1 s on a repeat visit in traces),
// React and the app's components are fetched or evaluated: the worker's own start (its thread,
// script, compile and evaluation, 0.5-0.7 s in traces of repeat visits) then overlaps theirs.
// The engine's boot (configure starts the runtime, or the cached slot) follows in its own chunk.
markPhase('page-script');
getInferenceBridge();
void import('./state/engineActions').then(({ bootEngine }) => bootEngine());
void import('./renderApp');
