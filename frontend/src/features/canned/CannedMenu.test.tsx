import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ApiError } from '../../api';
import type { FileBindings } from '../../api/files';
import type { SharedCanned } from '../../api/types';
import { I18nProvider, type Lang } from '../../i18n';
import { installFakeWails } from '../../test/fakeWails';
import { Composer } from '../conversation/Composer';
import { emptyDraft, type Draft } from '../conversation/drafts';
import { cannedContext, filterCanned, mergeCanned } from './model';

const shared = (
  over: Partial<SharedCanned> & Pick<SharedCanned, 'id' | 'shortcut'>,
): SharedCanned => ({
  team: '',
  title: '',
  text: { zh: '', en: '' },
  updated_by: 'Sam',
  updated_at: 1,
  ...over,
});

const greeting = shared({
  id: 'g1',
  shortcut: 'hi',
  title: 'Greeting',
  text: {
    zh: '{customer.name}您好，我是{agent.name}。',
    en: 'Hello {customer.name}, I am {agent.name}.',
  },
});
const refund = shared({
  id: 'a1',
  team: 'aftersales',
  shortcut: 'refund',
  title: 'Refund started',
  text: {
    zh: '已为订单 {order_no} 发起退款。',
    en: 'I have started the refund for order {order_no}.',
  },
});
const both = shared({
  id: 'a2',
  team: 'aftersales',
  shortcut: 'address',
  title: 'Check the address',
  text: {
    zh: '订单 {order_no} 寄往 {ext.city}，对吗？',
    en: 'Order {order_no} goes to {ext.city}, right?',
  },
});

const personal = [{ shortcut: 'thanks', text: 'Thank you, bye.', text_zh: '谢谢，再见。' }];

interface Setup {
  lang?: Lang;
  ext?: Record<string, string>;
  list?: SharedCanned[];
  /** The first list fails, as when the connection is not up yet. */
  firstFails?: boolean;
}

function setup({
  lang = 'en',
  ext = { order_no: 'A-1001' },
  list = [greeting, refund],
  firstFails = false,
}: Setup = {}) {
  const fake = installFakeWails({ CannedList: () => Promise.resolve({ responses: list }) });
  if (firstFails) fake.app.CannedList.mockRejectedValueOnce('unavailable: offline');
  const CannedResponses = vi.fn<FileBindings['CannedResponses']>(() => Promise.resolve(personal));
  Object.assign(window.go!.app!.App!, { CannedResponses, ListUploads: () => Promise.resolve([]) });
  const onSend = vi.fn<(t: string) => Promise<ApiError | null>>(() => Promise.resolve(null));
  const ctx = cannedContext({ customer_name: '王先生', ext }, 'Alice');
  function Harness() {
    const [draft, setDraft] = useState<Draft>(emptyDraft);
    return (
      <I18nProvider lang={lang}>
        <Composer
          disabledReason={null}
          customerName="王先生"
          draft={draft}
          onDraft={setDraft}
          onSend={onSend}
          onSendNote={() => Promise.resolve(null)}
          onError={() => {}}
          conversationId="c1"
          canned={ctx}
        />
      </I18nProvider>
    );
  }
  render(<Harness />);
  const input = screen.getByTestId<HTMLTextAreaElement>('composer-input');
  return { fake, onSend, input, CannedResponses };
}

const shortcuts = () => screen.getAllByTestId('canned-item').map((e) => e.dataset.shortcut);

async function loaded(fake: ReturnType<typeof installFakeWails>, c: { CannedResponses: unknown }) {
  await waitFor(() => expect(fake.app.CannedList).toHaveBeenCalled());
  await waitFor(() => expect(c.CannedResponses).toHaveBeenCalled());
}

describe('the canned responses model', () => {
  const items = mergeCanned([greeting, refund], personal);

  it('puts the shared responses first and labels where each comes from', () => {
    expect(items.map((c) => [c.shortcut, c.source])).toEqual([
      ['hi', 'global'],
      ['refund', 'team'],
      ['thanks', 'personal'],
    ]);
  });

  it('searches shortcuts first, then titles and texts in both languages', () => {
    const keys = (q: string) => filterCanned(items, q).map((c) => c.shortcut);
    expect(keys('')).toEqual(['hi', 'refund', 'thanks']);
    // The shortcut's match comes before the title's ("Greeting").
    expect(keys('re')).toEqual(['refund', 'hi']);
    expect(keys('退款')).toEqual(['refund']);
    expect(keys('再见')).toEqual(['thanks']);
    expect(keys('started')).toEqual(['refund']);
    expect(keys('greeting')).toEqual(['hi']);
    expect(keys('bye')).toEqual(['thanks']);
    expect(keys('than')).toEqual(['thanks']);
    expect(keys('nothing')).toEqual([]);
  });

  it('takes the values and the language from the conversation, verified fields first', () => {
    const ctx = cannedContext(
      {
        customer_name: 'Wang',
        ext: { order_no: 'A-1', locale: 'zh-CN' },
        verified: { order_no: 'V-2' },
      },
      'Alice',
    );
    expect(ctx).toEqual({
      values: {
        customer_name: 'Wang',
        agent_name: 'Alice',
        ext: { order_no: 'V-2', locale: 'zh-CN' },
      },
      locale: 'zh-CN',
    });
    expect(cannedContext({ customer_name: 'Wang' }, 'Alice').locale).toBe('');
  });
});

describe('the / menu', () => {
  it('merges shared and personal responses, labelled, and searches both languages', async () => {
    const { fake, input, ...c } = setup();
    await loaded(fake, c);
    const user = userEvent.setup();
    await user.type(input, '/');
    await waitFor(() => expect(shortcuts()).toEqual(['hi', 'refund', 'thanks']));
    const scopes = screen.getAllByTestId('canned-scope').map((e) => e.textContent);
    expect(scopes).toEqual(['Everyone', 'aftersales', 'Personal']);
    await user.type(input, '退款');
    expect(shortcuts()).toEqual(['refund']);
    await user.clear(input);
    await user.type(input, '/再见');
    expect(shortcuts()).toEqual(['thanks']);
  });

  it('fills the variables from the conversation in the customer language', async () => {
    const { fake, input, onSend, ...c } = setup({ ext: { order_no: 'A-1001', locale: 'zh-CN' } });
    await loaded(fake, c);
    const user = userEvent.setup();
    await user.type(input, '/hi');
    await user.keyboard('{Enter}');
    expect(input).toHaveValue('王先生您好，我是Alice。');
    expect(screen.queryByTestId('composer-unfilled')).not.toBeInTheDocument();
    await user.clear(input);
    await user.type(input, '/refund');
    await user.keyboard('{Enter}');
    expect(input).toHaveValue('已为订单 A-1001 发起退款。');
    expect(onSend).not.toHaveBeenCalled();
  });

  it('selects the first unfilled variable and warns until every one is filled', async () => {
    const { fake, input, onSend, ...c } = setup({ ext: {}, list: [both] });
    await loaded(fake, c);
    const user = userEvent.setup();
    await user.type(input, '/address');
    await user.keyboard('{Enter}');
    const text = 'Order {order_no} goes to {ext.city}, right?';
    expect(input).toHaveValue(text);
    expect(input.selectionStart).toBe(text.indexOf('{order_no}'));
    expect(input.selectionEnd).toBe(text.indexOf('{order_no}') + '{order_no}'.length);
    expect(screen.getByTestId('composer-unfilled')).toHaveTextContent(
      'Fill in {order_no} {ext.city} before sending',
    );
    // Tab goes to the next variable, and round to the first.
    await user.keyboard('{Tab}');
    expect(input.selectionStart).toBe(text.indexOf('{ext.city}'));
    expect(input.selectionEnd).toBe(text.indexOf('{ext.city}') + '{ext.city}'.length);
    await user.keyboard('{Tab}');
    expect(input.selectionStart).toBe(text.indexOf('{order_no}'));
    expect(input).toHaveFocus();
    // Typing replaces the selection: the order number is in, the city left.
    await user.keyboard('B-7');
    expect(input).toHaveValue('Order B-7 goes to {ext.city}, right?');
    expect(screen.getByTestId('composer-unfilled')).toHaveTextContent(
      'Fill in {ext.city} before sending',
    );
    // The warning does not block sending.
    expect(screen.getByTestId('composer-send')).toBeEnabled();
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith('Order B-7 goes to {ext.city}, right?');
    await waitFor(() => expect(screen.queryByTestId('composer-unfilled')).not.toBeInTheDocument());
  });

  it('warns in Chinese in a Chinese UI', async () => {
    const { fake, input, ...c } = setup({ lang: 'zh-CN', ext: {}, list: [refund] });
    await loaded(fake, c);
    const user = userEvent.setup();
    await user.type(input, '/refund');
    await user.keyboard('{Enter}');
    expect(input).toHaveValue('已为订单 {order_no} 发起退款。');
    expect(screen.getByTestId('composer-unfilled')).toHaveTextContent('发送前请填写 {order_no}');
    expect(within(screen.getByTestId('composer')).queryByText(/Fill in/)).toBeNull();
  });

  it('updates the list live on canned:changed', async () => {
    const { fake, input, ...c } = setup();
    await loaded(fake, c);
    const user = userEvent.setup();
    await user.type(input, '/');
    await waitFor(() => expect(shortcuts()).toEqual(['hi', 'refund', 'thanks']));
    act(() => fake.emit('canned:changed', { response: both }));
    expect(shortcuts()).toEqual(['hi', 'address', 'refund', 'thanks']);
    act(() =>
      fake.emit('canned:changed', {
        response: { ...greeting, shortcut: 'hello', updated_at: 2 },
      }),
    );
    expect(shortcuts()).toEqual(['hello', 'address', 'refund', 'thanks']);
    act(() => fake.emit('canned:changed', { response: refund, deleted: true }));
    expect(shortcuts()).toEqual(['hello', 'address', 'thanks']);
  });

  it('keeps the personal responses while the list fails, reads it again once online', async () => {
    const { fake, input, ...c } = setup({ firstFails: true });
    await waitFor(() => expect(fake.app.CannedList).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(c.CannedResponses).toHaveBeenCalled());
    const user = userEvent.setup();
    await user.type(input, '/');
    await waitFor(() => expect(shortcuts()).toEqual(['thanks']));
    act(() => fake.emit('conn:state', { state: 'online' }));
    expect(fake.app.CannedList).toHaveBeenCalledTimes(1);
    act(() => fake.emit('conn:state', { state: 'connecting' }));
    act(() => fake.emit('conn:state', { state: 'online' }));
    await waitFor(() => expect(shortcuts()).toEqual(['hi', 'refund', 'thanks']));
    expect(fake.app.CannedList).toHaveBeenCalledTimes(2);
  });
});
