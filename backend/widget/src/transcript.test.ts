import { describe, expect, it } from 'vitest';
import { roleOf, Transcript } from './transcript';
import { msg } from './testutil';

function pending(id: string, text = id) {
  return { client_msg_id: id, conversation_id: 'c-1', text, created_at: 1 };
}

describe('Transcript', () => {
  it('turns a pending message into the acknowledged one under the same key', () => {
    const t = new Transcript();
    t.reset('c-1', 1);
    t.addPending(pending('a', 'hello'));
    expect(t.items()).toMatchObject([{ key: 'a', pending: true, seq: null, text: 'hello' }]);
    expect(t.applyAck({ conversation_id: 'c-1', client_msg_id: 'a', seq: 7, epoch: 1, created_at: 9 })).toBe(true);
    expect(t.items()).toMatchObject([{ key: 'a', pending: false, seq: 7, text: 'hello', role: 'customer' }]);
    expect(t.pendingMessages()).toHaveLength(0);
    // A second ack for the same id (a resend's duplicate) changes nothing.
    expect(t.applyAck({ conversation_id: 'c-1', client_msg_id: 'a', seq: 7, epoch: 1, created_at: 9 })).toBe(false);
    expect(t.items()).toHaveLength(1);
  });

  it('settles a pending message when its stored copy arrives before the ack', () => {
    const t = new Transcript([pending('a', 'hi')]);
    t.reset('c-1');
    t.addMessages([msg(3, { client_msg_id: 'a', sender: { role: 'customer' }, text: 'hi' })]);
    expect(t.items()).toMatchObject([{ key: 'a', seq: 3, pending: false }]);
  });

  it('dedupes by seq and keeps seq order', () => {
    const t = new Transcript();
    t.reset('c-1');
    const added = t.addMessages([msg(5), msg(2), msg(9), msg(2), msg(5), msg(1)]);
    expect(added.map((m) => m.seq)).toEqual([5, 2, 9, 1]);
    t.addMessages([msg(3), msg(9)]);
    expect(t.items().map((i) => i.seq)).toEqual([1, 2, 3, 5, 9]);
    expect(t.lastSeq()).toBe(9);
  });

  it('lists pending messages after stored ones, oldest first', () => {
    const t = new Transcript();
    t.reset('c-1');
    t.addPending(pending('x'));
    t.addPending(pending('y'));
    t.addPending(pending('x'));
    t.addMessages([msg(1)]);
    expect(t.items().map((i) => i.key)).toEqual(['srv-1', 'x', 'y']);
  });

  it('ignores other conversations and invalid messages', () => {
    const t = new Transcript();
    t.reset('c-1');
    t.addMessages([msg(1, { conversation_id: 'c-2' }), msg(0), { ...msg(2), seq: 'x' as unknown as number }]);
    expect(t.size()).toBe(0);
  });

  it('keeps pending messages across a reset', () => {
    const t = new Transcript([pending('a')]);
    t.reset('c-1');
    t.addMessages([msg(1)]);
    t.reset('c-2');
    expect(t.size()).toBe(0);
    expect(t.items().map((i) => i.key)).toEqual(['a']);
  });

  it.each([
    ['customer', 'text', 'customer'],
    ['bot', 'text', 'bot'],
    ['agent', 'text', 'agent'],
    ['supervisor', 'text', 'agent'],
    ['system', 'text', 'system'],
    ['agent', 'event', 'system'],
    ['martian', 'text', 'system'],
  ])('roleOf(%s, %s) = %s', (role, kind, want) => {
    expect(roleOf({ kind, sender: { role } })).toBe(want);
  });
});

describe('Transcript.resumeSeq', () => {
  it('advances only over contiguous seqs, and over gaps the server vouched for', () => {
    const t = new Transcript();
    t.reset('c-1');
    t.addMessages([msg(1), msg(2), msg(5)]);
    expect(t.resumeSeq).toBe(2);
    t.markSynced(5); // 3 and 4 are internal notes the customer never gets
    expect(t.resumeSeq).toBe(5);
    t.addPending(pending('a'));
    t.applyAck({ conversation_id: 'c-1', client_msg_id: 'a', seq: 6, epoch: 1, created_at: 1 });
    expect(t.resumeSeq).toBe(6);
    t.reset('c-1', 2);
    expect(t.resumeSeq).toBe(0);
  });
});
