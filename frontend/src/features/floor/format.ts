// Figures of the floor: durations to the second, as a clock reads them.

/** Formats ms as m:ss, or h:mm:ss from an hour on; negative counts as 0. */
export function formatClock(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Reports whether a wait of ms is past a threshold (0: no threshold). */
export function pastSLA(ms: number, threshold: number): boolean {
  return threshold > 0 && ms > threshold;
}
