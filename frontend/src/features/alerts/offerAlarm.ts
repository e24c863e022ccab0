// The offer alarm: while any offer to the agent is open it sounds at once
// and again every few seconds, so an offer is never a single easy-to-miss
// ping. It stops when the last offer goes: accepted, declined, withdrawn,
// or past its expiry (checked on the server's clock, even before the
// server's update arrives).

/** An open offer: its conversation and when it expires (server unix ms). */
export interface OfferItem {
  id: string;
  expiresAt?: number;
}

/** How an OfferAlarm sounds and reads the time. */
export interface OfferAlarmOptions {
  /** Plays the offer sound. */
  play(): void;
  /** The server's clock now (unix ms). */
  serverNow(): number;
  /** Pause between repeats; default REPEAT_MS. */
  everyMs?: number;
}

/** Default pause between two offer sounds. */
export const REPEAT_MS = 4000;

/** Repeats the offer sound while offers are open. */
export class OfferAlarm {
  private offers = new Map<string, number | undefined>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly opts: OfferAlarmOptions) {}

  /**
   * Sets the open offers. An offer not seen before sounds at once; the sound
   * repeats while any is open and stops when none is.
   */
  update(offers: readonly OfferItem[]): void {
    const now = this.opts.serverNow();
    const next = new Map<string, number | undefined>();
    let fresh = false;
    for (const o of offers) {
      if (o.expiresAt && o.expiresAt <= now) continue;
      next.set(o.id, o.expiresAt);
      if (!this.offers.has(o.id)) fresh = true;
    }
    this.offers = next;
    if (fresh) this.opts.play();
    this.schedule();
  }

  /** Whether an offer is open, so the alarm repeats. */
  get sounding(): boolean {
    return this.timer !== null;
  }

  /** Stops the alarm for good (the component unmounts). */
  stop(): void {
    this.offers.clear();
    this.schedule();
  }

  private readonly tick = (): void => {
    this.dropExpired();
    if (this.offers.size > 0) this.opts.play();
    this.schedule();
  };

  private dropExpired(): void {
    const now = this.opts.serverNow();
    for (const [id, expiresAt] of this.offers) {
      if (expiresAt && expiresAt <= now) this.offers.delete(id);
    }
  }

  private schedule(): void {
    if (this.offers.size === 0) {
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
      return;
    }
    if (this.timer === null) this.timer = setInterval(this.tick, this.opts.everyMs ?? REPEAT_MS);
  }
}
