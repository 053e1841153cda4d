import { useEffect, useState } from 'react';
import { getInferenceBridge } from '../bridge/inferenceBridge';
import { useActiveEntry } from '../hooks/useConstellation';
import { getState } from '../state/store';
import { LiveSession } from './liveSession';
import { liveRelayUrl } from './liveSocket';

/**
 * The live session while the live view is open: created once the model's preprocessing and
 * receivers are known (from the manifest, before the model itself has loaded, so the waterfalls
 * run at once), recreated only if they change, stopped when the view closes.
 */
export function useLiveSession(): LiveSession | null {
  const entry = useActiveEntry();
  const [session, setSession] = useState<LiveSession | null>(null);
  // Production and staging normally share both; switching versions must not restart the stream.
  const key = entry ? JSON.stringify([entry.preprocessing, entry.constellation]) : null;
  useEffect(() => {
    if (!entry) return;
    const s = new LiveSession({
      url: liveRelayUrl(),
      preprocessing: entry.preprocessing,
      constellation: entry.constellation,
      // Live windows are squelched and located in the worker, uncached and ahead of any files.
      locateWindow: (iq, windowStartMs, stations) =>
        getInferenceBridge().locateLiveWindow({
          sceneId: `live-${windowStartMs}`,
          iq,
          captureTimeMs: windowStartMs,
          ...(stations ? { stations } : {}),
        }),
      locateTdoa: (scene, recordings) => getInferenceBridge().locateLiveTdoa({ scene, recordings }),
      modelReady: () => getState().engine.state === 'ready',
    });
    // The session is an external system (a socket, timers): React state only holds the handle.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSession(s);
    return () => {
      s.stop();
      setSession(null);
    };
    // Keyed on what the session is built from, not on the entry object's identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return session;
}
