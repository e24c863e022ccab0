// Reconnect delays: capped exponential backoff with full jitter, so that many
// widgets cut off at once do not come back at the same instant.

import { ReconnectBaseMS, ReconnectMaxMS } from './protocol';

/** BACKOFF_BASE_MS is the cap of the first delay (protocol.ReconnectBase). */
export const BACKOFF_BASE_MS = ReconnectBaseMS;
/** BACKOFF_MAX_MS is the cap of every delay (protocol.ReconnectMax). */
export const BACKOFF_MAX_MS = ReconnectMaxMS;

/**
 * backoffDelay is the wait before reconnect attempt number attempt (0-based):
 * a uniformly random time in [0, min(max, base·2^attempt)).
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  base = BACKOFF_BASE_MS,
  max = BACKOFF_MAX_MS,
): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(random() * ceiling);
}
