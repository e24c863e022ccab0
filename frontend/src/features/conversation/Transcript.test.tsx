import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../api/types';
import { I18nProvider } from '../../i18n';
import { pending, sent } from '../../test/fakeWails';
import { Transcript } from './Transcript';

function renderTranscript(messages: Message[], lang: 'en' | 'zh-CN' = 'en') {
  return render(
    <I18nProvider lang={lang}>
      <Transcript messages={messages} myId="u_alice" />
    </I18nProvider>,
  );
}

describe('Transcript', () => {
  it('renders markup in message text as text', () => {
    const script = '<script>window.__pwned = 1</script>';
    const img = '<img src=x onerror="window.__pwned = 2">';
    const { container } = renderTranscript([sent('c1', 1, script), sent('c1', 2, img)]);
    const t = screen.getByTestId('transcript');
    expect(t).toHaveTextContent(script);
    expect(t).toHaveTextContent(img);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('links http(s) URLs safely and leaves other schemes as text', () => {
    renderTranscript([
      sent('c1', 1, 'see https://shop.example.com/help?q=1. or javascript:alert(1) now'),
    ]);
    const links = screen.getAllByRole('link');
    expect(links).toHaveLength(1);
    expect(links[0]).toHaveAttribute('href', 'https://shop.example.com/help?q=1');
    expect(links[0]).toHaveAttribute('target', '_blank');
    expect(links[0]).toHaveAttribute('rel', 'noopener noreferrer');
    expect(screen.getByTestId('transcript')).toHaveTextContent('javascript:alert(1) now');
  });

  it('marks pending messages and shows roles and seqs', () => {
    renderTranscript([
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

  it('marks a message the server refused', () => {
    render(
      <I18nProvider lang="en">
        <Transcript
          messages={[pending('c1', 'p1', 'nope')]}
          failed={{ p1: { code: 'text_too_long', message: 'too long' } }}
        />
      </I18nProvider>,
    );
    const m = screen.getByTestId('msg');
    expect(m).toHaveAttribute('data-pending', 'false');
    expect(m).toHaveAttribute('data-failed', 'true');
    expect(m).toHaveTextContent('Not sent: The message is too long');
  });

  it('translates system events', () => {
    const ev = (seq: number, event: Message['event']): Message => ({
      ...sent('c1', seq, ''),
      sender: { role: 'system' },
      kind: 'event',
      event,
    });
    renderTranscript(
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
    expect(t).toHaveTextContent('已转接人工客服 · customer asked for an agent');
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
  ] as const)('words the offer and transfer events in %s', (lang, want) => {
    const ev = (seq: number, event: Message['event'], visibility = 'internal'): Message => ({
      ...sent('c1', seq, ''),
      sender: { role: 'system' },
      kind: 'event',
      visibility,
      event,
    });
    renderTranscript(
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

  it('marks internal notes as visible to agents only', () => {
    renderTranscript([
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
