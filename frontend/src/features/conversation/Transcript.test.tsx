import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Message } from '../../api/types';
import { I18nProvider } from '../../i18n';
import { pending, sent } from '../../test/fakeWails';
import { settleVirtuoso } from '../../test/virtuoso';
import { Transcript } from './Transcript';

async function renderTranscript(messages: Message[], lang: 'en' | 'zh-CN' = 'en') {
  const r = render(
    <I18nProvider lang={lang}>
      <Transcript messages={messages} myId="u_alice" />
    </I18nProvider>,
  );
  await settleVirtuoso();
  return r;
}

describe('Transcript', () => {
  it('draws the newest rows at once while the list positions itself', async () => {
    // jsdom lays nothing out: give the transcript a height, as a window would.
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
    const messages = Array.from({ length: 50 }, (_, i) => sent('c1', i + 1, `message ${i + 1}`));
    render(
      <I18nProvider lang="en">
        <Transcript messages={messages} myId="u_alice" />
      </I18nProvider>,
    );
    const tail = screen.getByTestId('transcript-tail');
    expect(tail).toHaveAttribute('aria-hidden', 'true');
    const seqs = within(tail)
      .getAllByTestId('msg')
      .map((m) => Number(m.dataset.seq));
    expect(seqs.at(-1)).toBe(50);
    expect(seqs.length).toBeLessThan(50);
    expect(seqs).toEqual(seqs.map((_, i) => 50 - seqs.length + 1 + i));
  });

  it('draws no such rows without layout', async () => {
    await renderTranscript([sent('c1', 1, 'hi'), sent('c1', 2, 'hello')]);
    expect(screen.queryByTestId('transcript-tail')).toBeNull();
  });

  it('renders markup in message text as text', async () => {
    const script = '<script>window.__pwned = 1</script>';
    const img = '<img src=x onerror="window.__pwned = 2">';
    const { container } = await renderTranscript([sent('c1', 1, script), sent('c1', 2, img)]);
    const t = screen.getByTestId('transcript');
    expect(t).toHaveTextContent(script);
    expect(t).toHaveTextContent(img);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('links http(s) URLs safely and leaves other schemes as text', async () => {
    await renderTranscript([
      sent('c1', 1, 'see https://shop.example.com/help?q=1. or javascript:alert(1) now'),
    ]);
    const links = screen.getAllByRole('link');
    expect(links).toHaveLength(1);
    expect(links[0]).toHaveAttribute('href', 'https://shop.example.com/help?q=1');
    expect(links[0]).toHaveAttribute('target', '_blank');
    expect(links[0]).toHaveAttribute('rel', 'noopener noreferrer');
    expect(screen.getByTestId('transcript')).toHaveTextContent('javascript:alert(1) now');
  });

  it('marks pending messages and shows roles and seqs', async () => {
    await renderTranscript([
      sent('c1', 1, 'hi'),
      sent('c1', 2, 'hello', 'bot'),
      pending('c1', 'p1', 'on its way'),
    ]);
    const msgs = screen.getAllByTestId('msg');
    expect(msgs.map((m) => [m.dataset.seq, m.dataset.role, m.dataset.pending])).toEqual([
      ['1', 'customer', 'false'],
      ['2', 'bot', 'false'],
      ['0', 'agent', 'true'],
    ]);
    expect(within(msgs[2]!).getByText('Sending…')).toBeInTheDocument();
  });

  it('marks a message the server refused', async () => {
    render(
      <I18nProvider lang="en">
        <Transcript
          messages={[pending('c1', 'p1', 'nope')]}
          failed={{ p1: { code: 'text_too_long', message: 'too long' } }}
        />
      </I18nProvider>,
    );
    await settleVirtuoso();
    const m = screen.getByTestId('msg');
    expect(m).toHaveAttribute('data-pending', 'false');
    expect(m).toHaveAttribute('data-failed', 'true');
    expect(m).toHaveTextContent('Not sent: The message is too long');
  });

  it('translates system events', async () => {
    const ev = (seq: number, event: Message['event']): Message => ({
      ...sent('c1', seq, ''),
      sender: { role: 'system' },
      kind: 'event',
      event,
    });
    await renderTranscript(
      [
        ev(1, { type: 'handoff', reason: 'customer asked for an agent' }),
        ev(2, { type: 'assigned', actor: 'Alice' }),
        ev(3, { type: 'resolved', actor: 'Alice' }),
        ev(4, { type: 'waiting' }),
        ev(5, { type: 'resolved', reason: 'no_reply' }),
        ev(6, { type: 'reopened' }),
        ev(7, { type: 'closed' }),
      ],
      'zh-CN',
    );
    const t = screen.getByTestId('transcript');
    expect(t).toHaveTextContent('已转接人工客服 · 客户要求人工');
    expect(t).toHaveTextContent('Alice 接入了会话');
    expect(t).toHaveTextContent('Alice 已解决该会话');
    expect(t).toHaveTextContent('等待客户回复');
    expect(t).toHaveTextContent('客户长时间未回复，会话已自动解决');
    expect(t).toHaveTextContent('客户再次来信，会话已重新打开');
    expect(t).toHaveTextContent('会话已关闭');
    expect(t).not.toHaveTextContent('会话状态变更');
  });

  it.each([
    [
      'en',
      [
        'Offered to Alice',
        'Bob declined',
        'Offer expired',
        'Transfer to Bob requested',
        'Bob took over',
        'Customer rated 5/5',
        'Transferred to team After-sales',
        'Handed back to the bot',
      ],
    ],
    [
      'zh-CN',
      [
        '已分配给 Alice',
        'Bob 拒绝了',
        '分配已超时',
        '已请求转接给 Bob',
        'Bob 接手了会话',
        '客户评分 5/5',
        '已转接至售后组',
        '已交还机器人',
      ],
    ],
  ] as const)('words the offer and transfer events in %s', async (lang, want) => {
    const ev = (seq: number, event: Message['event'], visibility = 'internal'): Message => ({
      ...sent('c1', seq, ''),
      sender: { role: 'system' },
      kind: 'event',
      visibility,
      event,
    });
    await renderTranscript(
      [
        ev(1, { type: 'offered', reason: 'Alice' }),
        ev(2, { type: 'declined', actor: 'Bob' }),
        ev(3, { type: 'offer_expired' }),
        ev(4, { type: 'transfer_requested', reason: 'Bob', actor: 'Alice' }),
        ev(5, { type: 'transfer_accepted', actor: 'Bob' }, 'public'),
        ev(6, { type: 'rated', reason: '5' }, 'public'),
        ev(7, { type: 'transferred', reason: 'aftersales', actor: 'Bob' }, 'public'),
        ev(8, { type: 'handed_back', actor: 'Bob' }, 'public'),
      ],
      lang,
    );
    const lines = screen
      .getAllByTestId('msg')
      .map((m) => m.querySelector('.event-text')?.textContent);
    expect(lines).toEqual(want);
    const internal = screen
      .getAllByTestId('msg')
      .map((m) => m.classList.contains('event-internal'));
    expect(internal).toEqual([true, true, true, true, false, false, false, false]);
  });

  it('marks internal notes as visible to agents only', async () => {
    await renderTranscript([
      sent('c1', 1, 'hello'),
      { ...sent('c1', 2, 'VIP, wants a refund', 'agent'), visibility: 'internal' },
    ]);
    const [pub, note] = screen.getAllByTestId('msg');
    expect(pub).toHaveAttribute('data-visibility', 'public');
    expect(within(pub!).queryByTestId('msg-internal')).toBeNull();
    expect(note).toHaveAttribute('data-visibility', 'internal');
    expect(note).toHaveClass('msg-internal');
    expect(within(note!).getByTestId('msg-internal')).toHaveTextContent(
      'Internal note · Only agents see this',
    );
  });
});

describe('Transcript at scale and over days', () => {
  const DAY = 24 * 3600_000;
  const at = (m: Message, created_at: number): Message => ({ ...m, created_at });

  it('renders only a window of a 10,000-message transcript, ending at the newest', async () => {
    const now = Date.now();
    const messages = Array.from({ length: 10_000 }, (_, i) =>
      at(sent('c1', i + 1, `message ${i + 1}`), now - (10_000 - i) * 1000),
    );
    await renderTranscript(messages);
    const shown = screen.getAllByTestId('msg');
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(200);
    expect(shown.at(-1)).toHaveAttribute('data-seq', '10000');
    expect(screen.queryByText('message 1')).toBeNull();
  });

  it('separates days with Today, Yesterday and dates', async () => {
    const now = Date.now();
    const today = new Date(now);
    today.setHours(12, 0, 0, 0);
    const noon = today.getTime();
    await renderTranscript([
      at(sent('c1', 1, 'last year'), noon - 400 * DAY),
      at(sent('c1', 2, 'yesterday'), noon - DAY),
      at(sent('c1', 3, 'yesterday again'), noon - DAY + 60_000),
      at(sent('c1', 4, 'today'), noon),
    ]);
    const seps = screen.getAllByTestId('date-sep');
    expect(seps).toHaveLength(3);
    expect(seps[0]!.textContent).toMatch(String(new Date(noon - 400 * DAY).getFullYear()));
    expect(seps[1]).toHaveTextContent('Yesterday');
    expect(seps[2]).toHaveTextContent('Today');
  });

  it('words the days in Chinese', async () => {
    const now = Date.now();
    await renderTranscript(
      [at(sent('c1', 1, '昨天的'), now - 24 * 3600_000), at(sent('c1', 2, '今天的'), now)],
      'zh-CN',
    );
    expect(screen.getAllByTestId('date-sep').map((s) => s.textContent)).toEqual(['昨天', '今天']);
  });

  it('shows the delivery state of my messages: pending, sent, read, failed', async () => {
    render(
      <I18nProvider lang="en">
        <Transcript
          myId="u_alice"
          customerReadSeq={3}
          messages={[
            sent('c1', 1, 'question'),
            sent('c1', 2, 'read answer', 'agent'),
            { ...sent('c1', 3, 'a note', 'agent'), visibility: 'internal' },
            sent('c1', 4, 'unread answer', 'agent'),
            pending('c1', 'p1', 'on its way'),
            pending('c1', 'p2', 'refused'),
          ]}
          failed={{ p2: { code: 'forbidden', message: 'no' } }}
        />
      </I18nProvider>,
    );
    await settleVirtuoso();
    const states = screen
      .getAllByTestId('msg')
      .map((m) => [
        m.textContent?.includes('question') ? 'customer' : m.dataset.seq,
        within(m).queryByTestId('msg-state')?.dataset.state ?? null,
      ]);
    expect(states).toEqual([
      ['customer', null],
      ['2', 'read'],
      ['3', 'sent'], // the customer never reads a note
      ['4', 'sent'],
      ['0', 'pending'],
      ['0', null], // failed: the error says so
    ]);
    expect(within(screen.getAllByTestId('msg')[1]!).getByTestId('msg-state')).toHaveAttribute(
      'title',
      'Read by the customer',
    );
  });

  it('says when older messages load, shows them above, and where the start is', async () => {
    const onLoadOlder = vi.fn();
    const msgs = [sent('c1', 201, 'a'), sent('c1', 202, 'b')];
    const { rerender } = render(
      <I18nProvider lang="en">
        <Transcript messages={msgs} hasMore onLoadOlder={onLoadOlder} />
      </I18nProvider>,
    );
    await settleVirtuoso();
    expect(screen.queryByText('Start of the conversation')).toBeNull();

    rerender(
      <I18nProvider lang="en">
        <Transcript messages={msgs} hasMore older="loading" onLoadOlder={onLoadOlder} />
      </I18nProvider>,
    );
    expect(screen.getByTestId('older-loading')).toHaveTextContent('Loading earlier messages');

    const older = [sent('c1', 200, 'older'), ...msgs];
    rerender(
      <I18nProvider lang="en">
        <Transcript messages={older} hasMore={false} onLoadOlder={onLoadOlder} />
      </I18nProvider>,
    );
    await settleVirtuoso();
    expect(screen.getAllByTestId('msg').map((m) => m.dataset.seq)).toEqual(['200', '201', '202']);
    expect(screen.getByText('Start of the conversation')).toBeInTheDocument();
  });

  it('reports the newest message as seen while at the bottom', async () => {
    const onSeen = vi.fn();
    render(
      <I18nProvider lang="en">
        <Transcript messages={[sent('c1', 1, 'a'), sent('c1', 2, 'b')]} onSeen={onSeen} />
      </I18nProvider>,
    );
    await settleVirtuoso();
    expect(onSeen).toHaveBeenLastCalledWith(2);
  });
});
