import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient } from './client';
import type { ExportEnv } from './export';
import { STRINGS, type Locale } from './i18n';
import type { SendData } from './protocol';
import { conversation, FakeEnv, msg, settle } from './testutil';
import { WidgetView } from './view';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup) fn();
  cleanup = [];
});

function mount(locale: Locale = 'zh', exportEnv?: ExportEnv) {
  const env = new FakeEnv();
  const client = new ChatClient({ server: 'http://127.0.0.1:8080', ext: {}, locale }, env);
  const container = document.createElement('div');
  document.body.appendChild(container);
  const view = new WidgetView(client, {
    strings: STRINGS[locale],
    locale,
    container,
    onFirstOpen: () => client.start(),
    exportEnv,
  });
  cleanup.push(() => {
    client.stop();
    view.destroy();
    container.remove();
  });
  const q = <T extends Element = HTMLElement>(id: string) =>
    container.querySelector(`[data-testid="${id}"]`) as T;
  const rows = () => [...container.querySelectorAll<HTMLElement>('[data-testid="sb-message"]')];
  return { env, client, view, container, q, rows };
}

async function openOnline(m: ReturnType<typeof mount>) {
  m.q<HTMLButtonElement>('sb-launcher').click();
  await settle();
  const s = m.env.socket;
  s.accept();
  s.receive({ type: 'welcome', id: s.last('hello').id, data: { session_id: 's', user: { id: 'v', role: 'customer', name: '' }, server_time: 0, heartbeat_ms: 0, conversations: [] } });
  s.receive({ type: 'conversation', id: s.last('open').id, data: conversation('c-1', { assignee_name: 'Alice' }) });
  return s;
}

function typeAndEnter(input: HTMLTextAreaElement, text: string, shift = false) {
  input.value = text;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: shift, bubbles: true, cancelable: true }));
}

describe('WidgetView', () => {
  it('shows the launcher, opens the panel and connects on first open', async () => {
    const m = mount('zh');
    const launcher = m.q<HTMLButtonElement>('sb-launcher');
    expect(launcher.textContent).toContain('在线客服');
    expect(m.q('sb-panel').hidden).toBe(true);
    expect(m.env.fetchCalls).toHaveLength(0);

    launcher.click();
    expect(m.q('sb-panel').hidden).toBe(false);
    expect(m.q('sb-panel').textContent).toContain('云杉商城');
    expect(m.q('sb-status').dataset.state).toBe('connecting');
    await settle();
    expect(m.env.fetchCalls).toHaveLength(1);
  });

  it('speaks English when asked', () => {
    const m = mount('en');
    expect(m.q('sb-launcher').textContent).toContain('Chat with us');
    expect(m.q('sb-panel').textContent).toContain('Spruce Mall');
  });

  it('reflects the connection state in sb-status', async () => {
    const m = mount();
    const s = await openOnline(m);
    expect(m.q('sb-status').dataset.state).toBe('online');
    expect(m.q('sb-status').textContent).toBe('已连接');
    s.drop();
    expect(m.q('sb-status').dataset.state).toBe('offline');
  });

  it('renders rows with seq, role and pending hooks, and text as text', async () => {
    const m = mount();
    const s = await openOnline(m);
    s.receive({
      type: 'history',
      id: s.last('sync').id,
      data: {
        conversation_id: 'c-1',
        epoch: 1,
        has_more: false,
        messages: [
          msg(1, { kind: 'event', sender: { role: 'system' }, event: { type: 'opened' } }),
          msg(2, { sender: { role: 'customer' }, text: '<img src=x onerror=alert(1)>' }),
          msg(3, { text: '请看 https://spruce.example/help' }),
          msg(4, { kind: 'event', sender: { role: 'system' }, event: { type: 'handoff', reason: 'customer asked' } }),
          msg(5, { kind: 'event', sender: { role: 'system' }, event: { type: 'assigned', actor: 'Alice' } }),
          msg(6, { sender: { role: 'agent', id: 'alice', name: 'Alice' }, text: '您好' }),
          msg(7, { sender: { role: 'agent', id: 'alice', name: 'Alice' }, text: '在的' }),
          msg(8, { kind: 'event', sender: { role: 'system' }, event: { type: 'resolved' } }),
        ],
      },
    });
    const rows = m.rows();
    expect(rows.map((r) => [r.dataset.seq, r.dataset.role])).toEqual([
      ['2', 'customer'],
      ['3', 'bot'],
      ['4', 'system'],
      ['5', 'system'],
      ['6', 'agent'],
      ['7', 'agent'],
      ['8', 'system'],
    ]);
    expect(m.container.querySelector('.sb-messages img')).toBeNull();
    expect(rows[0].textContent).toContain('<img src=x onerror=alert(1)>');
    expect(rows[1].querySelector('a')?.getAttribute('href')).toBe('https://spruce.example/help');
    expect(rows[2].textContent).toBe('已转入人工客服队列');
    expect(rows[3].textContent).toBe('客服 Alice 为您服务');
    expect(rows[6].textContent).toBe('会话已结束');
    // The name shows above the first bubble of a run by one sender.
    const name = (r: HTMLElement) => r.querySelector<HTMLElement>('.sb-name');
    expect(name(rows[1])?.textContent).toBe('云杉小助手');
    expect(name(rows[1])?.hidden).toBe(false);
    expect(name(rows[4])?.textContent).toBe('Alice');
    expect(name(rows[4])?.hidden).toBe(false);
    expect(name(rows[5])?.hidden).toBe(true);
  });

  it('sends on Enter, not on Shift+Enter, and marks the row pending until ack', async () => {
    const m = mount();
    const s = await openOnline(m);
    const input = m.q<HTMLTextAreaElement>('sb-input');
    typeAndEnter(input, 'line one', true);
    expect(s.all('send')).toHaveLength(0);
    typeAndEnter(input, '运费怎么算？');
    expect(input.value).toBe('');
    const send = s.last('send');
    let row = m.rows()[0];
    expect(row.dataset.pending).toBe('true');
    expect(row.dataset.seq).toBeUndefined();
    expect(row.dataset.role).toBe('customer');
    const d = send.data as SendData;
    s.receive({ type: 'ack', id: send.id, data: { conversation_id: 'c-1', client_msg_id: d.client_msg_id, seq: 2, epoch: 1, created_at: 1 } });
    expect(m.rows()[0]).toBe(row);
    row = m.rows()[0];
    expect(row.dataset.pending).toBeUndefined();
    expect(row.dataset.seq).toBe('2');
  });

  it('offers the bot quick replies under its newest message and sends the chosen one', async () => {
    const m = mount();
    const s = await openOnline(m);
    const quick = () => Array.from(m.container.querySelectorAll<HTMLButtonElement>('[data-testid="sb-quick-reply"]'));
    s.receive({
      type: 'history',
      id: s.last('sync').id,
      data: {
        conversation_id: 'c-1',
        epoch: 1,
        has_more: false,
        messages: [
          msg(2, { sender: { role: 'customer' }, text: '嗯？' }),
          msg(3, { text: '抱歉，我还没理解。', quick_replies: ['运费怎么算？', '<b>怎么退货</b>'] }),
          msg(4, { kind: 'event', sender: { role: 'system' }, event: { type: 'resolved', reason: 'no_reply' } }),
        ],
      },
    });
    // An event after the bot's message: the suggestions are stale.
    expect(quick()).toHaveLength(0);
    expect(m.rows()[2].textContent).toBe('由于长时间未收到您的回复，会话已结束');

    s.receive({ type: 'message', data: msg(5, { text: '还有什么可以帮您？', quick_replies: ['运费怎么算？', '<b>怎么退货</b>'] }) });
    expect(quick().map((b) => b.textContent)).toEqual(['运费怎么算？', '<b>怎么退货</b>']);
    expect(m.container.querySelector('b')).toBeNull();
    quick()[0].click();
    expect((s.last('send').data as SendData).text).toBe('运费怎么算？');
    // The customer's own (pending) message is now the newest: the buttons go.
    expect(quick()).toHaveLength(0);
  });

  it('sends with the send button', async () => {
    const m = mount();
    const s = await openOnline(m);
    const input = m.q<HTMLTextAreaElement>('sb-input');
    input.value = 'hello';
    m.q<HTMLButtonElement>('sb-send').click();
    expect((s.last('send').data as SendData).text).toBe('hello');
  });

  it('shows a translated line for error codes and keeps over-long text in the box', async () => {
    const m = mount('en');
    const s = await openOnline(m);
    s.receive({ type: 'error', error: { code: 'rate_limited', message: 'x', retryable: true } });
    expect(m.q('sb-error').hidden).toBe(false);
    expect(m.q('sb-error').textContent).toBe('You’re sending too fast; please wait a moment');
    const input = m.q<HTMLTextAreaElement>('sb-input');
    typeAndEnter(input, 'a'.repeat(4001));
    expect(input.value).toHaveLength(4001);
    expect(m.q('sb-error').textContent).toBe('Message is too long (max 4000 characters)');
    s.receive({ type: 'error', error: { code: 'something_new', message: 'x', retryable: false } });
    expect(m.q('sb-error').textContent).toBe('Something went wrong; please try again');
  });

  it('counts replies that arrive while the panel is closed', async () => {
    const m = mount();
    const s = await openOnline(m);
    s.receive({ type: 'history', id: s.last('sync').id, data: { conversation_id: 'c-1', epoch: 1, has_more: false, messages: [msg(1)] } });
    m.view.close();
    s.receive({ type: 'message', data: msg(2, { sender: { role: 'agent', name: 'Alice' } }) });
    const badge = m.container.querySelector<HTMLElement>('.sb-badge');
    expect(badge?.hidden).toBe(false);
    expect(badge?.textContent).toBe('1');
    m.view.open();
    expect(badge?.hidden).toBe(true);
  });
});

function queuePush(over: Record<string, unknown> = {}) {
  return {
    type: 'queue',
    data: { conversation_id: 'c-1', position: 3, expected_wait_ms: 120_000, agents_online: 2, open: true, business_hours: true, ...over },
  };
}

async function openQueued(m: ReturnType<typeof mount>) {
  const s = await openOnline(m);
  s.receive({ type: 'conversation', data: conversation('c-1', { state: 'queued' }) });
  return s;
}

describe('WidgetView queue banner', () => {
  it('shows the place in line on every push and goes when an agent takes over (zh)', async () => {
    const m = mount('zh');
    const s = await openQueued(m);
    expect(m.q('sb-queue').hidden).toBe(true);
    expect(m.q('sb-queue').getAttribute('aria-live')).toBe('polite');

    s.receive(queuePush());
    expect(m.q('sb-queue').hidden).toBe(false);
    expect(m.q('sb-queue-text').textContent).toBe('您前面还有 2 位，预计等待约 2 分钟');
    s.receive(queuePush({ position: 2, expected_wait_ms: 0 }));
    expect(m.q('sb-queue-text').textContent).toBe('您前面还有 1 位');
    s.receive(queuePush({ position: 1, expected_wait_ms: 30_000 }));
    expect(m.q('sb-queue-text').textContent).toBe('您是下一位，预计等待约 1 分钟');

    s.receive({ type: 'conversation', data: conversation('c-1', { state: 'active', assignee_name: 'Alice' }) });
    expect(m.q('sb-queue').hidden).toBe(true);
  });

  it('speaks English', async () => {
    const m = mount('en');
    const s = await openQueued(m);
    s.receive(queuePush({ position: 4, expected_wait_ms: 150_000 }));
    expect(m.q('sb-queue-text').textContent).toBe('You are number 4 in line — expected wait about 3 min');
    s.receive(queuePush({ position: 1, expected_wait_ms: 0 }));
    expect(m.q('sb-queue-text').textContent).toBe('You’re next');
  });

  it('is not shown for a push while the conversation is not queued', async () => {
    const m = mount();
    const s = await openOnline(m); // state bot
    s.receive(queuePush());
    expect(m.q('sb-queue').hidden).toBe(true);
  });
});

describe('WidgetView leave a message', () => {
  it('says nobody is online, offers the form and sends the message with left_message and contact', async () => {
    const m = mount('zh');
    const s = await openQueued(m);
    expect(m.q('sb-leave-form')).not.toBeNull();
    expect(m.q('sb-leave-form').closest('.sb-leave')?.hasAttribute('hidden')).toBe(true);
    s.receive(queuePush({ open: false, agents_online: 0, expected_wait_ms: 0 }));
    expect(m.q('sb-queue-text').textContent).toBe('当前没有客服在线');
    const form = m.q<HTMLFormElement>('sb-leave-form');
    expect(form.hidden).toBe(false);
    expect(form.closest<HTMLElement>('.sb-leave')?.hidden).toBe(false);
    expect(m.q('sb-leave-done').hidden).toBe(true);
    // The composer stays usable.
    expect(m.q<HTMLTextAreaElement>('sb-input').disabled).toBe(false);

    // Nothing to send yet.
    m.q<HTMLButtonElement>('sb-leave-submit').click();
    expect(s.all('send')).toHaveLength(0);
    expect(m.q('sb-leave-text').getAttribute('aria-invalid')).toBe('true');

    m.q<HTMLTextAreaElement>('sb-leave-text').value = '订单 SO-1 还没发货';
    m.q<HTMLInputElement>('sb-leave-contact').value = ' alice@example.com ';
    m.q<HTMLButtonElement>('sb-leave-submit').click();
    const send = s.last('send');
    const d = send.data as SendData;
    expect(d).toMatchObject({ conversation_id: 'c-1', kind: 'text', text: '订单 SO-1 还没发货', ext: { left_message: 'true', contact: 'alice@example.com' } });
    expect(d.client_msg_id).toMatch(/^[0-9a-f-]{36}$/);
    // Sent, not yet stored: no confirmation yet.
    expect(m.q('sb-leave-done').hidden).toBe(true);
    expect(m.q<HTMLButtonElement>('sb-leave-submit').disabled).toBe(true);
    expect(m.rows()[0].dataset.pending).toBe('true');

    s.receive({ type: 'ack', id: send.id, data: { conversation_id: 'c-1', client_msg_id: d.client_msg_id, seq: 5, epoch: 1, created_at: 1 } });
    expect(m.q('sb-leave-done').hidden).toBe(false);
    expect(m.q('sb-leave-done').textContent).toBe('留言已收到，客服上线后会尽快回复您');
    expect(m.q('sb-leave-form').hidden).toBe(true);
  });

  it('says it is outside business hours and leaves out an empty contact (en)', async () => {
    const m = mount('en');
    const s = await openQueued(m);
    s.receive(queuePush({ open: false, business_hours: false, expected_wait_ms: 0 }));
    expect(m.q('sb-queue-text').textContent).toBe('We’re outside business hours right now');
    m.q<HTMLTextAreaElement>('sb-leave-text').value = 'Call me back please';
    m.q<HTMLButtonElement>('sb-leave-submit').click();
    const send = s.last('send');
    const d = send.data as SendData;
    expect(d.ext).toEqual({ left_message: 'true' });
    s.receive({ type: 'ack', id: send.id, data: { conversation_id: 'c-1', client_msg_id: d.client_msg_id, seq: 5, epoch: 1, created_at: 1 } });
    expect(m.q('sb-leave-done').textContent).toBe('Message received — an agent will get back to you as soon as one is available');
  });

  it('keeps a left message typed offline and sends it after the reconnect', async () => {
    const m = mount();
    const s = await openQueued(m);
    s.receive(queuePush({ open: false }));
    s.drop();
    m.q<HTMLTextAreaElement>('sb-leave-text').value = '有人吗';
    m.q<HTMLButtonElement>('sb-leave-submit').click();
    expect(s.all('send')).toHaveLength(0);
    m.env.advance(300);
    await settle();
    const s2 = m.env.socket;
    expect(s2).not.toBe(s);
    s2.accept();
    s2.receive({ type: 'welcome', id: s2.last('hello').id, data: { session_id: 's', user: { id: 'v', role: 'customer', name: '' }, server_time: 0, heartbeat_ms: 0, conversations: [] } });
    s2.receive(queuePush({ open: false }));
    s2.receive({ type: 'conversation', id: s2.last('open').id, data: conversation('c-1', { state: 'queued' }) });
    const d = s2.last('send').data as SendData;
    expect(d).toMatchObject({ text: '有人吗', ext: { left_message: 'true' } });
    s2.receive({ type: 'ack', id: s2.last('send').id, data: { conversation_id: 'c-1', client_msg_id: d.client_msg_id, seq: 6, epoch: 1, created_at: 1 } });
    expect(m.q('sb-leave-done').hidden).toBe(false);
  });

  it('does not confirm a message the server refuses, and keeps what was typed', async () => {
    const m = mount('en');
    const s = await openQueued(m);
    s.receive(queuePush({ open: false }));
    m.q<HTMLTextAreaElement>('sb-leave-text').value = 'refused';
    m.q<HTMLInputElement>('sb-leave-contact').value = '555-0100';
    m.q<HTMLButtonElement>('sb-leave-submit').click();
    s.receive({ type: 'error', id: s.last('send').id, error: { code: 'invalid_request', message: 'bad ext', retryable: false } });
    expect(m.q('sb-leave-done').hidden).toBe(true);
    expect(m.q('sb-leave-form').hidden).toBe(false);
    expect(m.q<HTMLButtonElement>('sb-leave-submit').disabled).toBe(false);
    expect(m.q<HTMLTextAreaElement>('sb-leave-text').value).toBe('refused');
    expect(m.q<HTMLInputElement>('sb-leave-contact').value).toBe('555-0100');
    expect(m.q('sb-error').textContent).toBe('The request was invalid');
  });

  it('offers the form afresh when the conversation comes back to the queue later', async () => {
    const m = mount();
    const s = await openQueued(m);
    s.receive(queuePush({ open: false }));
    m.q<HTMLTextAreaElement>('sb-leave-text').value = '第一次留言';
    m.q<HTMLButtonElement>('sb-leave-submit').click();
    const send = s.last('send');
    const d = send.data as SendData;
    s.receive({ type: 'ack', id: send.id, data: { conversation_id: 'c-1', client_msg_id: d.client_msg_id, seq: 5, epoch: 1, created_at: 1 } });
    expect(m.q('sb-leave-done').hidden).toBe(false);
    expect(m.q<HTMLTextAreaElement>('sb-leave-text').value).toBe('');

    s.receive({ type: 'conversation', data: conversation('c-1', { state: 'active', assignee_name: 'Alice' }) });
    expect(m.q('sb-leave-done').closest<HTMLElement>('.sb-leave')?.hidden).toBe(true);
    s.receive({ type: 'conversation', data: conversation('c-1', { state: 'queued' }) });
    s.receive(queuePush({ open: false, business_hours: false }));
    expect(m.q('sb-leave-form').hidden).toBe(false);
    expect(m.q('sb-leave-done').hidden).toBe(true);
    expect(m.q('sb-queue-text').textContent).toBe('现在是非工作时间');
  });

  it('hides the form when an agent comes online', async () => {
    const m = mount();
    const s = await openQueued(m);
    s.receive(queuePush({ open: false }));
    expect(m.q('sb-leave-form').closest<HTMLElement>('.sb-leave')?.hidden).toBe(false);
    s.receive(queuePush({ open: true, position: 1 }));
    expect(m.q('sb-leave-form').closest<HTMLElement>('.sb-leave')?.hidden).toBe(true);
    expect(m.q('sb-queue-text').textContent).toBe('您是下一位，预计等待约 2 分钟');
  });
});

describe('WidgetView rating', () => {
  const stars = (m: ReturnType<typeof mount>) =>
    Array.from(m.container.querySelectorAll<HTMLButtonElement>('[data-testid="sb-rating-star"]'));

  async function openResolved(m: ReturnType<typeof mount>, over: Record<string, unknown> = {}) {
    const s = await openOnline(m);
    s.receive({ type: 'conversation', data: conversation('c-1', { state: 'resolved', ...over }) });
    return s;
  }

  it('is shown for a resolved conversation and sends the score and comment', async () => {
    const m = mount('zh');
    const s = await openOnline(m);
    expect(m.q('sb-rating').hidden).toBe(true);
    s.receive({ type: 'conversation', data: conversation('c-1', { state: 'resolved' }) });
    expect(m.q('sb-rating').hidden).toBe(false);
    expect(m.q('sb-rating-thanks').hidden).toBe(true);

    const b = stars(m);
    expect(b.map((x) => x.dataset.score)).toEqual(['1', '2', '3', '4', '5']);
    expect(b.map((x) => x.getAttribute('aria-label'))).toEqual(['1 星', '2 星', '3 星', '4 星', '5 星']);
    expect(b.every((x) => x.type === 'button')).toBe(true);
    expect(m.q<HTMLButtonElement>('sb-rating-submit').disabled).toBe(true);

    b[3].click();
    expect(b.map((x) => x.getAttribute('aria-pressed'))).toEqual(['false', 'false', 'false', 'true', 'false']);
    expect(m.q<HTMLTextAreaElement>('sb-rating-comment').maxLength).toBe(1000);
    m.q<HTMLTextAreaElement>('sb-rating-comment').value = '回复很快';
    m.q<HTMLButtonElement>('sb-rating-submit').click();
    const rate = s.last('rate');
    expect(rate.data).toEqual({ conversation_id: 'c-1', score: 4, comment: '回复很快' });
    expect(m.q<HTMLButtonElement>('sb-rating-submit').disabled).toBe(true);

    s.receive({ type: 'conversation', id: rate.id, data: conversation('c-1', { state: 'resolved', rating: 4, rating_comment: '回复很快' }) });
    expect(m.q('sb-rating').hidden).toBe(true);
    expect(m.q('sb-rating-thanks').hidden).toBe(false);
    expect(m.q('sb-rating-thanks').textContent).toBe('感谢您的评价，祝您购物愉快！');
  });

  it('shows the server error; illegal_transition ends the rating', async () => {
    const m = mount('en');
    const s = await openResolved(m);
    stars(m)[0].click();
    m.q<HTMLButtonElement>('sb-rating-submit').click();
    s.receive({ type: 'error', id: s.last('rate').id, error: { code: 'internal', message: '', retryable: true } });
    expect(m.q('sb-rating-error').hidden).toBe(false);
    expect(m.q('sb-rating-error').textContent).toBe('Server error; please try again later');
    expect(m.q<HTMLButtonElement>('sb-rating-submit').disabled).toBe(false);

    m.q<HTMLButtonElement>('sb-rating-submit').click();
    expect(s.all('rate')).toHaveLength(2);
    s.receive({ type: 'error', id: s.last('rate').id, error: { code: 'illegal_transition', message: 'too late', retryable: false } });
    expect(m.q('sb-rating-error').textContent).toBe('This conversation can no longer be rated');
    expect(m.q<HTMLButtonElement>('sb-rating-submit').disabled).toBe(true);
    expect(stars(m).every((x) => x.disabled)).toBe(true);
    expect(m.q('sb-rating-thanks').hidden).toBe(true);
  });

  it('thanks instead of asking when the conversation is already rated, and is not shown when closed', async () => {
    const m = mount('en');
    const s = await openResolved(m, { rating: 5 });
    expect(m.q('sb-rating').hidden).toBe(true);
    expect(m.q('sb-rating-thanks').hidden).toBe(false);
    expect(m.q('sb-rating-thanks').textContent).toBe('Thank you for your feedback!');

    s.receive({ type: 'conversation', data: conversation('c-1', { state: 'closed' }) });
    expect(m.q('sb-rating').hidden).toBe(true);
    expect(m.q('sb-rating-thanks').hidden).toBe(true);
  });

  it('hides the card when the customer writes again and the conversation reopens', async () => {
    const m = mount();
    const s = await openResolved(m);
    stars(m)[2].click();
    s.receive({ type: 'conversation', data: conversation('c-1', { state: 'queued' }) });
    expect(m.q('sb-rating').hidden).toBe(true);
    expect(s.all('rate')).toHaveLength(0);
  });
});

describe('WidgetView event lines', () => {
  const ev = (seq: number, event: Record<string, string>) =>
    msg(seq, { kind: 'event', sender: { role: 'system' }, event: event as never });

  it.each([
    ['zh' as Locale, ['正在为您转接其他同事，请稍候…', 'Bob 正在为您服务', '已为您转回智能助手', '感谢您的评价', '会话状态已更新']],
    ['en' as Locale, ['Transferring you to a colleague, one moment…', 'You’re now chatting with Bob', 'You’re back with the assistant', 'Thanks for your rating', 'The conversation was updated']],
  ])('translates transfers, hand back, rating and unknown events (%s)', async (locale, want) => {
    const m = mount(locale);
    const s = await openOnline(m);
    s.receive({
      type: 'history',
      id: s.last('sync').id,
      data: {
        conversation_id: 'c-1',
        epoch: 1,
        has_more: false,
        messages: [
          ev(1, { type: 'opened', to: 'bot' }),
          ev(2, { type: 'transferred', from: 'active', to: 'queued', reason: 'aftersales' }),
          ev(3, { type: 'transfer_accepted', from: 'active', to: 'active', actor: 'Bob' }),
          ev(4, { type: 'handed_back', from: 'active', to: 'bot' }),
          ev(5, { type: 'rated', from: 'resolved', to: 'resolved', reason: '5' }),
          ev(6, { type: 'teleported', from: 'active', to: 'active' }),
          ev(7, { type: 'offer_expired' }),
        ],
      },
    });
    const rows = m.rows();
    expect(rows.map((r) => r.dataset.seq)).toEqual(['2', '3', '4', '5', '6']);
    expect(rows.map((r) => r.textContent)).toEqual(want);
    expect(rows.every((r) => r.dataset.role === 'system')).toBe(true);
  });
});

describe('WidgetView bot feedback', () => {
  const fb = (row: HTMLElement) => row.querySelector<HTMLElement>('[data-testid="sb-feedback"]');
  const up = (row: HTMLElement) => row.querySelector<HTMLButtonElement>('[data-testid="sb-feedback-up"]')!;
  const down = (row: HTMLElement) => row.querySelector<HTMLButtonElement>('[data-testid="sb-feedback-down"]')!;

  async function withAnswers(locale: Locale) {
    const m = mount(locale);
    const s = await openOnline(m);
    s.receive({ type: 'message', data: msg(2, { text: '满99包邮。', ext: { kb_entry: 'shipping-fee' } }) });
    s.receive({ type: 'message', data: msg(3, { text: '您好' }) });
    s.receive({
      type: 'message',
      data: msg(4, { text: '我来帮您', sender: { role: 'agent', id: 'u-a', name: 'Alice' }, ext: { kb_entry: 'shipping-fee' } }),
    });
    const rows = m.rows();
    return { m, s, answer: rows[0], plain: rows[1], agent: rows[2] };
  }

  it('asks under a bot answer from the knowledge base only, and sends the verdict', async () => {
    const { m, s, answer, plain, agent } = await withAnswers('zh');
    expect(fb(plain)).toBeNull();
    expect(fb(agent)).toBeNull();
    const f = fb(answer)!;
    expect(f.dataset.state).toBe('ask');
    expect(f.getAttribute('role')).toBe('group');
    expect(f.textContent).toContain('这个回答有帮助吗？');
    expect(up(answer).getAttribute('aria-label')).toBe('有帮助');
    expect(down(answer).getAttribute('aria-label')).toBe('没有帮助');
    expect(up(answer).type).toBe('button');

    down(answer).click();
    const sent = s.last('bot_feedback');
    expect(sent.data).toEqual({ conversation_id: 'c-1', seq: 2, helpful: false });
    expect(f.dataset.state).toBe('sending');
    expect(down(answer).getAttribute('aria-pressed')).toBe('true');

    s.receive({ type: 'bot_feedback', id: sent.id, data: { conversation_id: 'c-1', seq: 2, helpful: false } });
    expect(f.dataset.state).toBe('done');
    expect(f.querySelector('.sb-feedback-text')!.textContent).toBe('感谢反馈');
    // Remembered for the message while the page lives, across re-renders.
    s.receive({ type: 'message', data: msg(5, { text: '还有问题吗？' }) });
    expect(fb(m.rows()[0])!.dataset.state).toBe('done');

    // A second click changes the verdict.
    up(answer).click();
    const again = s.last('bot_feedback');
    expect(again.data).toEqual({ conversation_id: 'c-1', seq: 2, helpful: true });
    s.receive({ type: 'bot_feedback', id: again.id, data: { conversation_id: 'c-1', seq: 2, helpful: true } });
    expect(f.dataset.helpful).toBe('true');
    expect(up(answer).getAttribute('aria-pressed')).toBe('true');
    expect(down(answer).getAttribute('aria-pressed')).toBe('false');
  });

  it('speaks English, and says when the verdict was not sent', async () => {
    const { s, answer } = await withAnswers('en');
    const f = fb(answer)!;
    expect(f.textContent).toContain('Was this helpful?');
    expect(up(answer).getAttribute('aria-label')).toBe('Helpful');
    up(answer).click();
    s.receive({ type: 'error', id: s.last('bot_feedback').id, error: { code: 'internal', message: '', retryable: true } });
    expect(f.dataset.state).toBe('failed');
    expect(f.textContent).toContain('Your feedback was not sent; please try again');
    expect(up(answer).getAttribute('aria-pressed')).toBe('false');

    up(answer).click();
    const sent = s.last('bot_feedback');
    s.receive({ type: 'bot_feedback', id: sent.id, data: sent.data });
    expect(f.textContent).toContain('Thanks for your feedback');
  });

  it('fails a verdict whose answer was lost with the connection', async () => {
    const { s, answer } = await withAnswers('en');
    down(answer).click();
    s.drop();
    expect(fb(answer)!.dataset.state).toBe('failed');
  });
});

describe('WidgetView transcript export', () => {
  /** exportFake records the transcript requests and answers them in turn. */
  function exportFake(answers: Array<() => Response> = []) {
    const calls: Array<{ url: string; method: string; auth: string; body: unknown }> = [];
    const saved: string[] = [];
    const env: ExportEnv = {
      fetch: async (url, init) => {
        const h = init.headers as Record<string, string>;
        calls.push({ url, method: init.method ?? 'GET', auth: h.Authorization ?? '', body: init.body ? JSON.parse(String(init.body)) : null });
        const next = answers.shift();
        return next
          ? next()
          : new Response('text', { status: 200, headers: { 'Content-Disposition': 'attachment; filename="transcript-20260301-c1.txt"' } });
      },
      save: (_b, name) => saved.push(name),
    };
    return { env, calls, saved };
  }

  async function online(m: ReturnType<typeof mount>, transcriptEmail: boolean) {
    m.q<HTMLButtonElement>('sb-launcher').click();
    await settle();
    const s = m.env.socket;
    s.accept();
    s.receive({
      type: 'welcome',
      id: s.last('hello').id,
      data: { session_id: 's', user: { id: 'v', role: 'customer', name: '' }, server_time: 0, heartbeat_ms: 0, conversations: [], transcript_email: transcriptEmail },
    });
    s.receive({ type: 'conversation', id: s.last('open').id, data: conversation('c-1') });
    return s;
  }

  it('appears once the conversation has a message and downloads in the widget’s language', async () => {
    const fake = exportFake();
    const m = mount('zh', fake.env);
    const s = await online(m, false);
    expect(m.q('sb-transcript-menu').hidden).toBe(true);
    s.receive({ type: 'message', data: msg(1, { text: '你好' }) });
    const btn = m.q<HTMLButtonElement>('sb-transcript-menu');
    expect(btn.hidden).toBe(false);
    expect(btn.getAttribute('aria-label')).toBe('聊天记录');
    btn.click();
    expect(m.q('sb-transcript-panel').hidden).toBe(false);
    // No SMTP on the server: no email form.
    expect(m.q('sb-transcript-email').hidden).toBe(true);
    expect(m.q('sb-transcript-download-text').textContent).toBe('下载聊天记录（文本）');
    m.q<HTMLButtonElement>('sb-transcript-download-text').click();
    await settle();
    expect(fake.calls).toEqual([
      { url: 'http://127.0.0.1:8080/api/v1/conversations/c-1/transcript?format=text&lang=zh', method: 'GET', auth: 'Bearer tok-1', body: null },
    ]);
    expect(fake.saved).toEqual(['transcript-20260301-c1.txt']);
    expect(m.q('sb-transcript-status').textContent).toBe('聊天记录已下载');
  });

  it('emails to a checked address when the server sends email', async () => {
    const fake = exportFake([
      () => new Response('{"to":"a@example.org"}', { status: 200 }),
      () => new Response('{"error":{"code":"rate_limited"}}', { status: 429 }),
    ]);
    const m = mount('en', fake.env);
    const s = await online(m, true);
    s.receive({ type: 'message', data: msg(1, { text: 'hi' }) });
    m.q<HTMLButtonElement>('sb-transcript-menu').click();
    expect(m.q('sb-transcript-email').hidden).toBe(false);
    const address = m.q<HTMLInputElement>('sb-transcript-email-address');
    const send = m.q<HTMLButtonElement>('sb-transcript-email-send');
    expect(send.textContent).toBe('Send email');

    address.value = 'not an address\r\nBcc: x@example.org';
    address.dispatchEvent(new Event('input'));
    send.click();
    await settle();
    expect(fake.calls).toHaveLength(0);
    expect(m.q('sb-transcript-status').textContent).toBe('Please enter a valid email address');

    address.value = 'a@example.org';
    send.click();
    await settle();
    expect(fake.calls).toEqual([
      { url: 'http://127.0.0.1:8080/api/v1/conversations/c-1/transcript/email', method: 'POST', auth: 'Bearer tok-1', body: { lang: 'en', to: 'a@example.org' } },
    ]);
    expect(m.q('sb-transcript-status').textContent).toBe('Transcript sent to a@example.org');

    send.click();
    await settle();
    expect(m.q('sb-transcript-status').textContent).toBe(STRINGS.en.errors.rate_limited);
  });
});
