// Voice messages are recorded with MediaRecorder where the browser has it;
// the microphone permission is asked on the customer's click, never before.

/** MediaEnv is the browser's part of recording (tests pass fakes). */
export interface MediaEnv {
  getUserMedia(c: MediaStreamConstraints): Promise<MediaStream>;
  createRecorder(stream: MediaStream): MediaRecorder;
  now(): number;
}

/** RecorderState is where a recording stands. */
export type RecorderState =
  | { status: 'idle' }
  | { status: 'asking' }
  | { status: 'recording'; startedAt: number }
  | { status: 'failed'; code: 'denied' | 'recorder' };

/** browserMedia is the real MediaEnv, or null when recording is not possible. */
export function browserMedia(win: Window & typeof globalThis = window): MediaEnv | null {
  const md = win.navigator?.mediaDevices;
  if (typeof win.MediaRecorder !== 'function' || !md || typeof md.getUserMedia !== 'function') return null;
  const pick = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4', 'audio/webm'].find(
    (t) => typeof win.MediaRecorder.isTypeSupported !== 'function' || win.MediaRecorder.isTypeSupported(t),
  );
  return {
    getUserMedia: (c) => md.getUserMedia(c),
    createRecorder: (stream) => new win.MediaRecorder(stream, pick ? { mimeType: pick } : undefined),
    now: () => Date.now(),
  };
}

/** MAX_VOICE_MS is the longest voice message: recording stops and sends then. */
export const MAX_VOICE_MS = 120_000;

/** VoiceRecorder records one voice message at a time. */
export class VoiceRecorder {
  private readonly env: MediaEnv;
  private readonly onChange: (s: RecorderState, prev: RecorderState) => void;
  private readonly onDone: (file: File, durationMS: number) => void;
  private _state: RecorderState = { status: 'idle' };
  private rec: MediaRecorder | null = null;
  private stream: MediaStream | null = null;
  private chunks: Blob[] = [];
  private discard = false;
  private limit: ReturnType<typeof setTimeout> | null = null;

  constructor(
    env: MediaEnv,
    onChange: (s: RecorderState, prev: RecorderState) => void,
    onDone: (file: File, durationMS: number) => void,
  ) {
    this.env = env;
    this.onChange = onChange;
    this.onDone = onDone;
  }

  get state(): RecorderState {
    return this._state;
  }

  /** toggle starts recording, or stops and hands the recording over. */
  toggle(): void {
    if (this._state.status === 'recording') this.stop(false);
    else if (this._state.status !== 'asking') void this.start();
  }

  /** cancel stops without sending. */
  cancel(): void {
    if (this._state.status === 'recording') this.stop(true);
  }

  private async start(): Promise<void> {
    this.set({ status: 'asking' });
    let stream: MediaStream;
    try {
      stream = await this.env.getUserMedia({ audio: true });
    } catch {
      this.set({ status: 'failed', code: 'denied' });
      return;
    }
    let rec: MediaRecorder;
    try {
      rec = this.env.createRecorder(stream);
    } catch {
      stopTracks(stream);
      this.set({ status: 'failed', code: 'recorder' });
      return;
    }
    this.stream = stream;
    this.rec = rec;
    this.chunks = [];
    this.discard = false;
    const startedAt = this.env.now();
    rec.ondataavailable = (e: BlobEvent) => {
      if (e.data && e.data.size > 0) this.chunks.push(e.data);
    };
    rec.onstop = () => {
      const duration = this.env.now() - startedAt;
      const type = (rec.mimeType || 'audio/webm').split(';')[0];
      const blob = new Blob(this.chunks, { type });
      this.chunks = [];
      if (this.stream) stopTracks(this.stream);
      this.stream = null;
      this.rec = null;
      this.set({ status: 'idle' });
      if (!this.discard && blob.size > 0) {
        const ext = type.includes('ogg') ? 'ogg' : type.includes('mp4') ? 'm4a' : 'webm';
        this.onDone(new File([blob], `voice-${startedAt}.${ext}`, { type }), duration);
      }
    };
    rec.start();
    this.limit = setTimeout(() => this.stop(false), MAX_VOICE_MS);
    this.set({ status: 'recording', startedAt });
  }

  private stop(discard: boolean): void {
    if (this.limit) clearTimeout(this.limit);
    this.limit = null;
    this.discard = discard;
    try {
      this.rec?.stop();
    } catch {
      if (this.stream) stopTracks(this.stream);
      this.set({ status: 'idle' });
    }
  }

  private set(s: RecorderState): void {
    const prev = this._state;
    this._state = s;
    this.onChange(s, prev);
  }
}

function stopTracks(s: MediaStream): void {
  for (const t of s.getTracks()) t.stop();
}
