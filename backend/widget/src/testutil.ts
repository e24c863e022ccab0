// Hand-written fakes for the client's environment, used by the unit tests.

import type { ClientEnv, SocketLike } from './client';
import type { Frame, Message } from './protocol';
import { memoryStore, type KeyValueStore } from './storage';

/** FakeSocket is a WebSocket the test drives from the server's side. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly url: string;
  readonly sent: Frame[] = [];
  closedWith: number | undefined | null = null;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;

  constructor(url: string) {
    this.url = url;
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data) as Frame);
  }

  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  /** accept completes the handshake. */
  accept(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  /** receive delivers a frame from the server. */
  receive(frame: Frame): void {
    this.onmessage?.({ data: JSON.stringify(frame) } as MessageEvent);
  }

  /** receiveRaw delivers an arbitrary text message. */
  receiveRaw(data: string): void {
    this.onmessage?.({ data } as MessageEvent);
  }

  /** drop closes the socket from the server's side. */
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' } as CloseEvent);
  }

  /** last returns the last frame of a type the client sent. */
  last(type: string): Frame {
    const f = [...this.sent].reverse().find((x) => x.type === type);
    if (!f) throw new Error(`no ${type} frame sent; sent: ${this.sent.map((x) => x.type).join(',')}`);
    return f;
  }

  /** all returns every frame of a type the client sent. */
  all(type: string): Frame[] {
    return this.sent.filter((x) => x.type === type);
  }
}

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/** FakeEnv is a ClientEnv with a manual clock, fake sockets and a fake server. */
export class FakeEnv implements ClientEnv {
  clock = 1_700_000_000_000;
  sockets: FakeSocket[] = [];
  storage: KeyValueStore = memoryStore();
  fetchCalls: Array<{ url: string; body: unknown }> = [];
  fetchFails = 0;
  /** identityRefusal, when set, is the error code answering a request with an identity. */
  identityRefusal = '';
  randomValue = 0.5;
  private timers: Timer[] = [];
  private nextTimer = 1;
  private nextUUID = 1;
  private nextToken = 1;

  fetch = async (url: string, init: RequestInit): Promise<Response> => {
    this.fetchCalls.push({ url, body: JSON.parse(String(init.body ?? '{}')) });
    if (this.fetchFails > 0) {
      this.fetchFails--;
      return new Response('{"error":{"code":"internal"}}', { status: 500 });
    }
    const body = this.fetchCalls[this.fetchCalls.length - 1].body as { identity?: string };
    if (body.identity && this.identityRefusal) {
      return new Response(JSON.stringify({ error: { code: this.identityRefusal } }), { status: 401 });
    }
    const n = this.nextToken++;
    return new Response(
      JSON.stringify({
        token: `tok-${n}`,
        visitor_id: body.identity ? 'usr-1' : 'v-1',
        expires_at: this.clock + 3_600_000,
        ...(body.identity ? { verified: true } : {}),
      }),
      { status: 200, headers: { 'Content-Type': 'application/json' } },
    );
  };

  openSocket = (url: string): SocketLike => {
    const s = new FakeSocket(url);
    this.sockets.push(s);
    return s;
  };

  random = (): number => this.randomValue;
  now = (): number => this.clock;
  uuid = (): string => `00000000-0000-4000-8000-${String(this.nextUUID++).padStart(12, '0')}`;

  setTimer = (fn: () => void, ms: number): unknown => {
    const t = { id: this.nextTimer++, at: this.clock + ms, fn };
    this.timers.push(t);
    return t.id;
  };

  clearTimer = (h: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== h);
  };

  /** socket is the latest socket the client opened. */
  get socket(): FakeSocket {
    const s = this.sockets[this.sockets.length - 1];
    if (!s) throw new Error('no socket opened');
    return s;
  }

  /** pendingTimers lists the delays of the timers not yet fired. */
  pendingTimers(): number[] {
    return this.timers.map((t) => t.at - this.clock);
  }

  /** advance moves the clock, firing due timers in order. */
  advance(ms: number): void {
    const end = this.clock + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id);
      if (!due.length) break;
      const t = due[0];
      this.timers = this.timers.filter((x) => x !== t);
      this.clock = Math.max(this.clock, t.at);
      t.fn();
    }
    this.clock = end;
  }
}

/** settle lets pending promises (the visitor token fetch) resolve. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

/** msg builds a stored message. */
export function msg(seq: number, over: Partial<Message> = {}): Message {
  return {
    conversation_id: 'c-1',
    seq,
    client_msg_id: `srv-${seq}`,
    sender: { role: 'bot', id: 'bot', name: '云杉小助手' },
    kind: 'text',
    visibility: 'public',
    text: `message ${seq}`,
    created_at: 1_700_000_000_000 + seq,
    ...over,
  };
}

/** conversation builds a conversation frame payload. */
export function conversation(id = 'c-1', over: Record<string, unknown> = {}) {
  return {
    id,
    customer_id: 'v-1',
    customer_name: 'Visitor',
    channel: 'web',
    state: 'bot',
    epoch: 1,
    last_seq: 1,
    created_at: 1,
    updated_at: 1,
    ...over,
  };
}
