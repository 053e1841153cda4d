import { useEffect } from 'react';
import { refreshMetrics } from '../state/engineActions';

/** While the metrics panel is open, poll the engine's figures (cheap: one message round trip). */
export function useMetricsPolling(intervalMs = 1000): void {
  useEffect(() => {
    void refreshMetrics();
    const timer = setInterval(() => void refreshMetrics(), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
}
