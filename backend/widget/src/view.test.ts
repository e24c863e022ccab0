import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient } from './client';
import { STRINGS, type Locale } from './i18n';
import type { SendData } from './protocol';
import { conversation, FakeEnv, msg, settle } from './testutil';
import { WidgetView } from './view';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup) fn();
  cleanup = [];
});

function mount(locale: Locale = 'zh') {
  const env = new FakeEnv();
  const client = new ChatClient({ server: 'http://127.0.0.1:8080', ext: {}, locale }, env);
  const container = document.createElement('div');
  document.body.appendChild(container);
  const view = new WidgetView(client, {
    strings: STRINGS[locale],
    locale,
    container,
    onFirstOpen: () => client.start(),
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
    expect(m.container.querySelector('img')).toBeNull();
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
