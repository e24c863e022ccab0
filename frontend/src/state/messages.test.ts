import { describe, expect, it } from 'vitest';
import type { AckData, Message } from '../api/types';
import { pending, sent } from '../test/fakeWails';
import { applyAck, emptyMessageList, lastSeq, mergeMessages } from './messages';

const seqs = (ms: readonly Message[]) => ms.map((m) => m.seq);

function ack(cid: string, seq: number): AckData {
  return {
    conversation_id: 'c1',
    client_msg_id: cid,
    seq,
    epoch: 1,
    created_at: 1_700_000_200_000,
  };
}

describe('message list', () => {
  it('orders by seq whatever the arrival order', () => {
    const l = mergeMessages(emptyMessageList, [
      sent('c1', 3, 'c'),
      sent('c1', 1, 'a'),
      sent('c1', 2, 'b'),
    ]);
    expect(seqs(l.items)).toEqual([1, 2, 3]);
    expect(lastSeq(l)).toBe(3);
  });

  it('deduplicates by seq and keeps the first copy', () => {
    const first = sent('c1', 1, 'first');
    let l = mergeMessages(emptyMessageList, [first, sent('c1', 2, 'b')]);
    const before = l;
    l = mergeMessages(l, [{ ...first, text: 'replayed' }, sent('c1', 2, 'b')]);
    expect(l).toBe(before);
    expect(l.items.map((m) => m.text)).toEqual(['first', 'b']);
  });

  it('keeps pending messages after sent ones, in send order', () => {
    let l = mergeMessages(emptyMessageList, [sent('c1', 1, 'a')]);
    l = mergeMessages(l, [pending('c1', 'p1', 'x'), pending('c1', 'p2', 'y')]);
    l = mergeMessages(l, [sent('c1', 2, 'b')]);
    expect(l.items.map((m) => m.text)).toEqual(['a', 'b', 'x', 'y']);
  });

  it('deduplicates pending messages by client_msg_id', () => {
    let l = mergeMessages(emptyMessageList, [pending('c1', 'p1', 'x')]);
    l = mergeMessages(l, [pending('c1', 'p1', 'x')]);
    expect(l.items).toHaveLength(1);
  });

  it('turns pending into sent on ack, with the ack seq, in seq order', () => {
    let l = mergeMessages(emptyMessageList, [sent('c1', 1, 'a'), pending('c1', 'p1', 'mine')]);
    l = applyAck(l, ack('p1', 3));
    expect(l.items.map((m) => [m.seq, m.text])).toEqual([
      [1, 'a'],
      [3, 'mine'],
    ]);
    l = mergeMessages(l, [sent('c1', 2, 'b')]);
    expect(seqs(l.items)).toEqual([1, 2, 3]);
  });

  it('drops the pending copy when its stored message arrives before the ack', () => {
    let l = mergeMessages(emptyMessageList, [pending('c1', 'p1', 'mine')]);
    l = mergeMessages(l, [{ ...pending('c1', 'p1', 'mine'), seq: 5 }]);
    expect(seqs(l.items)).toEqual([5]);
    const after = applyAck(l, ack('p1', 5));
    expect(after).toBe(l);
    // A late pending copy (Send resolving after the push) is ignored too.
    expect(mergeMessages(l, [pending('c1', 'p1', 'mine')])).toBe(l);
  });

  it('applies an ack that arrives before its pending message', () => {
    let l = applyAck(emptyMessageList, ack('p1', 4));
    expect(l.items).toHaveLength(0);
    l = mergeMessages(l, [pending('c1', 'p1', 'mine')]);
    expect(l.items.map((m) => [m.seq, m.text])).toEqual([[4, 'mine']]);
    expect(l.earlyAcks).toEqual({});
  });

  it('ignores a duplicate ack for a message already sent', () => {
    let l = mergeMessages(emptyMessageList, [pending('c1', 'p1', 'mine')]);
    l = applyAck(l, ack('p1', 1));
    const again = applyAck(l, { ...ack('p1', 1), duplicate: true });
    expect(again).toBe(l);
  });
});
