import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OfferAlarm, REPEAT_MS } from './offerAlarm';

const T0 = 1_700_000_000_000;

describe('OfferAlarm', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup(offsetMs = 0) {
    const play = vi.fn();
    const alarm = new OfferAlarm({ play, serverNow: () => Date.now() + offsetMs });
    return { play, alarm };
  }

  it('sounds at once and repeats until the offer is accepted', () => {
    const { play, alarm } = setup();
    alarm.update([{ id: 'c1', expiresAt: T0 + 60_000 }]);
    expect(play).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(REPEAT_MS * 3);
    expect(play).toHaveBeenCalledTimes(4);
    expect(alarm.sounding).toBe(true);

    alarm.update([]); // accepted: the offer is gone from the state
    vi.advanceTimersByTime(REPEAT_MS * 5);
    expect(play).toHaveBeenCalledTimes(4);
    expect(alarm.sounding).toBe(false);
  });

  it('stops when the offer is declined, and sounds again for a new one', () => {
    const { play, alarm } = setup();
    alarm.update([{ id: 'c1', expiresAt: T0 + 60_000 }]);
    vi.advanceTimersByTime(REPEAT_MS);
    expect(play).toHaveBeenCalledTimes(2);
    alarm.update([]); // declined
    vi.advanceTimersByTime(REPEAT_MS * 3);
    expect(play).toHaveBeenCalledTimes(2);

    alarm.update([{ id: 'c2' }]);
    expect(play).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(REPEAT_MS);
    expect(play).toHaveBeenCalledTimes(4);
  });

  it('stops at the expiry even when no update arrives', () => {
    const { play, alarm } = setup();
    alarm.update([{ id: 'c1', expiresAt: T0 + REPEAT_MS * 2 + 500 }]);
    vi.advanceTimersByTime(REPEAT_MS * 2);
    expect(play).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(REPEAT_MS * 5);
    expect(play).toHaveBeenCalledTimes(3);
    expect(alarm.sounding).toBe(false);
  });

  it('reads expiry on the server clock and ignores expired offers', () => {
    // The server is 30 s ahead: an offer expiring 20 s from our now is over.
    const { play, alarm } = setup(30_000);
    alarm.update([{ id: 'c1', expiresAt: T0 + 20_000 }]);
    expect(play).not.toHaveBeenCalled();
    expect(alarm.sounding).toBe(false);
  });

  it('does not restart the sound when the same offers are updated', () => {
    const { play, alarm } = setup();
    alarm.update([{ id: 'c1' }]);
    vi.advanceTimersByTime(REPEAT_MS / 2);
    alarm.update([{ id: 'c1' }]);
    expect(play).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(REPEAT_MS / 2);
    expect(play).toHaveBeenCalledTimes(2);
    alarm.stop();
    vi.advanceTimersByTime(REPEAT_MS * 3);
    expect(play).toHaveBeenCalledTimes(2);
  });
});
