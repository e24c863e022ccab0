// Package-level entry of the Go bindings: the only module that touches the
// Wails globals. Calls reject with ApiError; subscriptions return their
// teardown.

import { ApiError, toApiError } from './errors';
import { EVENTS, type EventName } from './events';
import type {
  AckData,
  AgentStatus,
  BootState,
  ConnState,
  ContextData,
  Conversation,
  ConversationRemoved,
  CustomerNote,
  AssistPush,
  BotReport,
  CannedChange,
  CannedEditData,
  DirectoryData,
  DraftPush,
  FloorData,
  KBData,
  KBEditData,
  ListFilter,
  Message,
  MessagePage,
  MonitorState,
  SearchHit,
  SendFailure,
  Session,
  SessionEnded,
  SharedCanned,
  StatusPush,
  TransferTarget,
  User,
} from './types';
import type { WailsAppBindings } from './wails';
import { isRecord } from './runtime';

export { ApiError, toApiError } from './errors';
export { ERROR_CODES, isErrorCode, type ErrorCode } from './codes';
export { EVENTS } from './events';
export type * from './types';

type Method = keyof WailsAppBindings;

async function call<M extends Method>(
  method: M,
  ...args: Parameters<WailsAppBindings[M]>
): Promise<Awaited<ReturnType<WailsAppBindings[M]>>> {
  const fn = window.go?.app?.App?.[method] as
    ((...a: Parameters<WailsAppBindings[M]>) => ReturnType<WailsAppBindings[M]>) | undefined;
  if (typeof fn !== 'function') {
    throw new ApiError('unavailable', `desktop binding ${method} is not available`);
  }
  try {
    return await fn(...args);
  } catch (err) {
    throw toApiError(err);
  }
}

/** Reads the start-up state: session (if signed in), default server URL, connection. */
export async function bootstrap(): Promise<BootState> {
  const early = earlyBoot;
  earlyBoot = null;
  const b = await (early ?? call('Bootstrap'));
  return {
    signed_in: Boolean(b?.signed_in),
    session: b?.session ?? null,
    default_server_url: b?.default_server_url ?? '',
    server_url_locked: Boolean(b?.server_url_locked),
    default_username: b?.default_username ?? '',
    conn: b?.conn ?? { state: 'offline' },
    lists: b?.lists ?? undefined,
  };
}

let earlyBoot: Promise<Awaited<ReturnType<WailsAppBindings['Bootstrap']>>> | null = null;

/**
 * Asks for the boot state before React renders anything (main.tsx), so the
 * Go side answers while the first render runs; the next bootstrap() takes
 * that answer. A failure is bootstrap()'s to report.
 */
export function prefetchBootstrap(): void {
  if (earlyBoot) return;
  earlyBoot = call('Bootstrap');
  earlyBoot.catch(() => {});
}

/**
 * Reads the OS language tag from the Go side; null in a plain browser, when
 * the OS does not say, or when the call fails.
 */
export async function systemLanguage(): Promise<string | null> {
  const fn = window.go?.app?.App?.SystemLanguage;
  if (typeof fn !== 'function') return null;
  try {
    return (await fn()) || null;
  } catch {
    return null;
  }
}

/** Signs in to serverURL; the Go side then connects and emits `conn:state`. */
export function signIn(serverURL: string, username: string, password: string): Promise<Session> {
  return call('SignIn', serverURL, username, password);
}

/** Signs out and disconnects. */
export async function signOut(): Promise<void> {
  await call('SignOut');
}

/** Lists conversations by filter, from the local cache (the Go side refreshes it). */
export async function listConversations(filter: ListFilter): Promise<Conversation[]> {
  return (await call('ListConversations', filter)) ?? [];
}

/** Reads a conversation's cached transcript; what is new arrives as `message` events. */
export async function transcript(conversationID: string): Promise<Message[]> {
  return (await call('Transcript', conversationID)) ?? [];
}

/**
 * Reads a page of a transcript: with beforeSeq 0 the newest messages (and the
 * agent's pending ones), else those before beforeSeq, from the local cache or
 * the server.
 */
export async function transcriptPage(
  conversationID: string,
  beforeSeq: number,
  limit: number,
): Promise<MessagePage> {
  const p = await call('TranscriptPage', conversationID, beforeSeq, limit);
  return { messages: p?.messages ?? [], has_more: Boolean(p?.has_more) };
}

/**
 * Writes an agent-only note; resolves to it as stored. clientMsgId is its
 * idempotency key: retrying with the same one stores it once.
 */
export function sendNote(
  conversationID: string,
  clientMsgId: string,
  text: string,
): Promise<Message> {
  return call('SendNote', conversationID, clientMsgId, text);
}

/** Moves the agent's read cursor of a conversation; resolves to the cursor as stored. */
export function markRead(conversationID: string, seq: number): Promise<number> {
  return call('MarkRead', conversationID, seq);
}

/** Lists the agent's conversations resolved since sinceMs (unix ms), from the local cache. */
export async function resolvedSince(sinceMs: number): Promise<Conversation[]> {
  return (await call('ResolvedSince', sinceMs)) ?? [];
}

/** Sends text; resolves to the pending message (seq 0) whose ack arrives as an `ack` event. */
export function send(conversationID: string, text: string): Promise<Message> {
  return call('Send', conversationID, text);
}

/** Takes a queued conversation. */
export function accept(conversationID: string): Promise<Conversation> {
  return call('Accept', conversationID);
}

/** Resolves an active conversation. */
export function resolve(conversationID: string): Promise<Conversation> {
  return call('Resolve', conversationID);
}

/** Declines a conversation offered to the agent. */
export function decline(conversationID: string): Promise<Conversation> {
  return call('Decline', conversationID);
}

/** Transfers a conversation to an agent (who must accept) or a team's queue. */
export function transfer(
  conversationID: string,
  target: TransferTarget,
  note: string,
): Promise<Conversation> {
  const agent = 'agentId' in target ? target.agentId : '';
  const team = 'team' in target ? target.team : '';
  return call('Transfer', conversationID, agent, team, note);
}

/** Gives an active conversation back to the bot. */
export function handBack(conversationID: string): Promise<Conversation> {
  return call('HandBack', conversationID);
}

/** Reads a conversation's handoff packet, customer profile and previous conversations. */
export async function context(conversationID: string): Promise<ContextData> {
  const d = await call('Context', conversationID);
  return {
    conversation_id: d?.conversation_id ?? conversationID,
    packet: d?.packet,
    customer: d?.customer ?? { id: '', name: '', created_at: 0, conversations: 0 },
    ext: d?.ext,
    verified: d?.verified,
    previous: d?.previous ?? [],
    tags: d?.tags ?? [],
    notes: d?.notes ?? [],
  };
}

/**
 * Adds and removes tags of a conversation; resolves to the conversation as
 * the server keeps it (its tags trimmed, deduplicated and sorted).
 */
export function setTags(
  conversationID: string,
  add: readonly string[],
  remove: readonly string[],
): Promise<Conversation> {
  return call('SetTags', conversationID, [...add], [...remove]);
}

/**
 * Writes a note about the customer of a conversation, kept across their
 * conversations and never shown to them; resolves to the note as stored.
 */
export function addCustomerNote(conversationID: string, text: string): Promise<CustomerNote> {
  return call('AddCustomerNote', conversationID, text);
}

/**
 * Searches the messages cached on this machine, newest first: every word of
 * query must occur (a Latin word as the start of a word, Chinese as a
 * substring) in a message's text, file name, card text or business fields.
 * Hits whose message or conversation is malformed are left out.
 */
export async function searchMessages(query: string, limit: number): Promise<SearchHit[]> {
  const hits = (await call('SearchMessages', query, limit)) ?? [];
  return hits.filter((h) => isMessage(h?.message) && isConversation(h?.conversation));
}

/** Lists the agents and teams a conversation can be transferred to. */
export async function directory(): Promise<DirectoryData> {
  const d = await call('Directory');
  return { agents: d?.agents ?? [], teams: d?.teams ?? [] };
}

/** Sets the agent's routing status; resolves to the status in force. */
export function setStatus(status: AgentStatus): Promise<string> {
  return call('SetStatus', status);
}

/**
 * Starts (on) or stops following the floor of the supervisor's teams;
 * resolves to the floor now, and what changes arrives as `floor` events.
 */
export async function watchFloor(on: boolean): Promise<FloorData> {
  return normalFloor(await call('WatchFloor', on));
}

/** Fills the lists a floor may lack, so the UI never meets null. */
export function normalFloor(d: Partial<FloorData> | null | undefined): FloorData {
  return {
    at: d?.at ?? 0,
    teams: (d?.teams ?? []).map((t) => ({ ...t, history: t.history ?? [] })),
    agents: (d?.agents ?? []).map((a) => ({
      ...a,
      teams: a.teams ?? [],
      conversations: a.conversations ?? [],
    })),
  };
}

/**
 * Reads the report of the questions the bot missed, at most limit groups
 * (0: the server's default), largest first. Supervisors and admins.
 */
export async function botReport(limit = 0): Promise<BotReport> {
  return normalReport(await call('BotReport', limit));
}

/** Fills the lists and maps a report may lack, so the UI never meets null. */
export function normalReport(r: Partial<BotReport> | null | undefined): BotReport {
  return {
    open: r?.open ?? 0,
    kb_version: r?.kb_version ?? 0,
    groups: (r?.groups ?? []).map((g) => ({
      ...g,
      questions: g.questions ?? [],
      reasons: g.reasons ?? {},
      suggestions: g.suggestions ?? [],
    })),
  };
}

/**
 * Reads the knowledge base with its version, and its versions, newest
 * first, when history is set. Supervisors and admins.
 */
export async function knowledgeBase(history: boolean): Promise<KBData> {
  return normalKB(await call('KnowledgeBase', history));
}

/**
 * Makes one change to the knowledge base or the report; resolves to the
 * knowledge base with its new version. An edit from a version that is no
 * longer current rejects with the code conflict.
 */
export async function editKnowledgeBase(edit: KBEditData): Promise<KBData> {
  return normalKB(await call('EditKnowledgeBase', edit));
}

/**
 * Reads the shared canned responses the user may use: the global ones and
 * those of their teams (an admin's: all), global first, then by team and
 * shortcut.
 */
export async function cannedList(): Promise<SharedCanned[]> {
  const l = await call('CannedList');
  return (l?.responses ?? []).map(normalCanned);
}

/**
 * Creates, updates or deletes one shared canned response (supervisors their
 * teams', admins every scope); resolves to the response as stored. A
 * refusal rejects with the server's code: duplicate_shortcut,
 * unknown_variable, text_too_long, invalid_request, forbidden, not_found.
 */
export async function editCanned(edit: CannedEditData): Promise<SharedCanned> {
  return normalCanned(await call('EditCanned', edit));
}

/** Fills the fields a canned response may lack, so the UI never meets null. */
function normalCanned(r: Partial<SharedCanned> | null | undefined): SharedCanned {
  return {
    id: r?.id ?? '',
    team: r?.team ?? '',
    title: r?.title ?? '',
    shortcut: r?.shortcut ?? '',
    text: { zh: r?.text?.zh ?? '', en: r?.text?.en ?? '' },
    updated_by: r?.updated_by ?? '',
    updated_at: r?.updated_at ?? 0,
  };
}

/** Fills the lists a knowledge base may lack, so the UI never meets null. */
export function normalKB(d: Partial<KBData> | null | undefined): KBData {
  return {
    version: d?.version ?? 0,
    entries: (d?.entries ?? []).map((e) => ({
      ...e,
      questions: { zh: e.questions?.zh ?? [], en: e.questions?.en ?? [] },
    })),
    history: d?.history ?? [],
  };
}

/** Starts or stops a silent monitor of a conversation; resolves to who monitors it now. */
export async function monitor(conversationID: string, on: boolean): Promise<MonitorState> {
  const st = await call('Monitor', conversationID, on);
  return { conversation_id: st?.conversation_id || conversationID, monitors: st?.monitors ?? [] };
}

/**
 * Passes the agent's composer text to the conversation's monitors. The Go
 * side sends nothing while nobody monitors and throttles the rest (one
 * draft per 300 ms, the newest last), so this may be called on every change.
 */
export async function sendDraft(conversationID: string, text: string): Promise<void> {
  await call('SendDraft', conversationID, text);
}

/**
 * Writes a whisper (between supervisors and the agent, never shown to the
 * customer); resolves to it as stored. clientMsgId makes a retry store it once.
 */
export function sendWhisper(
  conversationID: string,
  clientMsgId: string,
  text: string,
): Promise<Message> {
  return call('SendWhisper', conversationID, clientMsgId, text);
}

/** Barges in: the supervisor joins the conversation visibly. */
export function join(conversationID: string): Promise<Conversation> {
  return call('Join', conversationID);
}

/** Ends the supervisor's barge-in. */
export function leave(conversationID: string): Promise<Conversation> {
  return call('Leave', conversationID);
}

/** Makes the supervisor the conversation's assignee. */
export function takeOver(conversationID: string): Promise<Conversation> {
  return call('TakeOver', conversationID);
}

/** Gives a conversation to an agent at once, or to a team's queue. */
export function reassign(
  conversationID: string,
  target: TransferTarget,
  note: string,
): Promise<Conversation> {
  const agent = 'agentId' in target ? target.agentId : '';
  const team = 'team' in target ? target.team : '';
  return call('Reassign', conversationID, agent, team, note);
}

/** Raises (on) or lowers the agent's request for a supervisor's help. */
export function assist(conversationID: string, on: boolean): Promise<Conversation> {
  return call('Assist', conversationID, on);
}

/** Opens an http(s) URL in the system browser (falls back to a new window). */
export function openExternal(url: string): void {
  const rt = window.runtime;
  if (rt?.BrowserOpenURL) {
    rt.BrowserOpenURL(url);
    return;
  }
  window.open(url, '_blank', 'noopener,noreferrer');
}

/** Reports whether the Wails runtime is present (false in a plain browser). */
export function hasRuntime(): boolean {
  return typeof window.runtime?.EventsOn === 'function';
}

/** A teardown function returned by every subscription. */
export type Unsubscribe = () => void;

function on<T>(name: EventName, accept: (v: unknown) => v is T, cb: (v: T) => void): Unsubscribe {
  const rt = window.runtime;
  if (!rt) return () => {};
  const handler = (data: unknown): void => {
    if (accept(data)) cb(data);
    else console.warn(`ignoring malformed ${name} event`, data);
  };
  const off = rt.EventsOn(name, handler);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    off();
  };
}

function isConnState(v: unknown): v is ConnState {
  return isRecord(v) && (v.state === 'connecting' || v.state === 'online' || v.state === 'offline');
}

function isConversation(v: unknown): v is Conversation {
  return isRecord(v) && typeof v.id === 'string' && typeof v.state === 'string';
}

function isMessage(v: unknown): v is Message {
  return (
    isRecord(v) &&
    typeof v.conversation_id === 'string' &&
    typeof v.seq === 'number' &&
    isRecord(v.sender)
  );
}

function isAck(v: unknown): v is AckData {
  return (
    isRecord(v) &&
    typeof v.conversation_id === 'string' &&
    typeof v.client_msg_id === 'string' &&
    typeof v.seq === 'number'
  );
}

function isConversationRemoved(v: unknown): v is ConversationRemoved {
  return isRecord(v) && typeof v.conversation_id === 'string';
}

function isSendFailure(v: unknown): v is SendFailure {
  return (
    isRecord(v) &&
    typeof v.conversation_id === 'string' &&
    typeof v.client_msg_id === 'string' &&
    typeof v.code === 'string'
  );
}

function isSessionEnded(v: unknown): v is SessionEnded {
  return isRecord(v);
}

/** Subscribes to `conn:state`. */
export function onConnState(cb: (s: ConnState) => void): Unsubscribe {
  return on(EVENTS.connState, isConnState, cb);
}

/** Subscribes to `conversation`: a conversation changed. */
export function onConversation(cb: (c: Conversation) => void): Unsubscribe {
  return on(EVENTS.conversation, isConversation, cb);
}

/** Subscribes to `conversation:removed`: a conversation left this agent's lists. */
export function onConversationRemoved(cb: (r: ConversationRemoved) => void): Unsubscribe {
  return on(EVENTS.conversationRemoved, isConversationRemoved, cb);
}

/** Subscribes to `send:failed`: a pending message was refused and dropped from the outbox. */
export function onSendFailed(cb: (f: SendFailure) => void): Unsubscribe {
  return on(EVENTS.sendFailed, isSendFailure, (f) =>
    cb({ ...f, message: typeof f.message === 'string' ? f.message : '' }),
  );
}

/** Subscribes to `message`: a stored message, in seq order per conversation. */
export function onMessage(cb: (m: Message) => void): Unsubscribe {
  return on(EVENTS.message, isMessage, cb);
}

/** Subscribes to `ack`: a pending message became durable. */
export function onAck(cb: (a: AckData) => void): Unsubscribe {
  return on(EVENTS.ack, isAck, cb);
}

/** Subscribes to `user`: an admin changed the signed-in user's role, teams or name. */
export function onUser(cb: (u: User) => void): Unsubscribe {
  return on(EVENTS.user, isUser, cb);
}

function isUser(v: unknown): v is User {
  return isRecord(v) && typeof v.id === 'string' && typeof v.role === 'string';
}

/** Subscribes to `session:ended`: the token was rejected; sign in again. */
export function onSessionEnded(cb: (e: SessionEnded) => void): Unsubscribe {
  return on(EVENTS.sessionEnded, isSessionEnded, (e) =>
    cb({ reason: typeof e.reason === 'string' ? e.reason : '' }),
  );
}

function isFloor(v: unknown): v is FloorData {
  return isRecord(v) && typeof v.at === 'number';
}

function isMonitorState(v: unknown): v is MonitorState {
  return isRecord(v) && typeof v.conversation_id === 'string';
}

function isDraftPush(v: unknown): v is DraftPush {
  return (
    isRecord(v) &&
    typeof v.conversation_id === 'string' &&
    typeof v.text === 'string' &&
    isRecord(v.sender)
  );
}

function isAssistPush(v: unknown): v is AssistPush {
  return (
    isRecord(v) &&
    typeof v.conversation_id === 'string' &&
    typeof v.active === 'boolean' &&
    isRecord(v.agent)
  );
}

function isStatusPush(v: unknown): v is StatusPush {
  return isRecord(v) && typeof v.status === 'string';
}

function isCannedChange(v: unknown): v is CannedChange {
  return isRecord(v) && isRecord(v.response) && typeof v.response.id === 'string';
}

/** Subscribes to `canned:changed`: a shared canned response was saved or deleted. */
export function onCannedChanged(cb: (c: CannedChange) => void): Unsubscribe {
  return on(EVENTS.cannedChanged, isCannedChange, (c) =>
    cb({ response: normalCanned(c.response), deleted: c.deleted === true }),
  );
}

/** Subscribes to `floor`: the supervisor's floor changed (complete each time). */
export function onFloor(cb: (d: FloorData) => void): Unsubscribe {
  return on(EVENTS.floor, isFloor, (d) => cb(normalFloor(d)));
}

/** Subscribes to `monitor`: who monitors a conversation changed. */
export function onMonitor(cb: (s: MonitorState) => void): Unsubscribe {
  return on(EVENTS.monitor, isMonitorState, (s) => cb({ ...s, monitors: s.monitors ?? [] }));
}

/** Subscribes to `draft`: the agent of a monitored conversation is typing. */
export function onDraft(cb: (d: DraftPush) => void): Unsubscribe {
  return on(EVENTS.draft, isDraftPush, cb);
}

/** Subscribes to `assist`: an agent asks for help, or the request ended. */
export function onAssist(cb: (a: AssistPush) => void): Unsubscribe {
  return on(EVENTS.assist, isAssistPush, cb);
}

/** Subscribes to `status`: the server set the agent's status on its own. */
export function onStatus(cb: (s: StatusPush) => void): Unsubscribe {
  return on(EVENTS.status, isStatusPush, cb);
}
