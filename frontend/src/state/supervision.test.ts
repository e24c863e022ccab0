import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../api/types';
import { conversation } from '../test/fakeWails';
import {
  applyAssist,
  applyDraft,
  applyFloor,
  applyMonitorState,
  initialSupervision,
  isMonitoring,
  monitorsOf,
  noticeConversation,
  noticeEvent,
} from './supervision';

const mine: Conversation = conversation({
  id: 'c1',
  state: 'active',
  assignee_id: 'u_alice',
  assignee_name: 'Alice',
});
const sam = { role: 'supervisor', id: 'u_sam', name: 'Sam' };

function event(type: string, actor: string, reason?: string): Message {
  return {
    conversation_id: 'c1',
    seq: 9,
    client_msg_id: '',
    sender: { role: 'system' },
    kind: 'event',
    visibility: 'public',
    event: { type, actor, reason },
    created_at: 1,
  };
}

describe('supervision state', () => {
  it('keeps monitors and drops the draft line when the last monitor goes', () => {
    let s = applyMonitorState(initialSupervision, { conversation_id: 'c1', monitors: [sam] });
    s = applyDraft(s, { conversation_id: 'c1', sender: sam, text: 'hi', at: 2 });
    expect(isMonitoring(s, 'c1', 'u_sam')).toBe(true);
    expect(monitorsOf(s, 'c1', 'u_alice')).toEqual([sam]);
    expect(monitorsOf(s, 'c1', 'u_sam')).toEqual([]);
    // A late draft does not overwrite a newer one; an empty one clears.
    expect(applyDraft(s, { conversation_id: 'c1', sender: sam, text: 'h', at: 1 })).toBe(s);
    expect(applyDraft(s, { conversation_id: 'c1', sender: sam, text: '', at: 3 }).drafts).toEqual(
      {},
    );
    s = applyMonitorState(s, { conversation_id: 'c1', monitors: [] });
    expect(s.drafts).toEqual({});
    expect(isMonitoring(s, 'c1', 'u_sam')).toBe(false);
  });

  it('keeps open requests for help until they end or the floor no longer flags them', () => {
    const a = {
      conversation_id: 'c1',
      agent: { role: 'agent', id: 'u_alice' },
      active: true,
      at: 5,
    };
    let s = applyAssist(initialSupervision, a);
    expect(Object.keys(s.assists)).toEqual(['c1']);
    expect(applyAssist(s, { ...a, active: false, at: 4 })).toBe(s);
    expect(applyAssist(s, { ...a, active: false, at: 6 }).assists).toEqual({});
    s = applyFloor(s, { at: 10, teams: [], agents: [] });
    expect(s.assists).toEqual({});
  });

  it.each([
    ['a take-over by a supervisor', { assignee_id: 'u_sam', assignee_name: 'Sam' }, 'Sam'],
    ['a reassignment to another agent', { assignee_id: 'u_bob', assignee_name: 'Bob' }, 'Bob'],
  ])('notices %s', (_name, change, who) => {
    const s = noticeConversation(initialSupervision, mine, { ...mine, ...change }, 'u_alice');
    expect(s.notices.c1).toMatchObject({ kind: 'moved', name: who });
  });

  it.each([
    [
      'my own transfer accepted',
      { ...mine, offer_agent_id: 'u_bob' },
      { ...mine, assignee_id: 'u_bob' },
    ],
    ['a resolve', mine, { ...mine, state: 'resolved' }],
    ['my own transfer to a queue', mine, { ...mine, state: 'queued', assignee_id: undefined }],
    [
      'someone else’s conversation',
      { ...mine, assignee_id: 'u_bob' },
      { ...mine, assignee_id: 'u_sam' },
    ],
  ])('does not notice %s', (_name, before, after) => {
    expect(noticeConversation(initialSupervision, before, after, 'u_alice')).toBe(
      initialSupervision,
    );
  });

  it('words the notice from the supervisor’s event, before or after the change', () => {
    let s = noticeEvent(
      initialSupervision,
      event('taken_over', 'Sam', 'Alice'),
      mine,
      'u_alice',
      'Alice',
    );
    expect(s.notices.c1).toMatchObject({ kind: 'taken_over', name: 'Sam' });
    // The conversation's change arriving after keeps the worded notice.
    s = noticeConversation(s, mine, { ...mine, assignee_id: 'u_sam' }, 'u_alice');
    expect(s.notices.c1?.kind).toBe('taken_over');
    // Back with me: the notice goes.
    expect(noticeConversation(s, undefined, mine, 'u_alice').notices).toEqual({});

    const moved = { ...mine, assignee_id: 'u_sam' };
    expect(
      noticeEvent(
        initialSupervision,
        event('taken_over', 'Sam', 'Alice'),
        moved,
        'u_alice',
        'Alice',
      ).notices.c1?.kind,
    ).toBe('taken_over');
    // My own step, and a reassignment to me, are no news.
    expect(
      noticeEvent(initialSupervision, event('taken_over', 'Alice'), mine, 'u_alice', 'Alice'),
    ).toBe(initialSupervision);
    expect(
      noticeEvent(
        initialSupervision,
        event('reassigned', 'Sam', 'Alice'),
        mine,
        'u_alice',
        'Alice',
      ),
    ).toBe(initialSupervision);
  });
});

describe('views', () => {
  it('show the conversations when one is chosen from anywhere', async () => {
    const { initialState, reduce } = await import('./reducer');
    const floor = { ...initialState, view: 'floor' as const };
    expect(reduce(floor, { type: 'select', id: 'c1' }).view).toBe('conversations');
    expect(reduce(floor, { type: 'select', id: null }).view).toBe('floor');
    expect(reduce(floor, { type: 'tab', tab: 'queue' }).view).toBe('conversations');
  });
});
