import { markPhase } from './core/phaseMark';
import { bootEngine } from './state/engineActions';

// The worker, its runtime and the model start first, before React and the app's components are
// even evaluated (they come in a chunk of their own, renderApp.tsx): the runtime's fetch and
// compile, the longest step of a visit, then overlap the page's own start-up.
markPhase('page-script');
void bootEngine();
void import('./renderApp');
