import { describe, expect, it } from 'vitest';
import { alice, conversation, pending, sent } from '../test/fakeWails';
import { initialState, reduce, type Action, type State } from './reducer';
import { selectMine, selectQueue, selectSelected } from './selectors';

function run(state: State, ...actions: Action[]): State {
  return actions.reduce(reduce, state);
}

const signedIn = run(initialState, { type: 'signedIn', session: alice });

describe('reducer', () => {
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
