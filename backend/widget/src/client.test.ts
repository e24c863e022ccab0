import { describe, expect, it } from 'vitest';
import { ChatClient, runeCount, wsURL, type ClientEvent } from './client';
import type { AckData, SendData, SyncData } from './protocol';
import { conversation, FakeEnv, msg, settle, type FakeSocket } from './testutil';

const SERVER = 'http://127.0.0.1:8080';

function newClient(env = new FakeEnv()) {
  const client = new ChatClient(
    { server: SERVER, ext: { source: '/demo', order_no: 'SO-1' }, locale: 'zh-CN' },
    env,
  );
  const events: ClientEvent[] = [];
  client.on((e) => events.push(e));
  return { env, client, events };
}

/** online drives a socket through hello → welcome → open → conversation. */
function online(s: FakeSocket, convID = 'c-1', over: Record<string, unknown> = {}) {
  s.accept();
  const hello = s.last('hello');
  s.receive({
    type: 'welcome',
    id: hello.id,
    data: { session_id: 's', user: { id: 'v-1', role: 'customer', name: '' }, server_time: 0, heartbeat_ms: 25000, conversations: [] },
  });
  const open = s.last('open');
  s.receive({ type: 'conversation', id: open.id, data: conversation(convID, over) });
}

function ack(s: FakeSocket, seq: number, over: Partial<AckData> = {}) {
  const send = s.last('send');
  const d = send.data as SendData;
  s.receive({
    type: 'ack',
    id: send.id,
    data: { conversation_id: d.conversation_id, client_msg_id: d.client_msg_id, seq, epoch: 1, created_at: 5, ...over },
  });
}

describe('wsURL', () => {
  it.each([
    ['http://127.0.0.1:8080', 'ws://127.0.0.1:8080/ws'],
    ['https://chat.example.com', 'wss://chat.example.com/ws'],
    ['https://example.com/support/', 'wss://example.com/support/ws'],
  ])('wsURL(%s) = %s', (in_, want) => {
    expect(wsURL(in_)).toBe(want);
  });
});

describe('runeCount', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(runeCount('你好😀')).toBe(3);
  });
});

describe('ChatClient connection', () => {
  it('gets a visitor token, says hello, opens with ext, then syncs from 0', async () => {
    const { env, client, events } = newClient();
    client.start();
    expect(client.state).toBe('connecting');
    await settle();
    expect(env.fetchCalls).toHaveLength(1);
    expect(env.fetchCalls[0].url).toBe(`${SERVER}/api/v1/visitor`);
    expect(env.socket.url).toBe('ws://127.0.0.1:8080/ws');
    online(env.socket);
    expect(env.socket.last('hello').data).toEqual({ protocol: 1, token: 'tok-1', client: 'widget', locale: 'zh-CN' });
    expect(env.socket.last('open').data).toEqual({ ext: { source: '/demo', order_no: 'SO-1' }, locale: 'zh-CN' });
    expect(env.socket.last('sync').data).toEqual({ conversation_id: 'c-1', after_seq: 0 });
    expect(client.state).toBe('online');
    expect(events.filter((e) => e.type === 'state').map((e) => (e as { state: string }).state)).toEqual([
      'connecting',
      'online',
    ]);
  });

  it('reuses a stored visitor token that is still valid', async () => {
    const env = new FakeEnv();
    env.storage.set(`switchboard:${SERVER}:visitor`, JSON.stringify({ token: 'kept', visitor_id: 'v-1', expires_at: env.clock + 3_600_000 }));
    const { client } = newClient(env);
    client.start();
    await settle();
    expect(env.fetchCalls).toHaveLength(0);
    env.socket.accept();
    expect((env.socket.last('hello').data as { token: string }).token).toBe('kept');
  });

  it('refreshes an expiring token by sending it back', async () => {
    const env = new FakeEnv();
    env.storage.set(`switchboard:${SERVER}:visitor`, JSON.stringify({ token: 'old', visitor_id: 'v-1', expires_at: env.clock + 1000 }));
    const { client } = newClient(env);
    client.start();
    await settle();
    expect(env.fetchCalls[0].body).toEqual({ token: 'old' });
  });

  it('reconnects with capped exponential backoff and full jitter', async () => {
    const { env, client } = newClient();
    env.randomValue = 0.999;
    env.fetchFails = 100;
    client.start();
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      await settle();
      expect(client.state).toBe('offline');
      const [d] = env.pendingTimers();
      delays.push(d);
      env.advance(d);
    }
    expect(delays).toEqual([299, 599, 1198, 2397, 4795, 9590, 19180, 29970, 29970, 29970]);
    client.stop();
    expect(env.pendingTimers()).toEqual([]);
    expect(client.state).toBe('idle');
  });

  it('gets a new token after hello is refused and reconnects', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    const s = env.socket;
    s.accept();
    s.receive({ type: 'error', id: s.last('hello').id, error: { code: 'token_expired', message: 'expired', retryable: false } });
    expect(client.state).toBe('offline');
    env.advance(30_000);
    await settle();
    expect(env.fetchCalls).toHaveLength(2);
    expect(env.fetchCalls[1].body).toEqual({ token: 'tok-1' });
    env.socket.accept();
    expect((env.socket.last('hello').data as { token: string }).token).toBe('tok-2');
  });

  it('gives up on a connection that does not come online in time', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    env.socket.accept(); // hello sent, never answered
    env.advance(15_000);
    expect(client.state).toBe('offline');
    expect(env.socket.closedWith).not.toBeNull();
  });

  it('survives garbage frames and unknown frame types', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    online(env.socket);
    env.socket.receiveRaw('not json');
    env.socket.receiveRaw('null');
    env.socket.receiveRaw('{"type":"from_the_future","data":{}}');
    env.socket.receive({ type: 'message', data: null });
    env.socket.receive({ type: 'history', data: { conversation_id: 'c-1', epoch: 1, messages: null, has_more: false } });
    expect(client.state).toBe('online');
  });
});

describe('ChatClient messages', () => {
  it('shows a sent message as pending until its ack, then by seq', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    online(env.socket);
    const r = client.send('你好');
    expect(r.ok).toBe(true);
    let items = client.transcript.items();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ pending: true, seq: null, role: 'customer', text: '你好' });
    const sent = env.socket.last('send').data as SendData;
    expect(sent).toMatchObject({ conversation_id: 'c-1', kind: 'text', text: '你好' });
    expect(sent.client_msg_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(env.storage.get(`switchboard:${SERVER}:pending`)).toContain(sent.client_msg_id);

    ack(env.socket, 2);
    items = client.transcript.items();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ pending: false, seq: 2, key: sent.client_msg_id });
    expect(env.storage.get(`switchboard:${SERVER}:pending`)).toBeNull();

    // The push of the same stored message is a duplicate by seq.
    env.socket.receive({ type: 'message', data: msg(2, { client_msg_id: sent.client_msg_id, sender: { role: 'customer' }, text: '你好' }) });
    expect(client.transcript.items()).toHaveLength(1);
  });

  it('keeps messages typed offline and sends them, in order, once online', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    client.send('first');
    client.send('second');
    expect(env.socket.all('send')).toHaveLength(0);
    online(env.socket);
    const sends = env.socket.all('send').map((f) => (f.data as SendData).text);
    expect(sends).toEqual(['first', 'second']);
    expect((env.socket.all('send')[0].data as SendData).conversation_id).toBe('c-1');
  });

  it('resends an unacknowledged message with the same client_msg_id after a reconnect', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    online(env.socket);
    client.send('are you there?');
    const first = env.socket.last('send').data as SendData;
    env.socket.drop();
    expect(client.state).toBe('offline');
    expect(client.transcript.items()[0].pending).toBe(true);

    env.advance(300);
    await settle();
    online(env.socket);
    const again = env.socket.last('send').data as SendData;
    expect(again.client_msg_id).toBe(first.client_msg_id);
    expect(again.text).toBe(first.text);
    ack(env.socket, 3, { duplicate: true });
    expect(client.transcript.items()).toMatchObject([{ seq: 3, pending: false }]);
  });

  it('restores pending messages from storage and resends them after a reload', async () => {
    const env = new FakeEnv();
    const a = newClient(env);
    a.client.start();
    await settle();
    online(env.socket);
    a.client.send('typed before reload');
    const id = (env.socket.last('send').data as SendData).client_msg_id;
    a.client.stop();

    const b = newClient(env);
    expect(b.client.transcript.items()).toMatchObject([{ key: id, pending: true }]);
    expect(b.client.hasHistory()).toBe(true);
    b.client.start();
    await settle();
    online(env.socket);
    expect((env.socket.last('send').data as SendData).client_msg_id).toBe(id);
  });

  it('resumes with sync from the last seq after a reconnect', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    online(env.socket);
    const sync = env.socket.last('sync');
    env.socket.receive({ type: 'history', id: sync.id, data: { conversation_id: 'c-1', epoch: 1, messages: [msg(1, { kind: 'event', sender: { role: 'system' }, event: { type: 'opened' } }), msg(2), msg(3)], has_more: false } });
    env.socket.drop();
    env.advance(300);
    await settle();
    online(env.socket);
    expect(env.socket.last('sync').data as SyncData).toEqual({ conversation_id: 'c-1', after_seq: 3 });
  });

  it('pages through history while has_more', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    online(env.socket);
    const s1 = env.socket.last('sync');
    env.socket.receive({ type: 'history', id: s1.id, data: { conversation_id: 'c-1', epoch: 1, messages: [msg(1), msg(2)], has_more: true } });
    const s2 = env.socket.last('sync');
    expect(s2.id).not.toBe(s1.id);
    expect((s2.data as SyncData).after_seq).toBe(2);
  });

  it('orders by seq and drops duplicates whatever the arrival order', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    online(env.socket);
    const sync = env.socket.last('sync');
    env.socket.receive({ type: 'message', data: msg(4) });
    env.socket.receive({ type: 'message', data: msg(2) });
    env.socket.receive({ type: 'message', data: msg(4) });
    env.socket.receive({ type: 'history', id: sync.id, data: { conversation_id: 'c-1', epoch: 1, messages: [msg(1), msg(2), msg(3)], has_more: false } });
    env.socket.receive({ type: 'message', data: msg(3) });
    env.socket.receive({ type: 'message', data: msg(9, { conversation_id: 'someone-else' }) });
    expect(client.transcript.items().map((i) => i.seq)).toEqual([1, 2, 3, 4]);
  });

  it('fills a gap in seq with a sync', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    online(env.socket);
    const sync = env.socket.last('sync');
    env.socket.receive({ type: 'history', id: sync.id, data: { conversation_id: 'c-1', epoch: 1, messages: [msg(1), msg(2)], has_more: false } });
    env.socket.receive({ type: 'message', data: msg(5) });
    expect(env.socket.last('sync').data).toEqual({ conversation_id: 'c-1', after_seq: 2 });
  });

  it('reloads history when the epoch changes', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    online(env.socket);
    env.socket.receive({ type: 'history', id: env.socket.last('sync').id, data: { conversation_id: 'c-1', epoch: 1, messages: [msg(1), msg(2)], has_more: false } });
    env.socket.drop();
    env.advance(300);
    await settle();
    online(env.socket, 'c-1', { epoch: 2 });
    expect(env.socket.last('sync').data).toEqual({ conversation_id: 'c-1', after_seq: 0 });
    expect(client.transcript.size()).toBe(0);
  });

  it('reports live messages from others as incoming, not history', async () => {
    const { env, client, events } = newClient();
    client.start();
    await settle();
    online(env.socket);
    env.socket.receive({ type: 'history', id: env.socket.last('sync').id, data: { conversation_id: 'c-1', epoch: 1, messages: [msg(1)], has_more: false } });
    env.socket.receive({ type: 'message', data: msg(2, { sender: { role: 'agent', name: 'Alice' } }) });
    const incoming = events.filter((e) => e.type === 'incoming');
    expect(incoming).toHaveLength(1);
  });
});

describe('ChatClient errors', () => {
  async function sentOne(text = 'hi') {
    const c = newClient();
    c.client.start();
    await settle();
    online(c.env.socket);
    c.client.send(text);
    return { ...c, send: c.env.socket.last('send') };
  }

  it('refuses text over 4000 characters before sending', () => {
    const { client, events } = newClient();
    const r = client.send('字'.repeat(4001));
    expect(r).toEqual({ ok: false, code: 'text_too_long' });
    expect(client.transcript.items()).toHaveLength(0);
    expect(events).toContainEqual({ type: 'error', code: 'text_too_long', message: '' });
  });

  it('drops a message the server refuses for good and reports the code', async () => {
    const { env, client, events, send } = await sentOne();
    env.socket.receive({ type: 'error', id: send.id, error: { code: 'text_too_long', message: 'too long', retryable: false } });
    expect(client.transcript.items()).toHaveLength(0);
    expect(events).toContainEqual({ type: 'error', code: 'text_too_long', message: 'too long' });
  });

  it('retries a rate-limited message later with the same id', async () => {
    const { env, client, events, send } = await sentOne();
    env.socket.receive({ type: 'error', id: send.id, error: { code: 'rate_limited', message: 'slow down', retryable: true } });
    expect(events).toContainEqual({ type: 'error', code: 'rate_limited', message: 'slow down' });
    expect(client.transcript.items()[0].pending).toBe(true);
    env.advance(4_000);
    const again = env.socket.last('send');
    expect(again.id).not.toBe(send.id);
    expect((again.data as SendData).client_msg_id).toBe((send.data as SendData).client_msg_id);
  });

  it('treats conflict on a resend as already delivered', async () => {
    const { env, client, send } = await sentOne();
    env.socket.receive({ type: 'error', id: send.id, error: { code: 'conflict', message: '', retryable: false } });
    expect(client.transcript.items()).toHaveLength(0);
  });

  it('moves a message to the current conversation when the old one is over', async () => {
    const { env, client, send } = await sentOne();
    env.socket.receive({ type: 'error', id: send.id, error: { code: 'illegal_transition', message: '', retryable: false } });
    const open = env.socket.last('open');
    env.socket.receive({ type: 'conversation', id: open.id, data: conversation('c-2') });
    const again = env.socket.last('send').data as SendData;
    expect(again.conversation_id).toBe('c-2');
    expect(again.client_msg_id).toBe((send.data as SendData).client_msg_id);
    expect(client.transcript.conversationId).toBe('c-2');
  });

  it('shows pushed errors without a request', async () => {
    const { env, client, events } = newClient();
    client.start();
    await settle();
    online(env.socket);
    env.socket.receive({ type: 'error', error: { code: 'frame_too_large', message: 'big', retryable: false } });
    expect(events).toContainEqual({ type: 'error', code: 'frame_too_large', message: 'big' });
    expect(client.state).toBe('online');
  });
});

describe('ChatClient queue position', () => {
  const queue = (over: Record<string, unknown> = {}) => ({
    conversation_id: 'c-1',
    position: 3,
    expected_wait_ms: 120_000,
    agents_online: 2,
    open: true,
    business_hours: true,
    ...over,
  });

  it('keeps a queue push that comes before open names the conversation', async () => {
    const { env, client, events } = newClient();
    client.start();
    await settle();
    const s = env.socket;
    s.accept();
    s.receive({ type: 'welcome', id: s.last('hello').id, data: { session_id: 's', user: { id: 'v-1', role: 'customer', name: '' }, server_time: 0, heartbeat_ms: 0, conversations: [] } });
    s.receive({ type: 'queue', data: queue() });
    expect(client.queue).toBeNull();
    s.receive({ type: 'conversation', id: s.last('open').id, data: conversation('c-1', { state: 'queued' }) });
    expect(client.queue).toMatchObject({ position: 3, expected_wait_ms: 120_000, open: true });
    expect(events.filter((e) => e.type === 'queue').length).toBeGreaterThan(0);
  });

  it('follows every push and forgets the position once the conversation leaves the queue', async () => {
    const { env, client, events } = newClient();
    client.start();
    await settle();
    online(env.socket, 'c-1', { state: 'queued' });
    env.socket.receive({ type: 'queue', data: queue() });
    env.socket.receive({ type: 'queue', data: queue({ position: 1, expected_wait_ms: 0 }) });
    expect(client.queue).toMatchObject({ position: 1, expected_wait_ms: 0 });
    env.socket.receive({ type: 'queue', data: queue({ conversation_id: 'someone-else', position: 9 }) });
    expect(client.queue).toBeNull();
    env.socket.receive({ type: 'queue', data: queue({ position: 2 }) });
    env.socket.receive({ type: 'conversation', data: conversation('c-1', { state: 'active', assignee_name: 'Alice' }) });
    expect(client.queue).toBeNull();
    expect(events[events.length - 1]).toEqual({ type: 'queue', queue: null });
    // Back in the queue (a transfer): the old position is not shown again.
    env.socket.receive({ type: 'conversation', data: conversation('c-1', { state: 'queued' }) });
    expect(client.queue).toBeNull();
  });
});

describe('ChatClient left message', () => {
  it('sends ext with the message and resends it with the same ext after a reconnect', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    online(env.socket, 'c-1', { state: 'queued' });
    const r = client.send('请回电', { left_message: 'true', contact: '13800000000' });
    expect(r.ok).toBe(true);
    const first = env.socket.last('send').data as SendData;
    expect(first).toMatchObject({ kind: 'text', text: '请回电', ext: { left_message: 'true', contact: '13800000000' } });
    expect(env.storage.get(`switchboard:${SERVER}:pending`)).toContain('13800000000');

    env.socket.drop();
    env.advance(300);
    await settle();
    online(env.socket, 'c-1', { state: 'queued' });
    const again = env.socket.last('send').data as SendData;
    expect(again.client_msg_id).toBe(first.client_msg_id);
    expect(again.ext).toEqual({ left_message: 'true', contact: '13800000000' });
  });

  it('sends no ext on an ordinary message and refuses ext over the server limits', async () => {
    const { env, client, events } = newClient();
    client.start();
    await settle();
    online(env.socket);
    client.send('hi');
    expect(env.socket.last('send').data).not.toHaveProperty('ext');
    expect(client.send('x', { contact: '字'.repeat(200) })).toEqual({ ok: false, code: 'invalid_request' });
    expect(events).toContainEqual({ type: 'error', code: 'invalid_request', message: '' });
    expect(env.socket.all('send')).toHaveLength(1);
  });
});

describe('ChatClient rating', () => {
  async function resolved(over: Record<string, unknown> = {}) {
    const c = newClient();
    c.client.start();
    await settle();
    online(c.env.socket, 'c-1', { state: 'resolved', ...over });
    return c;
  }

  it('sends rate and is done when the conversation comes back rated', async () => {
    const { env, client, events } = await resolved();
    expect(client.rate(4, '  很好  ')).toBe(true);
    const rate = env.socket.last('rate');
    expect(rate.data).toEqual({ conversation_id: 'c-1', score: 4, comment: '很好' });
    expect(client.rating).toEqual({ status: 'sending', conversationId: 'c-1', score: 4 });
    expect(client.rate(5)).toBe(false); // one at a time
    env.socket.receive({ type: 'conversation', id: rate.id, data: conversation('c-1', { state: 'resolved', rating: 4, rating_comment: '很好' }) });
    expect(client.rating).toEqual({ status: 'done', conversationId: 'c-1', score: 4 });
    expect(client.conversation?.rating).toBe(4);
    expect(events.filter((e) => e.type === 'rating').map((e) => (e as { state: { status: string } }).state.status)).toEqual(['sending', 'done']);
  });

  it('reports a refused rating with the server code and lets the customer retry others', async () => {
    const { env, client, events } = await resolved();
    client.rate(2);
    env.socket.receive({ type: 'error', id: env.socket.last('rate').id, error: { code: 'illegal_transition', message: 'closed', retryable: false } });
    expect(client.rating).toEqual({ status: 'failed', conversationId: 'c-1', code: 'illegal_transition', message: 'closed' });
    // Shown by the rating card, not as a general notice.
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(client.rate(3)).toBe(true);
  });

  it('fails with not_sent when the connection drops before the answer, or is offline', async () => {
    const { env, client } = await resolved();
    client.rate(5);
    env.socket.drop();
    expect(client.rating).toMatchObject({ status: 'failed', code: 'not_sent' });
    expect(client.rate(5)).toBe(false);
    expect(client.rating).toMatchObject({ status: 'failed', code: 'not_sent' });
  });

  it('rates only a resolved conversation, with a score of 1 to 5 and a comment up to 1000 characters', async () => {
    const { env, client } = await resolved();
    expect(client.rate(0)).toBe(false);
    expect(client.rate(6)).toBe(false);
    expect(client.rate(2.5)).toBe(false);
    expect(client.rate(3, '字'.repeat(1001))).toBe(false);
    expect(client.rating).toMatchObject({ status: 'failed', code: 'text_too_long' });
    expect(env.socket.all('rate')).toHaveLength(0);
    env.socket.receive({ type: 'conversation', data: conversation('c-1', { state: 'closed' }) });
    expect(client.rate(3)).toBe(false);
    expect(env.socket.all('rate')).toHaveLength(0);
  });
});

describe('ChatClient attachments and card actions', () => {
  const att = { id: 'f-1', name: 'a.png', size: 10, mime: 'image/png' };

  it('sends an attachment message with its attachment_id and keeps it pending until acked', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    const s = env.socket;
    online(s);
    const r = client.sendAttachment('image', att);
    expect(r.ok).toBe(true);
    const d = s.last('send').data as SendData;
    expect(d).toMatchObject({ conversation_id: 'c-1', kind: 'image', attachment_id: 'f-1' });
    expect(d.text).toBeUndefined();
    expect(client.transcript.items().at(-1)).toMatchObject({ kind: 'image', pending: true, attachment: att });
    ack(s, 4);
    expect(client.transcript.items().at(-1)).toMatchObject({ kind: 'image', pending: false, seq: 4, attachment: att });
  });

  it('resends a card action with the same client_msg_id after a reconnect, then settles it on ack', async () => {
    const { env, client } = newClient();
    client.start();
    await settle();
    let s = env.socket;
    online(s);
    s.receive({ type: 'message', data: msg(1, { kind: 'card', sender: { role: 'agent', id: 'a', name: 'Alice' }, card: { type: 'product', version: 1, data: {}, fallback: 'x' } }) });
    expect(client.cardAction(1, 'buy', { qty: 1 }).ok).toBe(true);
    const first = s.last('card_action');
    expect(first.data).toMatchObject({ conversation_id: 'c-1', card_seq: 1, action: 'buy', values: { qty: 1 } });
    expect(client.transcript.cardActions(1)).toEqual([{ card_seq: 1, action: 'buy', values: { qty: 1 }, pending: true }]);
    // No customer bubble for an action.
    expect(client.transcript.items().filter((i) => i.pending)).toHaveLength(0);

    s.drop();
    env.advance(60_000);
    await settle();
    s = env.socket;
    online(s);
    const again = s.last('card_action');
    const id = (first.data as { client_msg_id: string }).client_msg_id;
    expect((again.data as { client_msg_id: string }).client_msg_id).toBe(id);
    s.receive({ type: 'ack', id: again.id, data: { conversation_id: 'c-1', client_msg_id: id, seq: 2, epoch: 1, created_at: 9 } });
    expect(client.transcript.cardActions(1)).toEqual([{ card_seq: 1, action: 'buy', values: { qty: 1 }, pending: false }]);
    expect(client.transcript.pendingMessages()).toHaveLength(0);
  });

  it('drops a card action refused as invalid_card and reports it', async () => {
    const { env, client, events } = newClient();
    client.start();
    await settle();
    const s = env.socket;
    online(s);
    client.cardAction(3, 'submit', { score: 9 });
    const f = s.last('card_action');
    s.receive({ type: 'error', id: f.id, error: { code: 'invalid_card', message: 'score must be 1 to 5', retryable: false } });
    expect(client.transcript.cardActions(3)).toEqual([]);
    expect(events).toContainEqual({ type: 'error', code: 'invalid_card', message: 'score must be 1 to 5' });
  });

  it('restores a pending attachment from storage after a reload', async () => {
    const env = new FakeEnv();
    const a = newClient(env);
    a.client.start();
    await settle();
    online(env.socket);
    env.socket.drop();
    a.client.sendAttachment('file', { id: 'f-9', name: 'r.pdf', size: 3, mime: 'application/pdf' });
    a.client.stop();
    const b = newClient(env);
    b.client.start();
    await settle();
    online(env.socket);
    expect(env.socket.last('send').data).toMatchObject({ kind: 'file', attachment_id: 'f-9' });
  });

  it('drops an attachment made for a conversation that is over instead of sending it to the next one', async () => {
    const env = new FakeEnv();
    const { client, events } = newClient(env);
    client.start();
    await settle();
    online(env.socket);
    env.socket.drop();
    client.sendAttachment('file', { id: 'f-1', name: 'r.pdf', size: 3, mime: 'application/pdf' });
    client.send('still here?');
    env.advance(60_000);
    await settle();
    online(env.socket, 'c-2');
    expect(env.socket.all('send').map((f) => (f.data as SendData).kind)).toEqual(['text']);
    expect(events).toContainEqual({ type: 'error', code: 'undelivered', message: '' });
  });
});

describe('ChatClient bot feedback', () => {
  async function onlineClient() {
    const c = newClient();
    c.client.start();
    await settle();
    const s = c.env.socket;
    online(s);
    return { ...c, s };
  }

  it('keeps the newest verdict when the customer changes it before the answer', async () => {
    const { client, s } = await onlineClient();
    expect(client.feedbackOf(2)).toBeUndefined();
    expect(client.sendFeedback(2, true)).toBe(true);
    const first = s.last('bot_feedback');
    expect(client.sendFeedback(2, false)).toBe(true);
    const second = s.last('bot_feedback');
    expect(second.id).not.toBe(first.id);

    // The answer to the first verdict comes late: the second one stands.
    s.receive({ type: 'bot_feedback', id: first.id, data: { conversation_id: 'c-1', seq: 2, helpful: true } });
    expect(client.feedbackOf(2)).toEqual({ helpful: false, status: 'sending' });
    s.receive({ type: 'bot_feedback', id: second.id, data: { conversation_id: 'c-1', seq: 2, helpful: false } });
    expect(client.feedbackOf(2)).toEqual({ helpful: false, status: 'done' });
    expect(client.feedbackOf(3)).toBeUndefined();
  });

  it('refuses a verdict it cannot send, and one on no message', async () => {
    const { client, events } = newClient();
    expect(client.sendFeedback(2, true)).toBe(false);
    const { client: c2, s } = await onlineClient();
    expect(c2.sendFeedback(0, true)).toBe(false);
    expect(s.all('bot_feedback')).toHaveLength(0);
    expect(events.some((e) => e.type === 'error')).toBe(false);
  });
});
