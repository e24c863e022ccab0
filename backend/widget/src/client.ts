// ChatClient is the widget's connection to the server: visitor token, the
// WebSocket connection (hello → open → sync), sending with acknowledgement, and
// silent reconnection. It knows nothing about the DOM; the view listens to it.
//
// Reliability rules it keeps:
//   - every message typed is kept (in memory and in storage) until the server
//     acknowledges it, and resent with the same client_msg_id after a
//     reconnect, so the server stores it exactly once;
//   - stored messages are keyed by seq: duplicates are dropped, order is seq order;
//   - after a reconnect the transcript resumes from the last seq held.
//
// It also keeps what the customer sees beside the transcript: the queue
// position the server pushes, and the state of their rating.

import { backoffDelay } from './backoff';
import type {
  AckData,
  Attachment,
  AttachmentKind,
  BotFeedbackData,
  CardActionData,
  Conversation,
  Frame,
  HelloData,
  HistoryData,
  Message,
  OpenData,
  QueueInfo,
  RateData,
  SendData,
  SyncData,
  VisitorResponse,
  WelcomeData,
  WireError,
} from './protocol';
import {
  CloseCode,
  ConversationState,
  MAX_EXT_KEYS,
  MAX_EXT_VALUE_LEN,
  MAX_RATING_COMMENT_RUNES,
  MAX_TEXT_RUNES,
  PROTOCOL_VERSION,
} from './protocol';
import { readJSON, type KeyValueStore } from './storage';
import { Transcript, type Pending, type PendingAction } from './transcript';

/** ConnState is the connection's state as the customer sees it. */
export type ConnState = 'idle' | 'connecting' | 'online' | 'offline';

/** SocketLike is the part of the browser WebSocket the client uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
}

/** ClientEnv is everything the client takes from the outside world. */
export interface ClientEnv {
  fetch(url: string, init: RequestInit): Promise<Response>;
  openSocket(url: string): SocketLike;
  storage: KeyValueStore;
  random(): number;
  now(): number;
  uuid(): string;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** ClientOptions configures a client. */
export interface ClientOptions {
  /** Server base URL, http(s), without a trailing slash. */
  server: string;
  /** Business fields passed to open. */
  ext: Record<string, string>;
  /** BCP 47 language tag sent in hello and open. */
  locale: string;
  /** How long a connection may take to get online; default 15 s. */
  connectTimeoutMS?: number;
  /**
   * identity is the signed identity token the site's backend issued for
   * its signed-in user, or a function that fetches a fresh one (called
   * whenever the widget needs one: at start and when the last has
   * expired). Without it the customer is an anonymous visitor.
   */
  identity?: IdentitySource;
}

/** IdentitySource gives the widget a site's identity token. */
export type IdentitySource = string | (() => string | null | Promise<string | null>);

/**
 * identitySubject reads the user id (sub) of an identity token without
 * verifying it — the server does that — to keep each signed-in user's
 * state in this browser apart. null when the token is not a readable JWT.
 */
export function identitySubject(token: string): string | null {
  return identityClaim(token, 'sub');
}

/**
 * identityClaim reads a string claim of an identity token without
 * verifying it (the server does): only to prefill or key what is local.
 */
export function identityClaim(token: string, name: string): string | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const v = claims[name];
    return typeof v === 'string' && v !== '' ? v : null;
  } catch {
    return null;
  }
}

/**
 * RatingState is where the customer's rating of a resolved conversation
 * stands. A failure with code not_sent means the request never reached the
 * server (offline, or the connection dropped before the answer).
 */
export type RatingState =
  | { status: 'idle' }
  | { status: 'sending'; conversationId: string; score: number }
  | { status: 'done'; conversationId: string; score: number }
  | { status: 'failed'; conversationId: string; code: string; message: string };

/**
 * FeedbackState is the customer's verdict on one bot answer and how far it
 * got: sent and waiting for the server, stored, or not sent (the customer
 * may click again).
 */
export interface FeedbackState {
  helpful: boolean;
  status: 'sending' | 'done' | 'failed';
}

/** ClientEvent is what the client tells its listeners. */
export type ClientEvent =
  | { type: 'state'; state: ConnState; prev: ConnState }
  | { type: 'transcript' }
  | { type: 'conversation'; conversation: Conversation }
  | { type: 'incoming'; messages: Message[] }
  | { type: 'queue'; queue: QueueInfo | null }
  | { type: 'rating'; state: RatingState; prev: RatingState }
  | { type: 'feedback'; seq: number; state: FeedbackState }
  | { type: 'features' }
  | { type: 'error'; code: string; message: string };

/** SendResult says whether a message was accepted for sending. */
export type SendResult = { ok: true; pending: Pending } | { ok: false; code: string };

type Listener = (e: ClientEvent) => void;

interface Request {
  type: string;
  clientMsgId?: string;
  /** bot_feedback: the verdict sent. */
  feedback?: { key: string; seq: number; helpful: boolean };
}

const WS_OPEN = 1;
const TOKEN_REFRESH_MARGIN_MS = 60_000;
const RETRY_SEND_MS = 2_000;

// Send errors after which the same message can never succeed.
const PERMANENT_SEND_ERRORS = new Set([
  'text_too_long',
  'frame_too_large',
  'invalid_request',
  'malformed_frame',
  'unknown_type',
  'forbidden',
  'invalid_card',
  'type_not_allowed',
  'upload_not_found',
  'file_too_large',
]);

/** wsURL turns the server's http(s) base URL into its WebSocket endpoint. */
export function wsURL(server: string): string {
  const u = new URL(server);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/ws`;
  u.search = '';
  u.hash = '';
  return u.toString();
}

/** runeCount counts Unicode code points, as the server's limit does. */
export function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** ChatClient keeps one customer conversation connected. */
export class ChatClient {
  readonly transcript: Transcript;

  private readonly opts: ClientOptions;
  private readonly env: ClientEnv;
  private readonly keys: { visitor: string; pending: string; conversation: string };
  private listeners = new Set<Listener>();

  private _state: ConnState = 'idle';
  private _conversation: Conversation | null = null;
  // The last queue push. It may name the conversation before open does (it
  // follows welcome), so it is matched against the conversation when read.
  private _queue: QueueInfo | null = null;
  private _rating: RatingState = { status: 'idle' };
  // The customer's verdicts on bot answers, by conversation and seq, kept
  // for as long as the page lives.
  private feedback = new Map<string, FeedbackState>();
  // Whether the server emails transcripts (welcome.transcript_email), and
  // the email the site's identity token names, to prefill the address.
  private _transcriptEmail = false;
  private _email: string | null = null;
  private stopped = true;
  private attempt = 0;
  private generation = 0;

  // Per-connection state, reset by dropConnection.
  private ws: SocketLike | null = null;
  private nextID = 0;
  private requests = new Map<string, Request>();
  private inflight = new Set<string>();
  private syncing = false;
  private resyncAfter = false;
  private opening = false;
  // identified is set once this client asked for a visitor token with its
  // identity (see visitorToken).
  private identified = false;

  // Messages whose send failed with not_found / illegal_transition: they wait
  // for a fresh open to learn the customer's current conversation.
  private misdirected = new Set<string>();

  private reconnectTimer: unknown = null;
  private connectTimer: unknown = null;
  private retryTimers = new Set<unknown>();

  constructor(opts: ClientOptions, env: ClientEnv) {
    this.opts = opts;
    this.env = env;
    // A signed-in user's conversation, outbox and visitor token are kept
    // apart from the anonymous visitor's and from other users' on the same
    // browser. A string identity names its user; a function's token is
    // known only once fetched, so its state is kept under the site user
    // key of the last token seen.
    let ns = `switchboard:${opts.server}`;
    if (opts.identity !== undefined) {
      const sub = typeof opts.identity === 'string' ? identitySubject(opts.identity) : null;
      ns += sub ? `:user:${sub}` : ':user';
    }
    this.keys = {
      visitor: `${ns}:visitor`,
      pending: `${ns}:pending`,
      conversation: `${ns}:conversation`,
    };
    const stored = readJSON<Pending[]>(env.storage, this.keys.pending);
    this.transcript = new Transcript(Array.isArray(stored) ? stored.filter(isPending) : []);
  }

  /** state is the current connection state. */
  get state(): ConnState {
    return this._state;
  }

  /** conversation is the open conversation, once the server named it. */
  get conversation(): Conversation | null {
    return this._conversation;
  }

  /**
   * queue is the customer's place in the queue while the open conversation
   * is queued, else null.
   */
  get queue(): QueueInfo | null {
    const q = this._queue;
    const c = this._conversation;
    return q && c && c.id === q.conversation_id && c.state === ConversationState.Queued ? q : null;
  }

  /** rating is the state of the customer's rating of the conversation. */
  get rating(): RatingState {
    return this._rating;
  }

  /** hasHistory reports whether this browser chatted before and may have replies waiting. */
  hasHistory(): boolean {
    return (
      this.transcript.pendingMessages().length > 0 || !!this.env.storage.get(this.keys.conversation)
    );
  }

  /** on subscribes to client events and returns the teardown. */
  on(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** start connects, and keeps reconnecting until stop. Idempotent. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    void this.connect();
  }

  /** stop closes the connection and cancels every timer. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.generation++;
    this.clearTimer('reconnectTimer');
    for (const t of this.retryTimers) this.env.clearTimer(t);
    this.retryTimers.clear();
    this.dropConnection(1000);
    this.setState('idle');
  }

  /**
   * reconnectNow skips the remaining backoff wait (the network came back,
   * the page became visible).
   */
  reconnectNow(): void {
    if (this.stopped || this._state !== 'offline') return;
    this.clearTimer('reconnectTimer');
    void this.connect();
  }

  /**
   * send queues text for delivery. It is shown at once as pending, kept in
   * storage, and sent now if online or after the next (re)connect. ext are
   * business fields sent with it (a left message says so there).
   */
  send(text: string, ext?: Record<string, string>): SendResult {
    if (text.trim() === '') return { ok: false, code: 'invalid_request' };
    if (runeCount(text) > MAX_TEXT_RUNES) {
      this.emit({ type: 'error', code: 'text_too_long', message: '' });
      return { ok: false, code: 'text_too_long' };
    }
    if (ext && !validExt(ext)) {
      this.emit({ type: 'error', code: 'invalid_request', message: '' });
      return { ok: false, code: 'invalid_request' };
    }
    const p: Pending = {
      client_msg_id: this.env.uuid(),
      conversation_id: this.transcript.conversationId ?? '',
      text,
      created_at: this.env.now(),
    };
    if (ext && Object.keys(ext).length) p.ext = { ...ext };
    return this.enqueue(p);
  }

  /**
   * sendAttachment queues a message carrying a finished upload (kind image,
   * file or voice), with the same guarantees as send: kept until acked and
   * resent with the same client_msg_id.
   */
  sendAttachment(kind: AttachmentKind, attachment: Attachment, caption = ''): SendResult {
    if (!attachment.id) return { ok: false, code: 'invalid_request' };
    if (runeCount(caption) > MAX_TEXT_RUNES) {
      this.emit({ type: 'error', code: 'text_too_long', message: '' });
      return { ok: false, code: 'text_too_long' };
    }
    return this.enqueue({
      client_msg_id: this.env.uuid(),
      conversation_id: this.transcript.conversationId ?? '',
      text: caption,
      kind,
      attachment: { ...attachment },
      created_at: this.env.now(),
    });
  }

  /**
   * cardAction sends the customer's action on the card message at cardSeq
   * (a card_action frame) through the same outbox as messages: an id of
   * its own, kept until acked, resent after a reconnect.
   */
  cardAction(cardSeq: number, action: string, values?: Record<string, unknown>): SendResult {
    const id = this.transcript.conversationId;
    if (!id || !Number.isInteger(cardSeq) || cardSeq <= 0 || !action) {
      return { ok: false, code: 'invalid_request' };
    }
    const a: PendingAction = { card_seq: cardSeq, action };
    if (values && Object.keys(values).length) a.values = { ...values };
    return this.enqueue({
      client_msg_id: this.env.uuid(),
      conversation_id: id,
      text: '',
      action: a,
      created_at: this.env.now(),
    });
  }

  /** feedbackOf is the customer's verdict on the bot answer at seq, if any. */
  feedbackOf(seq: number): FeedbackState | undefined {
    const id = this.transcript.conversationId;
    return id ? this.feedback.get(feedbackKey(id, seq)) : undefined;
  }

  /**
   * sendFeedback tells the server whether the bot answer at seq helped
   * (bot_feedback); a second verdict replaces the first. Unlike a message
   * it is not kept for a reconnect: one that cannot be sent now fails, and
   * the customer may click again. It reports whether it was sent.
   */
  sendFeedback(seq: number, helpful: boolean): boolean {
    const id = this.transcript.conversationId;
    if (!id || !Number.isInteger(seq) || seq <= 0) return false;
    const key = feedbackKey(id, seq);
    const data: BotFeedbackData = { conversation_id: id, seq, helpful };
    const sent = this.request('bot_feedback', data, { feedback: { key, seq, helpful } });
    this.setFeedback(key, seq, { helpful, status: sent ? 'sending' : 'failed' });
    return sent;
  }

  /**
   * token is the visitor token for the HTTP endpoints (uploads, files),
   * fetched or refreshed as needed. A 401 there calls tokenRejected.
   */
  token(): Promise<string> {
    return this.visitorToken();
  }

  /** tokenRejected makes the next token() fetch a fresh one. */
  tokenRejected(): void {
    this.invalidateToken();
  }

  /** server is the server's base URL. */
  get server(): string {
    return this.opts.server;
  }

  /** transcriptEmail reports whether the server can email the transcript. */
  get transcriptEmail(): boolean {
    return this._transcriptEmail;
  }

  /** email is the address the site's identity token names, if any. */
  get email(): string | null {
    return this._email;
  }

  private enqueue(p: Pending): SendResult {
    this.transcript.addPending(p);
    this.savePending();
    this.emit({ type: 'transcript' });
    if (this._state === 'online') this.sendPending(p);
    else if (this.stopped) this.start();
    return { ok: true, pending: p };
  }

  /**
   * rate sends the customer's score (1–5) and optional comment for the
   * resolved conversation. The answer arrives as a rating event: done, or
   * failed with the server's code (illegal_transition: the window is over
   * or it was rated already). Returns whether the request went out.
   */
  rate(score: number, comment = ''): boolean {
    const c = this._conversation;
    if (!c || c.state !== ConversationState.Resolved) return false;
    if (!Number.isInteger(score) || score < 1 || score > 5) return false;
    if (this._rating.status === 'sending') return false;
    const text = comment.trim();
    if (runeCount(text) > MAX_RATING_COMMENT_RUNES) {
      this.setRating({ status: 'failed', conversationId: c.id, code: 'text_too_long', message: '' });
      return false;
    }
    const data: RateData = { conversation_id: c.id, score, comment: text };
    if (!this.request('rate', data)) {
      this.setRating({ status: 'failed', conversationId: c.id, code: 'not_sent', message: '' });
      return false;
    }
    this.setRating({ status: 'sending', conversationId: c.id, score });
    return true;
  }

  // --- connection lifecycle -------------------------------------------------

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    this.setState('connecting');
    let token: string;
    try {
      token = await this.visitorToken();
    } catch {
      if (gen === this.generation && !this.stopped) this.scheduleReconnect();
      return;
    }
    if (gen !== this.generation || this.stopped) return;

    let ws: SocketLike;
    try {
      ws = this.env.openSocket(wsURL(this.opts.server));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.connectTimer = this.env.setTimer(() => {
      this.connectTimer = null;
      // A connection that cannot get online in time is treated as dead.
      if (this.ws === ws && this._state !== 'online') this.lostConnection();
    }, this.opts.connectTimeoutMS ?? 15_000);

    ws.onopen = () => {
      if (this.ws !== ws) return;
      const hello: HelloData = {
        protocol: PROTOCOL_VERSION,
        token,
        client: 'widget',
        locale: this.opts.locale,
      };
      this.request('hello', hello);
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.handleFrame(ev.data);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      if (ev.code === CloseCode.Unauthorized) this.invalidateToken();
      this.lostConnection();
    };
    ws.onerror = () => {
      // A close event follows; nothing to do here.
    };
  }

  /** lostConnection forgets the socket and schedules the next attempt. */
  private lostConnection(): void {
    this.dropConnection();
    if (!this.stopped) this.scheduleReconnect();
  }

  private dropConnection(code?: number): void {
    this.clearTimer('connectTimer');
    const ws = this.ws;
    this.ws = null;
    // Verdicts waiting for an answer lost it with the connection.
    for (const r of this.requests.values()) {
      const fb = r.feedback;
      if (fb && this.feedback.get(fb.key)?.status === 'sending') {
        this.setFeedback(fb.key, fb.seq, { helpful: fb.helpful, status: 'failed' });
      }
    }
    this.requests.clear();
    this.inflight.clear();
    this.syncing = false;
    this.resyncAfter = false;
    this.opening = false;
    if (this._rating.status === 'sending') {
      // The answer is lost with the connection; the customer may try again.
      const { conversationId } = this._rating;
      this.setRating({ status: 'failed', conversationId, code: 'not_sent', message: '' });
    }
    if (!ws) return;
    ws.onopen = null;
    ws.onmessage = null;
    ws.onclose = null;
    ws.onerror = null;
    try {
      ws.close(code);
    } catch {
      // Already closed.
    }
  }

  private scheduleReconnect(): void {
    this.setState('offline');
    this.clearTimer('reconnectTimer');
    const delay = backoffDelay(this.attempt++, () => this.env.random());
    this.reconnectTimer = this.env.setTimer(() => {
      this.reconnectTimer = null;
      if (!this.stopped) void this.connect();
    }, delay);
  }

  private async visitorToken(): Promise<string> {
    const stored = readJSON<VisitorResponse>(this.env.storage, this.keys.visitor);
    // With an identity, the first token of a page load is always asked for
    // with it, so that what the site vouches for now (another user, a new
    // order) replaces what a stored token was issued for.
    const fresh = this.opts.identity !== undefined && !this.identified;
    if (!fresh && stored?.token && stored.expires_at - this.env.now() > TOKEN_REFRESH_MARGIN_MS) {
      return stored.token;
    }
    let body: Record<string, string> = stored?.token ? { token: stored.token } : {};
    const identity = await this.identityToken();
    if (identity) {
      body = { identity };
      this._email = identityClaim(identity, 'email');
    }
    let res = await this.postVisitor(body);
    if (!res.ok && identity) {
      // The site's token was refused: say so, and chat as an anonymous
      // visitor rather than not at all. Nothing it vouched for counts.
      const code = await errorCode(res);
      if (code === 'identity_invalid' || code === 'identity_expired') {
        this.emit({ type: 'error', code, message: '' });
        res = await this.postVisitor({});
      }
    }
    if (!res.ok) throw new Error(`visitor token: http ${res.status}`);
    const v = (await res.json()) as VisitorResponse;
    if (!v || typeof v.token !== 'string' || !v.token) throw new Error('visitor token: bad response');
    this.env.storage.set(this.keys.visitor, JSON.stringify(v));
    this.identified = true;
    return v.token;
  }

  private postVisitor(body: Record<string, string>): Promise<Response> {
    return this.env.fetch(`${this.opts.server}/api/v1/visitor`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
    });
  }

  /** identityToken is the site's identity token, fetched afresh when the option is a function. */
  private async identityToken(): Promise<string | null> {
    const src = this.opts.identity;
    if (src === undefined) return null;
    if (typeof src === 'string') return src || null;
    try {
      return (await src()) || null;
    } catch {
      return null;
    }
  }

  /** invalidateToken makes the next connect ask for a fresh visitor token. */
  private invalidateToken(): void {
    const stored = readJSON<VisitorResponse>(this.env.storage, this.keys.visitor);
    if (stored?.token) {
      this.env.storage.set(this.keys.visitor, JSON.stringify({ ...stored, expires_at: 0 }));
    }
  }

  // --- frames ---------------------------------------------------------------

  private request(type: string, data: unknown, meta: Omit<Request, 'type'> = {}): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WS_OPEN) return false;
    const id = String(++this.nextID);
    try {
      ws.send(JSON.stringify({ type, id, data }));
    } catch {
      return false;
    }
    this.requests.set(id, { type, ...meta });
    return true;
  }

  private handleFrame(raw: unknown): void {
    let f: Frame;
    try {
      f = JSON.parse(String(raw)) as Frame;
    } catch {
      return;
    }
    if (!f || typeof f !== 'object' || typeof f.type !== 'string') return;
    let req: Request | undefined;
    if (f.id) {
      req = this.requests.get(f.id);
      this.requests.delete(f.id);
    }
    try {
      switch (f.type) {
        case 'welcome':
          this.onWelcome(f.data as WelcomeData);
          break;
        case 'conversation':
          if (req?.type === 'open') this.onOpened(f.data as Conversation);
          else if (req?.type === 'rate') this.onRated(f.data as Conversation);
          else this.onConversation(f.data as Conversation);
          break;
        case 'queue':
          this.onQueue(f.data as QueueInfo);
          break;
        case 'history':
          this.onHistory(f.data as HistoryData);
          break;
        case 'message':
          this.onMessage(f.data as Message);
          break;
        case 'ack':
          this.onAck(f.data as AckData);
          break;
        case 'bot_feedback':
          this.onFeedback(f.data as BotFeedbackData, req);
          break;
        case 'error':
          this.onError(f.error ?? { code: 'internal', message: '', retryable: true }, req);
          break;
        default:
        // Frames from a newer server are ignored.
      }
    } catch {
      // A frame we cannot make sense of must not take the widget down.
    }
  }

  private onWelcome(w: WelcomeData): void {
    const email = w.transcript_email === true;
    if (email !== this._transcriptEmail) {
      this._transcriptEmail = email;
      this.emit({ type: 'features' });
    }
    this.openConversation();
  }

  private openConversation(): void {
    if (this.opening) return;
    const data: OpenData = { ext: this.opts.ext, locale: this.opts.locale };
    this.opening = this.request('open', data);
  }

  private onOpened(c: Conversation): void {
    this.opening = false;
    if (!c || typeof c.id !== 'string') return;
    const t = this.transcript;
    if (t.conversationId !== c.id) {
      t.reset(c.id, c.epoch);
      // Unsent messages go to the conversation the server gave us. One that was
      // in fact stored in an earlier conversation is answered with conflict.
      for (const p of [...t.pendingMessages()]) {
        // An upload and a card belong to the conversation they were made
        // in: they cannot follow the customer to another one.
        if ((p.attachment || p.action) && p.conversation_id && p.conversation_id !== c.id) {
          t.removePending(p.client_msg_id);
          this.emit({ type: 'error', code: 'undelivered', message: '' });
          continue;
        }
        p.conversation_id = c.id;
      }
      this.misdirected.clear();
      if (this._rating.status !== 'idle') this.setRating({ status: 'idle' });
    } else {
      if (t.epoch && c.epoch && c.epoch !== t.epoch) t.reset(c.id, c.epoch);
      // Same conversation still refuses them: they cannot be delivered.
      for (const id of this.misdirected) {
        if (t.removePending(id)) this.emit({ type: 'error', code: 'undelivered', message: '' });
      }
      this.misdirected.clear();
      for (const p of t.pendingMessages()) if (!p.conversation_id) p.conversation_id = c.id;
    }
    this.savePending();
    this.setConversation(c);
    this.clearTimer('connectTimer');
    this.attempt = 0;
    this.setState('online');
    this.emit({ type: 'transcript' });
    this.sync();
    for (const p of t.pendingMessages()) this.sendPending(p);
  }

  private onConversation(c: Conversation): void {
    if (!c || c.id !== this.transcript.conversationId) return;
    this.setConversation(c);
  }

  private setConversation(c: Conversation): void {
    const hadQueue = this.queue !== null;
    this._conversation = c;
    if (c.state !== ConversationState.Queued && this._queue?.conversation_id === c.id) {
      // Out of the queue: a later return to it gets a fresh push.
      this._queue = null;
    }
    if (c.state === 'resolved' || c.state === 'closed') {
      this.env.storage.remove(this.keys.conversation);
    } else {
      this.env.storage.set(this.keys.conversation, c.id);
    }
    this.emit({ type: 'conversation', conversation: c });
    if (hadQueue || this.queue) this.emit({ type: 'queue', queue: this.queue });
  }

  private onQueue(q: QueueInfo): void {
    if (!q || typeof q.conversation_id !== 'string' || typeof q.position !== 'number') return;
    this._queue = {
      conversation_id: q.conversation_id,
      position: q.position,
      expected_wait_ms: typeof q.expected_wait_ms === 'number' ? q.expected_wait_ms : 0,
      agents_online: typeof q.agents_online === 'number' ? q.agents_online : 0,
      open: q.open !== false,
      business_hours: q.business_hours !== false,
    };
    this.emit({ type: 'queue', queue: this.queue });
  }

  private onRated(c: Conversation): void {
    const r = this._rating;
    if (c && typeof c.id === 'string') this.onConversation(c);
    if (r.status === 'sending') {
      const score = c && typeof c.rating === 'number' && c.rating > 0 ? c.rating : r.score;
      this.setRating({ status: 'done', conversationId: r.conversationId, score });
    }
  }

  private sync(): void {
    const id = this.transcript.conversationId;
    if (!id) return;
    if (this.syncing) {
      this.resyncAfter = true;
      return;
    }
    const data: SyncData = { conversation_id: id, after_seq: this.transcript.resumeSeq };
    this.syncing = this.request('sync', data);
  }

  private onHistory(h: HistoryData): void {
    this.syncing = false;
    const t = this.transcript;
    if (!h || h.conversation_id !== t.conversationId) return;
    if (t.epoch && h.epoch && h.epoch !== t.epoch) {
      // History was reset on the server: reload from the start.
      t.reset(t.conversationId, h.epoch);
      this.emit({ type: 'transcript' });
      this.sync();
      return;
    }
    if (!t.epoch) t.epoch = h.epoch;
    const page = Array.isArray(h.messages) ? h.messages : [];
    const added = t.addMessages(page);
    const tail = page.length ? page[page.length - 1].seq : 0;
    if (typeof tail === 'number') t.markSynced(tail);
    if (added.length) {
      this.savePending();
      this.emit({ type: 'transcript' });
    }
    if (h.has_more || (this.resyncAfter && t.resumeSeq < t.lastSeq())) {
      this.resyncAfter = false;
      this.sync();
    }
  }

  private onMessage(m: Message): void {
    const t = this.transcript;
    if (!m || m.conversation_id !== t.conversationId) return;
    const added = t.addMessages([m]);
    if (!added.length) return;
    this.savePending();
    if (m.kind === 'event' && m.event?.type === 'resolved') {
      this.env.storage.remove(this.keys.conversation);
    }
    this.emit({ type: 'transcript' });
    const incoming = added.filter((a) => a.sender?.role !== 'customer');
    if (incoming.length) this.emit({ type: 'incoming', messages: incoming });
    // A jump in seq may be a message we missed (or one not meant for the
    // customer): read from the resume point; duplicates are dropped by seq.
    if (m.seq > t.resumeSeq) this.sync();
  }

  private onAck(a: AckData): void {
    if (!a || typeof a.client_msg_id !== 'string') return;
    this.inflight.delete(a.client_msg_id);
    this.misdirected.delete(a.client_msg_id);
    if (this.transcript.applyAck(a)) {
      this.savePending();
      this.emit({ type: 'transcript' });
    }
  }

  private onFeedback(d: BotFeedbackData, req: Request | undefined): void {
    const fb = req?.feedback;
    if (!fb) return;
    const helpful = d && typeof d.helpful === 'boolean' ? d.helpful : fb.helpful;
    this.setFeedback(fb.key, fb.seq, { helpful, status: 'done' });
  }

  /**
   * setFeedback changes one verdict. The answer to a verdict the customer
   * changed since (a later click, still on its way) is dropped.
   */
  private setFeedback(key: string, seq: number, state: FeedbackState): void {
    const cur = this.feedback.get(key);
    if (state.status !== 'sending' && cur?.status === 'sending' && cur.helpful !== state.helpful) return;
    this.feedback.set(key, state);
    this.emit({ type: 'feedback', seq, state });
  }

  private onError(err: WireError, req: Request | undefined): void {
    const code = typeof err.code === 'string' ? err.code : 'internal';
    const message = typeof err.message === 'string' ? err.message : '';
    switch (req?.type) {
      case 'hello':
        if (code === 'unauthenticated' || code === 'token_expired') this.invalidateToken();
        else this.emit({ type: 'error', code, message });
        this.lostConnection();
        return;
      case 'open':
        this.opening = false;
        this.emit({ type: 'error', code, message });
        this.lostConnection();
        return;
      case 'sync':
        this.syncing = false;
        if (code === 'not_found') this.openConversation();
        return;
      case 'send':
      case 'card_action':
        this.onSendError(code, message, err.retryable === true, req.clientMsgId ?? '');
        return;
      case 'bot_feedback': {
        const fb = req.feedback;
        if (fb) this.setFeedback(fb.key, fb.seq, { helpful: fb.helpful, status: 'failed' });
        if (code === 'unauthenticated' || code === 'token_expired') {
          this.invalidateToken();
          this.lostConnection();
        }
        return;
      }
      case 'rate':
        if (this._rating.status === 'sending') {
          const { conversationId } = this._rating;
          this.setRating({ status: 'failed', conversationId, code, message });
        }
        if (code === 'unauthenticated' || code === 'token_expired') {
          this.invalidateToken();
          this.lostConnection();
        }
        return;
      default:
        this.emit({ type: 'error', code, message });
        if (code === 'unauthenticated' || code === 'token_expired') {
          this.invalidateToken();
          this.lostConnection();
        }
    }
  }

  private onSendError(code: string, message: string, retryable: boolean, id: string): void {
    this.inflight.delete(id);
    const t = this.transcript;
    if (code === 'conflict') {
      // The id is already stored (in an earlier conversation): it was delivered.
      if (t.removePending(id)) {
        this.savePending();
        this.emit({ type: 'transcript' });
      }
      return;
    }
    if (code === 'not_found' || code === 'illegal_transition') {
      // The conversation is gone or over: ask for the current one and resend there.
      this.misdirected.add(id);
      this.openConversation();
      return;
    }
    if (code === 'unauthenticated' || code === 'token_expired') {
      this.invalidateToken();
      this.lostConnection();
      return;
    }
    this.emit({ type: 'error', code, message });
    if (PERMANENT_SEND_ERRORS.has(code) || !retryable) {
      if (t.removePending(id)) {
        this.savePending();
        this.emit({ type: 'transcript' });
      }
      return;
    }
    const timer = this.env.setTimer(
      () => {
        this.retryTimers.delete(timer);
        const p = t.pendingMessages().find((q) => q.client_msg_id === id);
        if (p && this._state === 'online') this.sendPending(p);
      },
      RETRY_SEND_MS + Math.floor(this.env.random() * RETRY_SEND_MS),
    );
    this.retryTimers.add(timer);
  }

  private sendPending(p: Pending): void {
    if (this.inflight.has(p.client_msg_id) || this.misdirected.has(p.client_msg_id)) return;
    if (!p.conversation_id) {
      if (!this.transcript.conversationId) return;
      p.conversation_id = this.transcript.conversationId;
      this.savePending();
    }
    if (p.action) {
      const data: CardActionData = {
        conversation_id: p.conversation_id,
        client_msg_id: p.client_msg_id,
        card_seq: p.action.card_seq,
        action: p.action.action,
      };
      if (p.action.values) data.values = p.action.values;
      if (this.request('card_action', data, { clientMsgId: p.client_msg_id })) {
        this.inflight.add(p.client_msg_id);
      }
      return;
    }
    const data: SendData = {
      conversation_id: p.conversation_id,
      client_msg_id: p.client_msg_id,
      kind: p.kind ?? 'text',
    };
    if (p.text) data.text = p.text;
    if (p.attachment) data.attachment_id = p.attachment.id;
    if (p.ext) data.ext = p.ext;
    if (this.request('send', data, { clientMsgId: p.client_msg_id })) {
      this.inflight.add(p.client_msg_id);
    }
  }

  // --- internals ------------------------------------------------------------

  private savePending(): void {
    const list = this.transcript.pendingMessages();
    if (list.length) this.env.storage.set(this.keys.pending, JSON.stringify(list));
    else this.env.storage.remove(this.keys.pending);
  }

  private setRating(r: RatingState): void {
    const prev = this._rating;
    this._rating = r;
    this.emit({ type: 'rating', state: r, prev });
  }

  private setState(s: ConnState): void {
    if (s === this._state) return;
    const prev = this._state;
    this._state = s;
    this.emit({ type: 'state', state: s, prev });
  }

  private emit(e: ClientEvent): void {
    for (const fn of [...this.listeners]) {
      try {
        fn(e);
      } catch {
        // One broken listener must not stop the others.
      }
    }
  }

  private clearTimer(name: 'reconnectTimer' | 'connectTimer'): void {
    if (this[name] !== null) {
      this.env.clearTimer(this[name]);
      this[name] = null;
    }
  }
}

function feedbackKey(conversationId: string, seq: number): string {
  return `${conversationId}:${seq}`;
}

function isPending(p: unknown): p is Pending {
  if (!p || typeof p !== 'object') return false;
  const q = p as Record<string, unknown>;
  return (
    typeof q.client_msg_id === 'string' &&
    q.client_msg_id !== '' &&
    typeof q.text === 'string' &&
    typeof q.conversation_id === 'string' &&
    (q.ext === undefined || (typeof q.ext === 'object' && q.ext !== null && validExt(q.ext as Record<string, unknown>))) &&
    (q.kind === undefined || q.kind === 'image' || q.kind === 'file' || q.kind === 'voice') &&
    (q.kind === undefined) === (q.attachment === undefined) &&
    (q.attachment === undefined || isAttachment(q.attachment)) &&
    (q.action === undefined || isAction(q.action))
  );
}

function isAttachment(a: unknown): boolean {
  if (!a || typeof a !== 'object') return false;
  const x = a as Record<string, unknown>;
  return typeof x.id === 'string' && x.id !== '' && typeof x.name === 'string' && typeof x.size === 'number' && typeof x.mime === 'string';
}

function isAction(a: unknown): boolean {
  if (!a || typeof a !== 'object') return false;
  const x = a as Record<string, unknown>;
  return (
    typeof x.card_seq === 'number' &&
    typeof x.action === 'string' &&
    (x.values === undefined || (typeof x.values === 'object' && x.values !== null))
  );
}

const utf8 = new TextEncoder();

/** validExt checks business fields against the server's limits. */
function validExt(ext: Record<string, unknown>): boolean {
  const entries = Object.entries(ext);
  if (entries.length > MAX_EXT_KEYS) return false;
  return entries.every(
    ([k, v]) => k !== '' && typeof v === 'string' && utf8.encode(v).length <= MAX_EXT_VALUE_LEN,
  );
}

/** errorCode reads the code of an HTTP error answer ({"error": {"code": …}}). */
async function errorCode(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { code?: unknown } };
    return typeof body?.error?.code === 'string' ? body.error.code : '';
  } catch {
    return '';
  }
}
