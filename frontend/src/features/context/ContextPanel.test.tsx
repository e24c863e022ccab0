import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../i18n';
import type { Message } from '../../api/types';
import { App } from '../../App';
import { conversation, installFakeWails, sent, signedInBoot } from '../../test/fakeWails';
import { settleVirtuoso } from '../../test/virtuoso';
import { ContextDetails } from './ContextPanel';
import { mergeMessageExt } from './messageExt';

/** A customer message carrying business fields. */
function withExt(seq: number, ext: Record<string, string>, role = 'customer'): Message {
  return { ...sent('c1', seq, `message ${seq}`, role), ext };
}

/** The message-level fields as [key, label, newest value, earlier values]. */
function messageFields() {
  return screen
    .getAllByTestId('ctx-field')
    .filter((f) => f.dataset.group === 'message-ext')
    .map((f) => [
      f.dataset.key,
      f.querySelector('dt')?.textContent,
      f.querySelector('dd .ctx-mention-value')?.textContent,
      [...f.querySelectorAll('[data-testid="ctx-earlier"] .ctx-mention-value')].map(
        (e) => e.textContent,
      ),
    ]);
}

describe('ContextPanel', () => {
  it('lists every ext field with translated labels for known keys', () => {
    const conv = conversation({
      handoff_reason: 'customer asked for an agent',
      ext: {
        source: 'https://shop.example.com/orders/1',
        order_no: 'SO-1',
        user_id: 'u-9',
        ticket_no: 'T-3',
        coupon: '<b>SPRING</b>',
      },
    });
    render(
      <I18nProvider lang="zh-CN">
        <ContextDetails conv={conv} />
      </I18nProvider>,
    );
    const ext = screen
      .getAllByTestId('ctx-field')
      .filter((f) => f.dataset.group === 'ext')
      .map((f) => [
        f.dataset.key,
        f.querySelector('dt .ctx-label-text')?.textContent,
        f.querySelector('dd')?.textContent,
      ]);
    expect(ext).toEqual([
      ['source', '来源页面', 'https://shop.example.com/orders/1'],
      ['order_no', '订单号', 'SO-1'],
      ['user_id', '用户 ID', 'u-9'],
      ['ticket_no', '工单号', 'T-3'],
      ['coupon', 'coupon', '<b>SPRING</b>'],
    ]);
    const field = (key: string) =>
      screen.getAllByTestId('ctx-field').find((f) => f.dataset.key === key);
    expect(field('handoff_reason')).toHaveTextContent('客户要求人工');
    expect(field('team')).toHaveTextContent('售前');
    expect(field('customer_name')).toHaveTextContent('Customer One');
    expect(screen.getByRole('link')).toHaveAttribute('href', 'https://shop.example.com/orders/1');
  });

  it('marks verified fields and shows the page’s as unverified, the verified value winning', () => {
    const conv = conversation({
      ext: { order_no: 'FORGED', source: '/cart', vip: 'true' },
      verified: { user_id: 'u-1001', order_no: 'SO-7' },
    });
    render(
      <I18nProvider lang="en">
        <ContextDetails conv={conv} />
      </I18nProvider>,
    );
    const rows = screen
      .getAllByTestId('ctx-field')
      .filter((f) => f.dataset.group === 'ext')
      .map((f) => [
        f.dataset.key,
        f.querySelector('dd')?.textContent,
        f.querySelector('[data-testid="ctx-verified"]')
          ? 'verified'
          : f.querySelector('[data-testid="ctx-unverified"]')
            ? 'unverified'
            : '?',
      ]);
    expect(rows).toEqual([
      ['source', '/cart', 'unverified'],
      ['order_no', 'SO-7', 'verified'],
      ['user_id', 'u-1001', 'verified'],
      ['vip', 'true', 'unverified'],
    ]);
    const name = screen.getAllByTestId('ctx-field').find((f) => f.dataset.key === 'customer_name');
    expect(name?.querySelector('[data-testid="ctx-verified"]')).toHaveTextContent('✓ verified');
  });

  it('shows an anonymous visitor’s fields as unverified, the name without a mark', () => {
    render(
      <I18nProvider lang="zh-CN">
        <ContextDetails conv={conversation({ ext: { user_id: 'u-1001' } })} />
      </I18nProvider>,
    );
    expect(screen.getByTestId('ctx-unverified')).toHaveTextContent('未验证');
    expect(screen.queryByTestId('ctx-verified')).toBeNull();
  });

  it('merges the business fields of the loaded messages, newest value first, with earlier ones', () => {
    const messages = [
      withExt(1, { order_no: 'SO-1', utm_campaign: 'spring' }),
      { ...sent('c1', 2, 'hello'), kind: 'event', ext: { order_no: 'ignored' } },
      withExt(3, { kb_entry: 'shipping' }, 'bot'),
      withExt(4, { order_no: 'SO-2', contact: 'https://wa.me/123' }),
      withExt(5, { order_no: 'SO-1', left_message: 'true', note: '<img src=x onerror=alert(1)>' }),
    ];
    render(
      <I18nProvider lang="en">
        <ContextDetails conv={conversation({ ext: { source: '/cart' } })} messages={messages} />
      </I18nProvider>,
    );
    // Known keys first, translated; custom keys as they are; bot-internal keys hidden.
    expect(messageFields()).toEqual([
      ['order_no', 'Order no.', 'SO-1', ['SO-2']],
      ['left_message', 'Left a message', 'Yes', []],
      ['contact', 'Contact', 'https://wa.me/123', []],
      ['note', 'note', '<img src=x onerror=alert(1)>', []],
      ['utm_campaign', 'utm_campaign', 'spring', []],
    ]);
    // The page's fields stay in their own section.
    const page = screen.getAllByTestId('ctx-field').filter((f) => f.dataset.group === 'ext');
    expect(page.map((f) => f.dataset.key)).toEqual(['source']);
    // Each value says when its message was written: SO-1 counts from its repeat.
    const order = screen
      .getAllByTestId('ctx-field')
      .find((f) => f.dataset.group === 'message-ext' && f.dataset.key === 'order_no')!;
    const times = [...order.querySelectorAll('time')].map((t) => t.getAttribute('datetime'));
    expect(times).toEqual([
      new Date(1_700_000_005_000).toISOString(),
      new Date(1_700_000_004_000).toISOString(),
    ]);
    // URLs are links; markup stays text.
    expect(screen.getByRole('link', { name: 'https://wa.me/123' })).toHaveAttribute(
      'href',
      'https://wa.me/123',
    );
    expect(document.querySelector('img')).toBeNull();
  });

  it('shows no message section when no message carried business fields', () => {
    render(
      <I18nProvider lang="zh-CN">
        <ContextDetails conv={conversation()} messages={[sent('c1', 1, 'hi')]} />
      </I18nProvider>,
    );
    expect(screen.queryByTestId('ctx-message-ext')).toBeNull();
    expect(screen.getByText('页面未传入任何信息。')).toBeInTheDocument();
  });

  it('labels message fields in Chinese', () => {
    render(
      <I18nProvider lang="zh-CN">
        <ContextDetails
          conv={conversation()}
          messages={[withExt(1, { ticket_no: 'T-1' }), withExt(2, { ticket_no: 'T-2' })]}
        />
      </I18nProvider>,
    );
    expect(screen.getByText('消息中的信息')).toBeInTheDocument();
    expect(messageFields()).toEqual([['ticket_no', '工单号', 'T-2', ['T-1']]]);
    expect(screen.getByRole('list', { name: '之前的值' })).toBeInTheDocument();
  });
});

describe('ContextPanel jumps', () => {
  it('shows the message a field came from when its time is chosen', () => {
    const onJump = vi.fn();
    render(
      <I18nProvider lang="en">
        <ContextDetails
          conv={conversation()}
          messages={[withExt(1, { order_no: 'SO-1' }), withExt(2, { order_no: 'SO-2' })]}
          onJump={onJump}
        />
      </I18nProvider>,
    );
    const [newest, earlier] = screen.getAllByTestId('ctx-mention-jump');
    expect(newest).toHaveAccessibleName(/^Show the message of /);
    fireEvent.click(earlier!);
    fireEvent.click(newest!);
    expect(onJump.mock.calls).toEqual([[1], [2]]);
  });

  it('highlights that message in the open transcript', async () => {
    const conv = conversation({ state: 'active', assignee_id: 'u_alice', last_seq: 3 });
    installFakeWails({
      Bootstrap: () => Promise.resolve(signedInBoot()),
      ListConversations: (filter) => Promise.resolve(filter === 'mine' ? [conv] : []),
      Transcript: () =>
        Promise.resolve([
          withExt(1, { order_no: 'SO-1' }),
          sent('c1', 2, 'and another'),
          withExt(3, { order_no: 'SO-2' }),
        ]),
    });
    render(<App lang="en" />);
    fireEvent.click(await screen.findByTestId('conv-item'));
    const panel = screen.getByTestId('context-panel');
    await waitFor(() => expect(within(panel).getAllByTestId('ctx-mention-jump')).toHaveLength(2));
    await settleVirtuoso();
    fireEvent.click(within(panel).getAllByTestId('ctx-mention-jump')[1]!);
    const row = () =>
      screen
        .getAllByTestId('msg')
        .find((m) => m.dataset.seq === '1')
        ?.closest('.transcript-row');
    await waitFor(() => expect(row()).toHaveAttribute('data-flash', 'true'));
  });
});

describe('mergeMessageExt', () => {
  it('keeps each distinct value once, at its latest mention, newest first', () => {
    const got = mergeMessageExt([
      withExt(1, { order_no: 'A' }),
      withExt(2, { order_no: 'B' }),
      withExt(3, { order_no: 'A' }),
      withExt(4, { order_no: 'C', blank: ' ' }),
    ]);
    expect(got).toEqual([
      {
        key: 'order_no',
        value: 'C',
        seq: 4,
        at: 1_700_000_004_000,
        earlier: [
          { value: 'A', seq: 3, at: 1_700_000_003_000 },
          { value: 'B', seq: 2, at: 1_700_000_002_000 },
        ],
      },
    ]);
  });
});
