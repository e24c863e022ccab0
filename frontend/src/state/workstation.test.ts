import { describe, expect, it } from 'vitest';
import { alice, conversation, pending, sent } from '../test/fakeWails';
import { initialState, reduce, type Action, type State } from './reducer';
import {
  customerWaitingSince,
  selectMine,
  selectResolved,
  selectWaiting,
  totalUnread,
  unreadCount,
} from './selectors';

function run(state: State, ...actions: Action[]): State {
  return actions.reduce(reduce, state);
}

const signedIn = run(initialState, { type: 'signedIn', session: alice });
const gen = signedIn.gen;
const mine = conversation({
  id: 'c1',
  state: 'active',
  assignee_id: 'u_alice',
  last_seq: 10,
  agent_read_seq: 6,
});

describe('transcript pages', () => {
  it('prepends older pages in seq order and keeps whether more remain', () => {
    let s = run(
      signedIn,
      { type: 'transcriptRequested', id: 'c1' },
      {
        type: 'transcriptLoaded',
        id: 'c1',
        gen,
        messages: [sent('c1', 201, 'a'), sent('c1', 202, 'b'), pending('c1', 'p1', 'c')],
        hasMore: true,
      },
    );
    expect(s.transcripts.c1).toEqual({ status: 'loaded', hasMore: true, older: 'idle' });
    s = run(s, { type: 'olderRequested', id: 'c1' });
    expect(s.transcripts.c1).toMatchObject({ older: 'loading' });
    s = run(s, {
      type: 'olderLoaded',
      id: 'c1',
      gen,
      messages: [sent('c1', 199, 'y'), sent('c1', 200, 'z')],
      hasMore: false,
    });
    expect(s.messages.c1!.items.map((m) => m.seq)).toEqual([199, 200, 201, 202, 0]);
    expect(s.transcripts.c1).toEqual({ status: 'loaded', hasMore: false, older: 'idle' });
  });

  it('records a failed older page and drops pages of an earlier session', () => {
    let s = run(signedIn, {
      type: 'transcriptLoaded',
      id: 'c1',
      gen,
      messages: [sent('c1', 5, 'a')],
      hasMore: true,
    });
    s = run(s, { type: 'olderFailed', id: 'c1', gen, code: 'unavailable' });
    expect(s.transcripts.c1).toMatchObject({ older: { failed: 'unavailable' } });
    const stale = run(s, {
      type: 'olderLoaded',
      id: 'c1',
      gen: gen - 1,
      messages: [sent('c1', 4, 'old')],
      hasMore: false,
    });
    expect(stale).toBe(s);
  });
});

describe('unread counts and read cursors', () => {
  it('counts after the read cursor, from the loaded transcript when it reaches back', () => {
    let s = run(signedIn, { type: 'conversation', conv: mine });
    expect(unreadCount(s, s.conversations.c1!)).toBe(4); // nothing loaded: 10 - 6
    s = run(s, {
      type: 'transcriptLoaded',
      id: 'c1',
      gen,
      messages: [
        sent('c1', 6, 'read'),
        sent('c1', 7, 'mine', 'agent'),
        { ...sent('c1', 8, ''), kind: 'event', sender: { role: 'system' } },
        sent('c1', 9, 'new'),
        sent('c1', 10, 'newer'),
      ],
    });
    expect(unreadCount(s, s.conversations.c1!)).toBe(2); // not my reply, not the event
    expect(totalUnread(s)).toBe(2);
  });

  it('counts messages pushed after the list was loaded', () => {
    let s = run(signedIn, { type: 'conversation', conv: mine });
    s = run(s, { type: 'message', message: sent('c1', 12, 'two more') });
    expect(unreadCount(s, s.conversations.c1!)).toBe(6); // 12 - 6: 7 to 11 are not loaded
  });

  it('reads at once locally, and forgets a mark the server refused', () => {
    let s = run(signedIn, { type: 'conversation', conv: mine });
    s = run(s, { type: 'readLocal', id: 'c1', seq: 10 });
    expect(unreadCount(s, s.conversations.c1!)).toBe(0);
    // A later push still carrying the old cursor does not bring the badge back.
    s = run(s, { type: 'conversation', conv: { ...mine, updated_at: mine.updated_at + 1 } });
    expect(unreadCount(s, s.conversations.c1!)).toBe(0);
    s = run(s, { type: 'readFailed', id: 'c1', seq: 10 });
    expect(unreadCount(s, s.conversations.c1!)).toBe(4);
  });

  it('has no unread messages in conversations that are not mine', () => {
    const s = run(signedIn, {
      type: 'conversation',
      conv: conversation({ id: 'q1', last_seq: 5 }),
    });
    expect(unreadCount(s, s.conversations.q1!)).toBe(0);
  });
});

describe('tabs', () => {
  it('splits my conversations into mine, waiting and resolved today', () => {
    const day = new Date();
    day.setHours(0, 0, 0, 0);
    const start = day.getTime();
    const s = run(
      signedIn,
      { type: 'conversation', conv: mine },
      {
        type: 'conversation',
        conv: conversation({
          id: 'w1',
          state: 'waiting_customer',
          assignee_id: 'u_alice',
          updated_at: start + 10,
        }),
      },
      {
        type: 'resolvedLoaded',
        gen,
        conversations: [
          conversation({
            id: 'r1',
            state: 'resolved',
            assignee_id: 'u_alice',
            updated_at: start + 1,
          }),
          conversation({
            id: 'r0',
            state: 'closed',
            assignee_id: 'u_alice',
            updated_at: start - 1,
          }),
          conversation({
            id: 'rb',
            state: 'resolved',
            assignee_id: 'u_bob',
            updated_at: start + 1,
          }),
        ],
      },
    );
    expect(selectMine(s).map((c) => c.id)).toEqual(['w1', 'c1']);
    expect(selectWaiting(s).map((c) => c.id)).toEqual(['w1']);
    expect(selectResolved(s, start).map((c) => c.id)).toEqual(['r1']);
  });

  it('says since when the customer waits for my answer', () => {
    let s = run(signedIn, { type: 'conversation', conv: mine });
    s = run(s, {
      type: 'transcriptLoaded',
      id: 'c1',
      gen,
      messages: [sent('c1', 9, 'answer', 'agent'), sent('c1', 10, 'thanks, but…')],
    });
    expect(customerWaitingSince(s, s.conversations.c1!)).toBe(sent('c1', 10, '').created_at);
    s = run(s, { type: 'message', message: sent('c1', 11, 'on it', 'agent') });
    expect(customerWaitingSince(s, s.conversations.c1!)).toBeNull();
  });
});
