// Short alert sounds made with the Web Audio API, so nothing is bundled:
// rising tones for an offer, one soft tone for a message, an alternating
// pair for a colleague's request for help. Where audio is
// unavailable (tests, a locked-down web view) they are silent.

/** Which sound to play. */
export type AlertSound = 'offer' | 'message' | 'assist';

interface Tone {
  /** Frequency in Hz. */
  freq: number;
  /** Start, from now, in seconds. */
  at: number;
  /** Length in seconds. */
  len: number;
}

const TONES: Record<AlertSound, readonly Tone[]> = {
  offer: [
    { freq: 660, at: 0, len: 0.18 },
    { freq: 880, at: 0.2, len: 0.18 },
    { freq: 1175, at: 0.4, len: 0.28 },
  ],
  message: [{ freq: 880, at: 0, len: 0.16 }],
  // Falling, unlike the offer's rising tones: a colleague, not a customer.
  assist: [
    { freq: 988, at: 0, len: 0.16 },
    { freq: 784, at: 0.18, len: 0.16 },
    { freq: 988, at: 0.36, len: 0.16 },
    { freq: 784, at: 0.54, len: 0.24 },
  ],
};

let ctx: AudioContext | null = null;

function audio(): AudioContext | null {
  if (ctx) return ctx;
  const Ctor = typeof window === 'undefined' ? undefined : window.AudioContext;
  if (!Ctor) return null;
  try {
    ctx = new Ctor();
  } catch {
    return null;
  }
  return ctx;
}

/** Plays a sound; never throws. */
export function playSound(kind: AlertSound): void {
  const ac = audio();
  if (!ac) return;
  try {
    if (ac.state === 'suspended') void ac.resume().catch(() => {});
    const t0 = ac.currentTime;
    for (const tone of TONES[kind]) {
      const osc = ac.createOscillator();
      const gain = ac.createGain();
      osc.type = 'sine';
      osc.frequency.value = tone.freq;
      // A quick attack and an exponential fade: a chime, not a click.
      gain.gain.setValueAtTime(0.0001, t0 + tone.at);
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + tone.at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + tone.at + tone.len);
      osc.connect(gain).connect(ac.destination);
      osc.start(t0 + tone.at);
      osc.stop(t0 + tone.at + tone.len + 0.02);
    }
  } catch (err) {
    console.warn('alert sound failed', err);
  }
}
