// The store: one useReducer fed by the Go side's events and by the results of
// the bound calls. Components read state with useAppState() and act through
// useActions().

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
} from 'react';
import type { Dispatch, ReactNode } from 'react';
import * as api from '../api';
import type {
  AgentStatus,
  Card,
  Conversation,
  FloorAgent,
  FloorConversation,
  ListFilter,
  User,
  ListTab,
  Message,
  TransferTarget,
} from '../api/types';
import * as files from '../api/files';
import { emptyMessageList } from './messages';
import { initialState, isOfferedToMe, reduce, type Action, type State, type View } from './reducer';
import { usePrefetch } from './prefetch';
import { isSupervisor } from './selectors';

/** Messages per transcript page. */
export const PAGE_SIZE = 200;

/** The local midnight of today: where "resolved today" starts. */
function startOfToday(): number {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The lists a user's workspace keeps: a supervisor's teams' too. */
function listFilters(user: User): ListFilter[] {
  return isSupervisor(user) ? ['mine', 'queue', 'teams'] : ['mine', 'queue'];
}

/** What components can do; each returns the ApiError it failed with, or null. */
export interface Actions {
  signIn(serverUrl: string, username: string, password: string): Promise<api.ApiError | null>;
  signOut(): Promise<void>;
  select(id: string | null): void;
  setTab(tab: ListTab): void;
  refreshLists(): void;
  /** Loads the newest page of a transcript. */
  loadTranscript(id: string): void;
  /**
   * Loads the page before the oldest loaded message (scrollback): limit
   * messages, PAGE_SIZE unless told.
   */
  loadOlder(id: string, limit?: number): void;
  /**
   * Opens a message's conversation (conv as the search found it, for when no
   * list holds it) and scrolls the transcript to the message.
   */
  openMessage(conv: Conversation, message: Message): void;
  /** The transcript has scrolled to the jump nonce asked for. */
  jumpDone(nonce: number): void;
  /** Moves my read cursor of a conversation to seq (never back). */
  markRead(id: string, seq: number): void;
  /** Loads the conversations I resolved today. */
  loadResolved(): void;
  send(conversationId: string, text: string): Promise<api.ApiError | null>;
  /** Sends a card (validated by the server; a refusal arrives as send:failed). */
  sendCard(conversationId: string, card: Card): Promise<api.ApiError | null>;
  /** Shows a pending message the Go side queued on its own (a finished upload). */
  addPending(message: Message): void;
  /** Sends an agent-only note; clientMsgId makes a retry store it once. */
  sendNote(conversationId: string, text: string, clientMsgId: string): Promise<api.ApiError | null>;
  accept(conversationId: string): Promise<api.ApiError | null>;
  resolve(conversationId: string): Promise<api.ApiError | null>;
  decline(conversationId: string): Promise<api.ApiError | null>;
  transfer(
    conversationId: string,
    target: TransferTarget,
    note: string,
  ): Promise<api.ApiError | null>;
  handBack(conversationId: string): Promise<api.ApiError | null>;
  /** Loads a conversation's context (handoff packet, profile, previous conversations). */
  loadContext(id: string): void;
  /** Adds and removes tags of a conversation; the list shows the server's result. */
  setTags(
    conversationId: string,
    add: readonly string[],
    remove: readonly string[],
  ): Promise<api.ApiError | null>;
  /** Writes a note about the customer of a conversation (agents only see it). */
  addCustomerNote(conversationId: string, text: string): Promise<api.ApiError | null>;
  setStatus(status: AgentStatus): Promise<api.ApiError | null>;
  /** Shows the conversations or (supervisors) the floor. */
  setView(view: View): void;
  /** Opens a conversation the floor shows, worked by agent. */
  openFloorConversation(
    conv: FloorConversation,
    agent: Pick<FloorAgent, 'id' | 'name'> | null,
  ): void;
  /** Starts or stops a silent monitor of a conversation. */
  monitor(conversationId: string, on: boolean): Promise<api.ApiError | null>;
  /** Passes my composer text to the monitors of a conversation (throttled by the Go side). */
  sendDraft(conversationId: string, text: string): void;
  /** Sends a whisper (supervisors and the agent only); clientMsgId makes a retry store it once. */
  sendWhisper(
    conversationId: string,
    text: string,
    clientMsgId: string,
  ): Promise<api.ApiError | null>;
  join(conversationId: string): Promise<api.ApiError | null>;
  leave(conversationId: string): Promise<api.ApiError | null>;
  takeOver(conversationId: string): Promise<api.ApiError | null>;
  reassign(
    conversationId: string,
    target: TransferTarget,
    note: string,
  ): Promise<api.ApiError | null>;
  /** Raises (on) or lowers my request for a supervisor's help. */
  assist(conversationId: string, on: boolean): Promise<api.ApiError | null>;
  /** Forgets the notice of a conversation taken from me. */
  dismissNotice(conversationId: string): void;
}

const StateContext = createContext<State | null>(null);
const ActionsContext = createContext<Actions | null>(null);

/** Holds the state, subscribes to the Go side's events and boots the app. */
export function StoreProvider({ children, initial }: { children: ReactNode; initial?: State }) {
  const [state, dispatch] = useReducer(reduce, initial ?? initialState);
  // Actions read the state at call time (the session generation they start
  // under) without being recreated on every change.
  const stateRef = useRef(state);
  useLayoutEffect(() => {
    stateRef.current = state;
  }, [state]);
  const reqIds = useRef(0);
  const jumps = useRef(0);
  // Set when the boot state brought every list the session needs: the
  // refresh that follows signing in is then not asked for again.
  const bootListed = useRef(false);

  useGoEvents(dispatch);

  // Asked for as soon as the provider is in the DOM, before the splash is
  // painted (a layout effect): the start waits for the Go side, not for a frame.
  useLayoutEffect(() => {
    let live = true;
    api.bootstrap().then(
      (boot) => {
        if (!live) return;
        bootListed.current =
          boot.signed_in &&
          boot.session !== null &&
          listFilters(boot.session.user).every((f) => boot.lists?.[f] !== undefined);
        dispatch({ type: 'booted', boot });
      },
      (err: unknown) => {
        const e = api.toApiError(err);
        if (live) dispatch({ type: 'bootFailed', code: e.code, message: e.message });
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const refreshLists = useCallback(() => {
    const { gen, session } = stateRef.current;
    if (!session) return;
    for (const filter of listFilters(session.user)) {
      const reqId = ++reqIds.current;
      dispatch({ type: 'listRequested', filter, reqId });
      api.listConversations(filter).then(
        (conversations) => dispatch({ type: 'listLoaded', filter, reqId, gen, conversations }),
        (err: unknown) => console.warn(`list ${filter} failed`, api.toApiError(err)),
      );
    }
  }, []);

  const loadTranscript = useCallback((id: string) => {
    void requestTranscript(dispatch, stateRef.current.gen, id, false);
  }, []);

  // The newest page of the first listed conversations is loaded ahead in
  // idle time, so opening one of them draws its transcript at once.
  const prefetchTranscript = useCallback((id: string): Promise<void> => {
    const { gen, session, transcripts } = stateRef.current;
    if (!session || transcripts[id]) return Promise.resolve();
    return requestTranscript(dispatch, gen, id, true);
  }, []);
  usePrefetch(state, { load: prefetchTranscript });

  const loadOlder = useCallback((id: string, limit: number = PAGE_SIZE) => {
    const { gen, transcripts, messages } = stateRef.current;
    const ts = transcripts[id];
    if (ts?.status !== 'loaded' || !ts.hasMore || ts.older === 'loading') return;
    const first = (messages[id] ?? emptyMessageList).items.find((m) => m.seq > 0);
    if (!first || first.seq <= 1) return;
    dispatch({ type: 'olderRequested', id });
    api.transcriptPage(id, first.seq, limit).then(
      (page) =>
        dispatch({
          type: 'olderLoaded',
          id,
          gen,
          messages: page.messages,
          hasMore: page.has_more,
        }),
      (err: unknown) => {
        const e = api.toApiError(err);
        dispatch({ type: 'olderFailed', id, gen, code: e.code });
      },
    );
  }, []);

  const markRead = useCallback((id: string, seq: number) => {
    const { conversations, readSeqs } = stateRef.current;
    const read = Math.max(conversations[id]?.agent_read_seq ?? 0, readSeqs[id] ?? 0);
    if (seq <= read) return;
    dispatch({ type: 'readLocal', id, seq });
    api.markRead(id, seq).catch((err: unknown) => {
      console.warn('mark read failed', api.toApiError(err));
      dispatch({ type: 'readFailed', id, seq });
    });
  }, []);

  const loadResolved = useCallback(() => {
    const { gen, session } = stateRef.current;
    if (!session) return;
    api.resolvedSince(startOfToday()).then(
      (conversations) => dispatch({ type: 'resolvedLoaded', gen, conversations }),
      (err: unknown) => console.warn('list resolved failed', api.toApiError(err)),
    );
  }, []);

  const loadContext = useCallback((id: string) => {
    const { gen } = stateRef.current;
    dispatch({ type: 'contextRequested', id });
    api.context(id).then(
      (data) => dispatch({ type: 'contextLoaded', id, gen, data }),
      (err: unknown) => {
        const e = api.toApiError(err);
        dispatch({ type: 'contextFailed', id, gen, code: e.code, message: e.message });
      },
    );
  }, []);

  // An offer comes with its context, so the agent can judge it before accepting.
  const me = state.session?.user.id;
  const offeredIds = Object.values(state.conversations)
    .filter((c) => isOfferedToMe(c, me) && !state.contexts[c.id])
    .map((c) => c.id)
    .join(',');
  useEffect(() => {
    if (state.conn.state !== 'online') return;
    for (const id of offeredIds.split(',')) if (id) loadContext(id);
  }, [offeredIds, state.conn.state, loadContext]);

  // Lists come from the local cache at once, and again when the link is up.
  // They are asked for before the new screen is painted (a layout effect), so
  // the Go side reads them while the web view paints.
  const online = state.conn.state === 'online';
  const signedIn = state.session !== null;
  useLayoutEffect(() => {
    if (signedIn) {
      // The lists the boot state brought are as fresh as asking again.
      if (bootListed.current) bootListed.current = false;
      else refreshLists();
      loadResolved();
    }
  }, [signedIn, state.gen, online, refreshLists, loadResolved]);

  // A supervisor follows the floor while connected: the view, the requests
  // for help and their alarm all read it. The Go side subscribes again
  // after a reconnect by itself; this asks once per connection.
  const supervising = isSupervisor(state.session?.user);
  useEffect(() => {
    if (!supervising || !online) return;
    const { gen } = stateRef.current;
    let live = true;
    api.watchFloor(true).then(
      (floor) => live && dispatch({ type: 'floor', floor, gen }),
      (err: unknown) => {
        const e = api.toApiError(err);
        if (live) dispatch({ type: 'floorFailed', code: e.code, message: e.message, gen });
      },
    );
    return () => {
      live = false;
      api.watchFloor(false).catch(() => {});
    };
  }, [supervising, online, state.gen]);

  const actions = useMemo<Actions>(() => {
    const guarded = async <T,>(
      run: () => Promise<T>,
      apply: (v: T, gen: number) => void,
    ): Promise<api.ApiError | null> => {
      const { gen } = stateRef.current;
      try {
        apply(await run(), gen);
        return null;
      } catch (err) {
        return api.toApiError(err);
      }
    };
    return {
      async signIn(serverUrl, username, password) {
        try {
          const session = await api.signIn(serverUrl, username, password);
          dispatch({ type: 'signedIn', session });
          return null;
        } catch (err) {
          return api.toApiError(err);
        }
      },
      async signOut() {
        try {
          await api.signOut();
        } catch (err) {
          console.warn('sign out failed', api.toApiError(err));
        }
        dispatch({ type: 'signedOut' });
      },
      select: (id) => {
        dispatch({ type: 'select', id });
        // The transcript is asked for with the click, not once the view has
        // mounted: opening a conversation waits for one round trip less.
        if (id && !stateRef.current.transcripts[id]) loadTranscript(id);
      },
      setTab: (tab) => dispatch({ type: 'tab', tab }),
      refreshLists,
      loadTranscript,
      loadOlder,
      openMessage: (conv, message) =>
        dispatch({
          type: 'jump',
          gen: stateRef.current.gen,
          conv,
          message,
          nonce: ++jumps.current,
        }),
      jumpDone: (nonce) => dispatch({ type: 'jumpDone', nonce }),
      markRead,
      loadResolved,
      sendNote: (id, text, clientMsgId) =>
        guarded(
          () => api.sendNote(id, clientMsgId, text),
          (message: Message, gen) => dispatch({ type: 'message', message, gen }),
        ),
      sendCard: (id, card) =>
        guarded(
          () => files.sendCard(id, card),
          (message: Message, gen) => dispatch({ type: 'message', message, gen }),
        ),
      addPending: (message) => dispatch({ type: 'message', message, gen: stateRef.current.gen }),
      send: (id, text) =>
        guarded(
          () => api.send(id, text),
          (message: Message, gen) => dispatch({ type: 'message', message, gen }),
        ),
      accept: (id) =>
        guarded(
          () => api.accept(id),
          (conv, gen) => dispatch({ type: 'conversation', conv, gen }),
        ),
      resolve: (id) =>
        guarded(
          () => api.resolve(id),
          (conv, gen) => dispatch({ type: 'conversation', conv, gen }),
        ),
      decline: (id) =>
        guarded(
          () => api.decline(id),
          (conv, gen) => dispatch({ type: 'conversation', conv, gen }),
        ),
      transfer: (id, target, note) =>
        guarded(
          () => api.transfer(id, target, note),
          (conv, gen) => dispatch({ type: 'conversation', conv, gen }),
        ),
      handBack: (id) =>
        guarded(
          () => api.handBack(id),
          (conv, gen) => dispatch({ type: 'conversation', conv, gen }),
        ),
      loadContext,
      setTags: (id, add, remove) =>
        guarded(
          () => api.setTags(id, add, remove),
          (conv, gen) => dispatch({ type: 'conversation', conv, gen }),
        ),
      addCustomerNote: (id, text) =>
        guarded(
          () => api.addCustomerNote(id, text),
          (note, gen) => dispatch({ type: 'customerNoteAdded', id, gen, note }),
        ),
      setStatus: (status) =>
        guarded(
          () => api.setStatus(status),
          (st, gen) => dispatch({ type: 'status', status: st, gen }),
        ),
      setView: (view) => dispatch({ type: 'view', view }),
      openFloorConversation: (fc, agent) => {
        dispatch({
          type: 'openFloor',
          conv: {
            id: fc.id,
            customer_id: '',
            customer_name: fc.customer_name,
            channel: '',
            state: fc.state,
            team: fc.team,
            assignee_id: agent?.id,
            assignee_name: agent?.name,
            // Epoch 0: whatever the server says of it is newer.
            epoch: 0,
            last_seq: 0,
            customer_read_seq: 0,
            agent_read_seq: 0,
            created_at: 0,
            updated_at: 0,
          },
        });
        if (!stateRef.current.transcripts[fc.id]) loadTranscript(fc.id);
      },
      monitor: (id, on) =>
        guarded(
          () => api.monitor(id, on),
          (st, gen) => dispatch({ type: 'monitorState', state: st, gen }),
        ),
      sendDraft: (id, text) => {
        api
          .sendDraft(id, text)
          .catch((err: unknown) => console.warn('draft not sent', api.toApiError(err)));
      },
      sendWhisper: (id, text, clientMsgId) =>
        guarded(
          () => api.sendWhisper(id, clientMsgId, text),
          (message: Message, gen) => dispatch({ type: 'message', message, gen }),
        ),
      join: (id) =>
        guarded(
          () => api.join(id),
          (conv, gen) => dispatch({ type: 'conversation', conv, gen }),
        ),
      leave: (id) =>
        guarded(
          () => api.leave(id),
          (conv, gen) => dispatch({ type: 'conversation', conv, gen }),
        ),
      takeOver: (id) =>
        guarded(
          () => api.takeOver(id),
          (conv, gen) => dispatch({ type: 'conversation', conv, gen }),
        ),
      reassign: (id, target, note) =>
        guarded(
          () => api.reassign(id, target, note),
          (conv, gen) => dispatch({ type: 'conversation', conv, gen }),
        ),
      assist: (id, on) =>
        guarded(
          () => api.assist(id, on),
          (conv, gen) => dispatch({ type: 'conversation', conv, gen }),
        ),
      dismissNotice: (id) => dispatch({ type: 'dismissNotice', id }),
    };
  }, [refreshLists, loadTranscript, loadOlder, markRead, loadResolved, loadContext]);

  return (
    <StateContext.Provider value={state}>
      <ActionsContext.Provider value={actions}>{children}</ActionsContext.Provider>
    </StateContext.Provider>
  );
}

/**
 * Asks for the newest page of a transcript. A page loaded ahead that failed
 * leaves the transcript unasked for, so opening it asks again.
 */
function requestTranscript(
  dispatch: Dispatch<Action>,
  gen: number,
  id: string,
  ahead: boolean,
): Promise<void> {
  dispatch({ type: 'transcriptRequested', id });
  return api.transcriptPage(id, 0, PAGE_SIZE).then(
    (page) =>
      dispatch({
        type: 'transcriptLoaded',
        id,
        gen,
        messages: page.messages,
        hasMore: page.has_more,
      }),
    (err: unknown) => {
      const e = api.toApiError(err);
      if (ahead) dispatch({ type: 'prefetchFailed', id, gen });
      else dispatch({ type: 'transcriptFailed', id, gen, code: e.code, message: e.message });
    },
  );
}

/**
 * Subscribes to every Go event for the provider's lifetime: in a layout
 * effect, so before the boot state is asked for, and nothing said in
 * between is missed.
 */
function useGoEvents(dispatch: Dispatch<Action>): void {
  useLayoutEffect(() => {
    const offs = [
      api.onConnState((conn) => dispatch({ type: 'conn', conn })),
      api.onConversation((conv) => dispatch({ type: 'conversation', conv })),
      api.onConversationRemoved((r) =>
        dispatch({ type: 'conversationRemoved', id: r.conversation_id }),
      ),
      api.onMessage((message) => dispatch({ type: 'message', message })),
      api.onAck((ack) => dispatch({ type: 'ack', ack })),
      api.onSendFailed((failure) => dispatch({ type: 'sendFailed', failure })),
      api.onSessionEnded((e) => dispatch({ type: 'signedOut', reason: e.reason || 'ended' })),
      api.onUser((user) => dispatch({ type: 'user', user })),
      api.onFloor((floor) => dispatch({ type: 'floor', floor })),
      api.onMonitor((st) => dispatch({ type: 'monitorState', state: st })),
      api.onDraft((draft) => dispatch({ type: 'draft', draft })),
      api.onAssist((push) => dispatch({ type: 'assist', push })),
      api.onStatus((push) => dispatch({ type: 'statusPush', push })),
    ];
    return () => offs.forEach((off) => off());
  }, [dispatch]);
}

/** Returns the current state. */
export function useAppState(): State {
  const s = useContext(StateContext);
  if (!s) throw new Error('useAppState outside StoreProvider');
  return s;
}

/** Returns the store's actions (stable across renders). */
export function useActions(): Actions {
  const a = useContext(ActionsContext);
  if (!a) throw new Error('useActions outside StoreProvider');
  return a;
}
