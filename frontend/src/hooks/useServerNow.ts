import { useAppState } from '../state/store';
import { useNow } from './useNow';

/**
 * Returns the server's current time in unix milliseconds, refreshed every
 * intervalMs: this machine's clock corrected by the offset measured at the
 * last welcome, so countdowns to server times (an offer's expiry) hold on a
 * machine whose clock is off.
 */
export function useServerNow(intervalMs = 1000): number {
  const offset = useAppState().conn.clock_offset_ms ?? 0;
  return useNow(intervalMs) + offset;
}
