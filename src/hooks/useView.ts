/**
 * Which view the app shows, from the URL hash: '#live' is the live view, anything else the file
 * view. A hash (not a path) so the companion server's static routes and reloads need nothing new.
 */
import { useSyncExternalStore } from 'react';

export type AppView = 'files' | 'live';

const LIVE_HASH = '#live';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function currentView(): AppView {
  return location.hash === LIVE_HASH ? 'live' : 'files';
}

export function useView(): AppView {
  return useSyncExternalStore(subscribe, currentView);
}

export function viewHref(view: AppView): string {
  return view === 'live' ? LIVE_HASH : '#';
}
