// A stand-in for the globals Wails injects (window.go, window.runtime): the
// third-party boundary the UI is tested against.

import { vi, type Mock } from 'vitest';
import type { BootState, Conversation, CustomerNote, Message, Session } from '../api/types';
import type { WailsAppBindings } from '../api/wails';

/** The fake bound methods, as vitest mocks. */
export type FakeApp = { [K in keyof WailsAppBindings]: Mock<WailsAppBindings[K]> };

/** A fake Wails environment. */
export interface FakeWails {
  app: FakeApp;
  /** Delivers an event to the UI's listeners as the Go side would. */
  emit(name: string, data: unknown): void;
  /** Number of live listeners of an event. */
  listeners(name: string): number;
}

/** The demo agent used by tests. */
export const alice: Session = {
  server_url: 'http://127.0.0.1:8080',
  user: { id: 'u_alice', role: 'agent', name: 'Alice', teams: ['presales'] },
};

/** The demo supervisor of alice's team. */
export const sam: Session = {
  server_url: 'http://127.0.0.1:8080',
  user: { id: 'u_sam', role: 'supervisor', name: 'Sam', teams: ['presales'] },
};

/** A signed-out boot state. */
export const signedOutBoot: BootState = {
  signed_in: false,
  session: null,
  default_server_url: 'http://127.0.0.1:8080',
  conn: { state: 'offline' },
};

/**
 * A signed-in boot state: session (alice by default) on its own server,
 * online. Fields of extra replace the defaults whole (conn is not merged).
 */
export function signedInBoot(session: Session = alice, extra: Partial<BootState> = {}): BootState {
  return {
    signed_in: true,
    session,
    default_server_url: session.server_url,
    conn: { state: 'online' },
    ...extra,
  };
}

/** Installs the fake on window; the test setup removes it after each test. */
export function installFakeWails(
  overrides: Partial<{ [K in keyof WailsAppBindings]: WailsAppBindings[K] }> = {},
): FakeWails {
  const app: FakeApp = {
    Bootstrap: vi.fn<WailsAppBindings['Bootstrap']>(() => Promise.resolve(signedOutBoot)),
    SignIn: vi.fn<WailsAppBindings['SignIn']>(() => Promise.resolve(alice)),
    SignOut: vi.fn<WailsAppBindings['SignOut']>(() => Promise.resolve()),
    ListConversations: vi.fn<WailsAppBindings['ListConversations']>(() => Promise.resolve([])),
    Transcript: vi.fn<WailsAppBindings['Transcript']>(() => Promise.resolve([])),
    Send: vi.fn<WailsAppBindings['Send']>((conversationID, text) =>
      Promise.resolve(pending(conversationID, `cm-${text.length}`, text)),
    ),
    Accept: vi.fn<WailsAppBindings['Accept']>(() =>
      Promise.reject('not_found: conversation not found'),
    ),
    Resolve: vi.fn<WailsAppBindings['Resolve']>(() =>
      Promise.reject('not_found: conversation not found'),
    ),
    Decline: vi.fn<WailsAppBindings['Decline']>(() =>
      Promise.reject('not_found: conversation not found'),
    ),
    Transfer: vi.fn<WailsAppBindings['Transfer']>(() =>
      Promise.reject('not_found: conversation not found'),
    ),
    HandBack: vi.fn<WailsAppBindings['HandBack']>(() =>
      Promise.reject('not_found: conversation not found'),
    ),
    Context: vi.fn<WailsAppBindings['Context']>((id) =>
      Promise.resolve({
        conversation_id: id,
        customer: { id: 'v1', name: 'Customer One', created_at: 0, conversations: 1 },
        previous: [],
      }),
    ),
    // Without an override the conversation ends up with exactly the tags
    // added, as if it had none before.
    SetTags: vi.fn<WailsAppBindings['SetTags']>((id, add, remove) =>
      Promise.resolve(conversation({ id, tags: add.filter((t) => !remove.includes(t)).sort() })),
    ),
    AddCustomerNote: vi.fn<WailsAppBindings['AddCustomerNote']>((_id, text) =>
      Promise.resolve(customerNote({ id: `n-${text.length}`, text })),
    ),
    Directory: vi.fn<WailsAppBindings['Directory']>(() =>
      Promise.resolve({ agents: [], teams: [] }),
    ),
    SetStatus: vi.fn<WailsAppBindings['SetStatus']>((status) => Promise.resolve(status)),
    // By default the newest page is what the Transcript mock answers, so
    // tests can set either.
    TranscriptPage: vi.fn<WailsAppBindings['TranscriptPage']>(async (id, beforeSeq) =>
      beforeSeq === 0
        ? { messages: (await app.Transcript(id)) ?? [], has_more: false }
        : { messages: [], has_more: false },
    ),
    SendNote: vi.fn<WailsAppBindings['SendNote']>((conversationID, clientMsgID, text) =>
      Promise.resolve({
        ...pending(conversationID, clientMsgID, text),
        seq: 99,
        visibility: 'internal',
      }),
    ),
    MarkRead: vi.fn<WailsAppBindings['MarkRead']>((_id, seq) => Promise.resolve(seq)),
    ResolvedSince: vi.fn<WailsAppBindings['ResolvedSince']>(() => Promise.resolve([])),
    SearchMessages: vi.fn<WailsAppBindings['SearchMessages']>(() => Promise.resolve([])),
    SystemLanguage: vi.fn<WailsAppBindings['SystemLanguage']>(() => Promise.resolve('')),
    About: vi.fn<WailsAppBindings['About']>(() =>
      Promise.resolve({
        version: '0.1.0',
        os: 'linux',
        arch: 'amd64',
        go_version: 'go1.26',
        server_url: alice.server_url,
        config_dir: '/home/alice/.config/Switchboard',
        update_check: true,
      }),
    ),
    UpdateNotice: vi.fn<WailsAppBindings['UpdateNotice']>(() => Promise.resolve(null)),
    WatchFloor: vi.fn<WailsAppBindings['WatchFloor']>(() =>
      Promise.resolve({ at: 0, teams: [], agents: [] }),
    ),
    Monitor: vi.fn<WailsAppBindings['Monitor']>((id, on) =>
      Promise.resolve({
        conversation_id: id,
        monitors: on ? [{ role: 'supervisor', id: 'u_sam', name: 'Sam' }] : [],
      }),
    ),
    SendDraft: vi.fn<WailsAppBindings['SendDraft']>(() => Promise.resolve()),
    SendWhisper: vi.fn<WailsAppBindings['SendWhisper']>((conversationID, clientMsgID, text) =>
      Promise.resolve({
        ...pending(conversationID, clientMsgID, text),
        seq: 98,
        visibility: 'whisper',
      }),
    ),
    Join: vi.fn<WailsAppBindings['Join']>(() =>
      Promise.reject('not_found: conversation not found'),
    ),
    Leave: vi.fn<WailsAppBindings['Leave']>(() =>
      Promise.reject('not_found: conversation not found'),
    ),
    TakeOver: vi.fn<WailsAppBindings['TakeOver']>(() =>
      Promise.reject('not_found: conversation not found'),
    ),
    Reassign: vi.fn<WailsAppBindings['Reassign']>(() =>
      Promise.reject('not_found: conversation not found'),
    ),
    Assist: vi.fn<WailsAppBindings['Assist']>(() =>
      Promise.reject('not_found: conversation not found'),
    ),
    BotReport: vi.fn<WailsAppBindings['BotReport']>(() =>
      Promise.resolve({ open: 0, groups: [], kb_version: 1 }),
    ),
    KnowledgeBase: vi.fn<WailsAppBindings['KnowledgeBase']>(() =>
      Promise.resolve({ version: 1, entries: [], history: [] }),
    ),
    EditKnowledgeBase: vi.fn<WailsAppBindings['EditKnowledgeBase']>(() =>
      Promise.reject('forbidden: not allowed for this user'),
    ),
    CannedList: vi.fn<WailsAppBindings['CannedList']>(() => Promise.resolve({ responses: [] })),
    EditCanned: vi.fn<WailsAppBindings['EditCanned']>(() =>
      Promise.reject('forbidden: not allowed for this user'),
    ),
  };
  for (const [k, fn] of Object.entries(overrides)) {
    (app[k as keyof FakeApp] as Mock).mockImplementation(fn as never);
  }
  const listeners = new Map<string, Set<(d: unknown) => void>>();
  window.go = { app: { App: app } };
  window.runtime = {
    EventsOn(name, cb) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const wrapped = (d: unknown) => cb(d);
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    EventsOff(name) {
      listeners.delete(name);
    },
    BrowserOpenURL: vi.fn(),
  };
  return {
    app,
    emit(name, data) {
      for (const cb of [...(listeners.get(name) ?? [])]) cb(data);
    },
    listeners: (name) => listeners.get(name)?.size ?? 0,
  };
}

/** A conversation with defaults. */
export function conversation(over: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c1',
    customer_id: 'v1',
    customer_name: 'Customer One',
    channel: 'web',
    state: 'queued',
    team: 'presales',
    epoch: 1,
    last_seq: 0,
    customer_read_seq: 0,
    agent_read_seq: 0,
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    ...over,
  };
}

/** A note about customer v1 by Alice, with defaults. */
export function customerNote(over: Partial<CustomerNote> = {}): CustomerNote {
  return {
    id: 'n1',
    customer_id: 'v1',
    author_id: 'u_alice',
    author_name: 'Alice',
    text: 'Prefers email.',
    created_at: 1_700_000_200_000,
    ...over,
  };
}

/** A sent text message. */
export function sent(
  conversationId: string,
  seq: number,
  text: string,
  role = 'customer',
): Message {
  return {
    conversation_id: conversationId,
    seq,
    client_msg_id: `id-${conversationId}-${seq}`,
    sender: {
      role,
      id: role === 'agent' ? 'u_alice' : 'v1',
      name: role === 'agent' ? 'Alice' : 'Customer One',
    },
    kind: 'text',
    visibility: 'public',
    text,
    created_at: 1_700_000_000_000 + seq * 1000,
  };
}

/** A pending text message of the signed-in agent. */
export function pending(conversationId: string, clientMsgId: string, text: string): Message {
  return {
    conversation_id: conversationId,
    seq: 0,
    client_msg_id: clientMsgId,
    sender: { role: 'agent', id: 'u_alice', name: 'Alice' },
    kind: 'text',
    visibility: 'public',
    text,
    created_at: 1_700_000_100_000,
  };
}
