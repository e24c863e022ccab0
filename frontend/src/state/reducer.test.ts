import { describe, expect, it } from 'vitest';
import type { ContextData } from '../api/types';
import { alice, conversation, customerNote, pending, sent } from '../test/fakeWails';
import { MAX_CONTEXT_NOTES, initialState, reduce, type Action, type State } from './reducer';
import { selectMine, selectQueue, selectSelected } from './selectors';

function run(state: State, ...actions: Action[]): State {
  return actions.reduce(reduce, state);
}

const signedIn = run(initialState, { type: 'signedIn', session: alice });

describe('reducer', () => {
  it('takes the role and teams an admin changed, for the signed-in user only', () => {
    const demoted = run(signedIn, {
      type: 'user',
      user: { ...alice.user, role: 'agent', teams: undefined },
    });
    expect(demoted.session?.user.role).toBe('agent');
    expect(demoted.session?.user.teams).toEqual([]);
    const other = run(signedIn, { type: 'user', user: { id: 'someone-else', role: 'admin', name: 'X' } });
    expect(other.session?.user).toEqual(alice.user);
  });

  it('drops a conversation update older than what it holds', () => {
    const s = run(
      signedIn,
      { type: 'conversation', conv: conversation({ state: 'active', updated_at: 20 }) },
      { type: 'conversation', conv: conversation({ state: 'queued', updated_at: 10 }) },
    );
    expect(s.conversations.c1?.state).toBe('active');
  });

  it('drops a list answer superseded by a newer request', () => {
    const s = run(
      signedIn,
      { type: 'listRequested', filter: 'queue', reqId: 1 },
      { type: 'listRequested', filter: 'queue', reqId: 2 },
      {
        type: 'listLoaded',
        filter: 'queue',
        reqId: 1,
        gen: signedIn.gen,
        conversations: [conversation()],
      },
    );
    expect(s.conversations).toEqual({});
  });

  it('drops results of an earlier session', () => {
    const s = run(
      signedIn,
      { type: 'listRequested', filter: 'queue', reqId: 1 },
      { type: 'signedOut' },
      { type: 'signedIn', session: alice },
      { type: 'listRequested', filter: 'queue', reqId: 1 },
      {
        type: 'listLoaded',
        filter: 'queue',
        reqId: 1,
        gen: signedIn.gen,
        conversations: [conversation()],
      },
    );
    expect(s.conversations).toEqual({});
  });

  it('removes a conversation on conversation:removed', () => {
    const s = run(
      signedIn,
      { type: 'conversation', conv: conversation({ id: 'a' }) },
      { type: 'conversation', conv: conversation({ id: 'b' }) },
      { type: 'conversationRemoved', id: 'a' },
    );
    expect(selectQueue(s).map((c) => c.id)).toEqual(['b']);
  });

  it('marks a refused pending message as failed', () => {
    const s = run(
      signedIn,
      { type: 'message', message: pending('c1', 'p1', 'x') },
      {
        type: 'sendFailed',
        failure: { conversation_id: 'c1', client_msg_id: 'p1', code: 'forbidden', message: 'no' },
      },
    );
    expect(s.messages.c1?.failed).toEqual({ p1: { code: 'forbidden', message: 'no' } });
  });

  it('moves an accepted conversation from the queue to mine', () => {
    let s = run(signedIn, { type: 'conversation', conv: conversation({ updated_at: 1 }) });
    expect(selectQueue(s)).toHaveLength(1);
    s = reduce(s, {
      type: 'conversation',
      conv: conversation({ state: 'active', assignee_id: 'u_alice', updated_at: 2 }),
    });
    expect(selectQueue(s)).toHaveLength(0);
    expect(selectMine(s).map((c) => c.id)).toEqual(['c1']);
  });

  it('hides a conversation another agent accepted', () => {
    const s = run(
      signedIn,
      { type: 'conversation', conv: conversation({ updated_at: 1 }) },
      {
        type: 'conversation',
        conv: conversation({ state: 'active', assignee_id: 'u_bob', updated_at: 2 }),
      },
    );
    expect(selectQueue(s)).toHaveLength(0);
    expect(selectMine(s)).toHaveLength(0);
  });

  it('forgets messages when the epoch changes', () => {
    const s = run(
      signedIn,
      { type: 'conversation', conv: conversation({ epoch: 1 }) },
      { type: 'transcriptLoaded', id: 'c1', gen: signedIn.gen, messages: [] },
      { type: 'conversation', conv: conversation({ epoch: 2 }) },
    );
    expect(s.transcripts.c1).toBeUndefined();
  });

  it('ends the session on session:ended and keeps the reason', () => {
    const s = run(signedIn, { type: 'signedOut', reason: 'token_expired' });
    expect(s.session).toBeNull();
    expect(s.endedReason).toBe('token_expired');
    expect(s.defaultServerUrl).toBe(alice.server_url);
  });

  it('lists a transfer offered to me as mine until the offer goes', () => {
    const offer = conversation({
      id: 't1',
      state: 'active',
      assignee_id: 'u_bob',
      offer_agent_id: 'u_alice',
      offer_expires_at: 99,
      transfer_from_id: 'u_bob',
      updated_at: 10,
    });
    const other = conversation({
      id: 't2',
      state: 'active',
      assignee_id: 'u_bob',
      offer_agent_id: 'u_carol',
      transfer_from_id: 'u_bob',
      updated_at: 10,
    });
    const mineActive = conversation({
      id: 'm1',
      state: 'active',
      assignee_id: 'u_alice',
      updated_at: 50,
    });
    let s = run(
      signedIn,
      { type: 'conversation', conv: offer },
      { type: 'conversation', conv: other },
      { type: 'conversation', conv: mineActive },
    );
    expect(selectMine(s).map((c) => c.id)).toEqual(['t1', 'm1']);
    s = run(s, {
      type: 'conversation',
      conv: { ...offer, offer_agent_id: undefined, transfer_from_id: undefined, updated_at: 11 },
    });
    expect(selectMine(s).map((c) => c.id)).toEqual(['m1']);
  });

  it('puts a routing offer to me first in the queue', () => {
    const s = run(
      signedIn,
      { type: 'conversation', conv: conversation({ id: 'q1', updated_at: 1 }) },
      {
        type: 'conversation',
        conv: conversation({ id: 'q2', updated_at: 9, offer_agent_id: 'u_alice' }),
      },
    );
    expect(selectQueue(s).map((c) => c.id)).toEqual(['q2', 'q1']);
  });
});

describe('customer notes', () => {
  const ctx = (id: string, customerId: string, notes = [customerNote()]): ContextData => ({
    conversation_id: id,
    customer: { id: customerId, name: '', created_at: 0, conversations: 1 },
    previous: [],
    notes,
  });
  const loaded = (id: string, customerId: string, notes?: ReturnType<typeof customerNote>[]) =>
    ({
      type: 'contextLoaded',
      id,
      gen: signedIn.gen,
      data: ctx(id, customerId, notes),
    }) as const;
  const notesOf = (s: State, id: string) => {
    const c = s.contexts[id];
    return c?.status === 'loaded' ? (c.data.notes ?? []).map((n) => n.id) : null;
  };

  it('puts a new note first in every loaded context of its customer, once', () => {
    const note = customerNote({ id: 'n2', customer_id: 'v1' });
    const added: Action = { type: 'customerNoteAdded', id: 'c1', gen: signedIn.gen, note };
    const s = run(
      signedIn,
      loaded('c1', 'v1'),
      loaded('c2', 'v1'),
      loaded('c3', 'v9'),
      { type: 'contextRequested', id: 'c4' },
      added,
      added,
    );
    expect(notesOf(s, 'c1')).toEqual(['n2', 'n1']);
    expect(notesOf(s, 'c2')).toEqual(['n2', 'n1']);
    expect(notesOf(s, 'c3')).toEqual(['n1']);
    expect(s.contexts.c4).toEqual({ status: 'loading' });
  });

  it('keeps at most as many notes as the server sends, and drops a stale answer', () => {
    const full = Array.from({ length: MAX_CONTEXT_NOTES }, (_, i) => customerNote({ id: `o${i}` }));
    const s = run(signedIn, loaded('c1', 'v1', full), {
      type: 'customerNoteAdded',
      id: 'c1',
      gen: signedIn.gen,
      note: customerNote({ id: 'new' }),
    });
    expect(notesOf(s, 'c1')).toHaveLength(MAX_CONTEXT_NOTES);
    expect(notesOf(s, 'c1')?.[0]).toBe('new');
    const stale = run(s, {
      type: 'customerNoteAdded',
      id: 'c1',
      gen: signedIn.gen - 1,
      note: customerNote({ id: 'old session' }),
    });
    expect(stale).toBe(s);
  });
});

describe('jumping to a message', () => {
  const found = conversation({ id: 'old', state: 'queued', updated_at: 5 });
  const jump = (nonce: number, gen = signedIn.gen): Action => ({
    type: 'jump',
    gen,
    conv: found,
    message: sent('old', 7, 'order'),
    nonce,
  });

  it('selects the conversation, keeps the cached copy out of the lists, and ends once done', () => {
    let s = run(signedIn, jump(1));
    expect(s.selectedId).toBe('old');
    expect(s.jump).toEqual({ id: 'old', seq: 7, clientMsgId: 'id-old-7', nonce: 1 });
    expect(selectSelected(s)).toBe(found);
    expect(selectQueue(s)).toEqual([]);
    // A done for an earlier request leaves a newer one.
    s = run(s, jump(2), { type: 'jumpDone', nonce: 1 });
    expect(s.jump?.nonce).toBe(2);
    s = run(s, { type: 'jumpDone', nonce: 2 });
    expect(s.jump).toBeNull();
  });

  it('prefers the listed conversation, drops the jump when another is chosen, and forgets a removed one', () => {
    const listed = { ...found, state: 'active', updated_at: 9 };
    let s = run(signedIn, jump(1), { type: 'conversation', conv: listed });
    expect(selectSelected(s)).toBe(listed);
    s = run(s, { type: 'select', id: 'c1' });
    expect(s.jump).toBeNull();
    s = run(s, jump(2), { type: 'conversationRemoved', id: 'old' });
    expect(selectSelected(s)).toBeNull();
  });

  it('ignores a jump of an earlier session', () => {
    expect(run(signedIn, jump(1, signedIn.gen - 1))).toBe(signedIn);
  });
});
