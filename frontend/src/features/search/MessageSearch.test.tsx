import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../App';
import type { Lang } from '../../i18n';
import type { Message, SearchHit } from '../../api/types';
import { conversation, installFakeWails, sent, signedInBoot } from '../../test/fakeWails';
import { settleVirtuoso } from '../../test/virtuoso';
import { SEARCH_DEBOUNCE_MS, SEARCH_LIMIT } from './MessageSearch';

const now = Date.now();

const mine = conversation({
  id: 'a1',
  customer_name: 'Wang',
  state: 'active',
  assignee_id: 'u_alice',
  last_seq: 40,
  agent_read_seq: 40,
  updated_at: now,
});
// Resolved long ago: in no list, only in the local cache.
const old = conversation({
  id: 'old1',
  customer_name: 'Zhou',
  state: 'closed',
  assignee_id: 'u_alice',
  last_seq: 3,
  updated_at: now - 86_400_000 * 30,
});

/** Message seq of conversation a1: seqs 1–40, the newest page from 31. */
function a1Message(seq: number): Message {
  const text = seq === 5 ? 'My Order SO-1 <b>never</b> came' : `message ${seq}`;
  return { ...sent('a1', seq, text), created_at: now - (41 - seq) * 1000 };
}

function range(from: number, to: number): Message[] {
  const out: Message[] = [];
  for (let s = from; s <= to; s++) out.push(a1Message(s));
  return out;
}

const hitOrder: SearchHit = { message: a1Message(5), conversation: mine };
const hitFile: SearchHit = {
  message: {
    ...sent('old1', 2, ''),
    kind: 'file',
    text: undefined,
    attachment: { id: 'f1', name: 'order-invoice.pdf', size: 10, mime: 'application/pdf' },
    created_at: now - 86_400_000 * 30,
  },
  conversation: old,
};
const hitNewest: SearchHit = { message: a1Message(38), conversation: mine };

/** A SearchMessages whose answers the test gives, per call. */
function deferredSearch() {
  const calls: {
    query: string;
    resolve(h: SearchHit[]): void;
    reject(e: unknown): void;
  }[] = [];
  const fn = (query: string) =>
    new Promise<SearchHit[]>((resolve, reject) => calls.push({ query, resolve, reject }));
  return { calls, fn };
}

function boot(search?: (q: string, limit: number) => Promise<SearchHit[] | null>) {
  return installFakeWails({
    Bootstrap: () => Promise.resolve(signedInBoot()),
    ListConversations: (filter) => Promise.resolve(filter === 'mine' ? [mine] : []),
    TranscriptPage: (id, beforeSeq, limit) => {
      if (id === 'old1') {
        return Promise.resolve({
          messages: [
            { ...sent('old1', 1, 'hello'), created_at: hitFile.message.created_at - 1000 },
            hitFile.message,
            { ...sent('old1', 3, 'bye'), created_at: hitFile.message.created_at + 1000 },
          ],
          has_more: false,
        });
      }
      const to = beforeSeq === 0 ? 40 : beforeSeq - 1;
      const from = Math.max(1, to - (beforeSeq === 0 ? 10 : limit) + 1);
      return Promise.resolve({ messages: range(from, to), has_more: from > 1 });
    },
    ...(search ? { SearchMessages: search } : {}),
  });
}

async function openSearch(lang: Lang = 'en') {
  render(<App lang={lang} />);
  await screen.findAllByTestId('conv-item');
  fireEvent.keyDown(window, { key: 'F', code: 'KeyF', ctrlKey: true, shiftKey: true });
  const panel = await screen.findByTestId('message-search');
  const input = within(panel).getByTestId('message-search-input');
  expect(input).toHaveFocus();
  return { panel, input };
}

function results(): HTMLElement[] {
  return screen.queryAllByTestId('search-result');
}

describe('message search', () => {
  it('opens from the header and the shortcut, which the help lists; Escape closes it', async () => {
    boot();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    await user.click(screen.getByTestId('message-search-open'));
    // The search is loaded when first opened.
    expect(await screen.findByTestId('message-search')).toBeInTheDocument();
    expect(screen.getByTestId('search-empty')).toHaveTextContent('Only messages stored');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('message-search')).toBeNull();

    // Ctrl+K still goes to the list's own filter.
    fireEvent.keyDown(window, { key: 'k', code: 'KeyK', ctrlKey: true });
    expect(screen.getByTestId('conv-search')).toHaveFocus();
    expect(screen.queryByTestId('message-search')).toBeNull();

    fireEvent.keyDown(window, { key: 'F1', code: 'F1' });
    const rows = within(await screen.findByTestId('shortcuts-help')).getAllByTestId('shortcut-row');
    expect(rows.map((r) => r.textContent)).toContain('Ctrl + Shift + FSearch messages');
  });

  it('searches once typing pauses and drops answers to older queries', async () => {
    const search = deferredSearch();
    const fake = boot(search.fn);
    const { input } = await openSearch();

    fireEvent.change(input, { target: { value: 'o' } });
    fireEvent.change(input, { target: { value: 'or' } });
    fireEvent.change(input, { target: { value: 'ord ' } });
    expect(fake.app.SearchMessages).not.toHaveBeenCalled();
    await waitFor(() => expect(fake.app.SearchMessages).toHaveBeenCalledTimes(1));
    expect(fake.app.SearchMessages).toHaveBeenCalledWith('ord', SEARCH_LIMIT);
    expect(screen.getByTestId('search-searching')).toHaveTextContent('Searching');

    // A space more asks nothing new.
    fireEvent.change(input, { target: { value: 'ord  ' } });
    fireEvent.change(input, { target: { value: 'order' } });
    await waitFor(() => expect(fake.app.SearchMessages).toHaveBeenCalledTimes(2));
    expect(search.calls.map((c) => c.query)).toEqual(['ord', 'order']);

    // The newer answer arrives first; the older one, late, is dropped.
    await act(async () => search.calls[1]!.resolve([hitOrder]));
    await act(async () => search.calls[0]!.resolve([hitNewest, hitOrder, hitFile]));
    expect(results().map((r) => r.dataset.seq)).toEqual(['5']);

    // While a new query runs, the last results stay.
    fireEvent.change(input, { target: { value: 'order so' } });
    expect(results().map((r) => r.dataset.seq)).toEqual(['5']);
    await waitFor(() => expect(search.calls).toHaveLength(3));
    await act(async () => search.calls[2]!.resolve([]));
    expect(screen.getByTestId('search-none')).toHaveTextContent('No message matches “order so”.');
    expect(SEARCH_DEBOUNCE_MS).toBeGreaterThanOrEqual(100);
  });

  it('highlights the matched words as text and shows who, when and the state', async () => {
    boot(() => Promise.resolve([hitOrder, hitFile]));
    const { input } = await openSearch();
    fireEvent.change(input, { target: { value: 'order never' } });
    await waitFor(() => expect(results()).toHaveLength(2));
    const [first, second] = results();
    expect(within(first!).getByText('Wang')).toBeInTheDocument();
    expect(within(first!).getByText('Active')).toBeInTheDocument();
    const snippet = within(first!).getByTestId('search-snippet');
    expect([...snippet.querySelectorAll('mark')].map((m) => m.textContent)).toEqual([
      'Order',
      'never',
    ]);
    expect(snippet).toHaveTextContent('Customer One: My Order SO-1 <b>never</b> came');
    expect(snippet.querySelector('b')).toBeNull();
    // A file message shows its name, the match marked.
    expect(within(second!).getByText('Zhou')).toBeInTheDocument();
    expect(within(second!).getByText('Closed')).toBeInTheDocument();
    const file = within(second!).getByTestId('search-snippet');
    expect(file).toHaveTextContent('File');
    expect(file.querySelector('mark')).toHaveTextContent('order');
    expect(screen.getByTestId('search-count')).toHaveTextContent('2 found');
  });

  it('moves with the arrows and opens the chosen message, loading older pages to reach it', async () => {
    const fake = boot(() => Promise.resolve([hitNewest, hitOrder, hitFile]));
    const { input } = await openSearch();
    fireEvent.change(input, { target: { value: 'order' } });
    await waitFor(() => expect(results()).toHaveLength(3));
    const selected = () => results().findIndex((r) => r.getAttribute('aria-selected') === 'true');
    expect(selected()).toBe(0);
    expect(input).toHaveAttribute('aria-activedescendant', results()[0]!.id);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(selected()).toBe(2);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(selected()).toBe(0);
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(selected()).toBe(1);
    expect(input).toHaveAttribute('aria-activedescendant', results()[1]!.id);

    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.queryByTestId('message-search')).toBeNull();
    // Seq 5 is older than the newest page (31–40): the page before 31 is
    // asked for, reaching a little past it.
    await waitFor(() => expect(fake.app.TranscriptPage).toHaveBeenCalledWith('a1', 31, 46));
    await settleVirtuoso();
    const row = () =>
      screen
        .getAllByTestId('msg')
        .find((m) => m.dataset.seq === '5')
        ?.closest('.transcript-row');
    await waitFor(() => expect(row()).toHaveAttribute('data-flash', 'true'));
    expect(document.querySelector('.conv-view')).toHaveAttribute('data-conversation-id', 'a1');
  });

  it('stops loading older pages when one brings nothing older', async () => {
    const fake = boot(() => Promise.resolve([hitOrder]));
    fake.app.TranscriptPage.mockImplementation((_id, beforeSeq) =>
      Promise.resolve(
        beforeSeq === 0
          ? { messages: range(31, 40), has_more: true }
          : { messages: [], has_more: true },
      ),
    );
    const { input } = await openSearch();
    fireEvent.change(input, { target: { value: 'order' } });
    await waitFor(() => expect(results()).toHaveLength(1));
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(fake.app.TranscriptPage).toHaveBeenCalledWith('a1', 31, 46));
    await settleVirtuoso();
    // The rows may take longer than the settling on a busy machine; the
    // count of older pages is read once they are in.
    await waitFor(() => expect(screen.getAllByTestId('msg')).toHaveLength(10));
    const older = fake.app.TranscriptPage.mock.calls.filter(([, before]) => before > 0);
    expect(older).toEqual([['a1', 31, 46]]);
  });

  it('opens a conversation no list holds, as the cache has it, without adding it to a list', async () => {
    boot(() => Promise.resolve([hitFile]));
    const user = userEvent.setup();
    const { input } = await openSearch();
    fireEvent.change(input, { target: { value: 'invoice' } });
    await waitFor(() => expect(results()).toHaveLength(1));
    await user.click(results()[0]!);
    await waitFor(() =>
      expect(document.querySelector('.conv-view')).toHaveAttribute('data-conversation-id', 'old1'),
    );
    expect(screen.getByRole('heading', { name: 'Zhou' })).toBeInTheDocument();
    await settleVirtuoso();
    await waitFor(() =>
      expect(
        screen
          .getAllByTestId('msg')
          .find((m) => m.dataset.seq === '2')
          ?.closest('.transcript-row'),
      ).toHaveAttribute('data-flash', 'true'),
    );
    expect(screen.getAllByTestId('conv-item').map((c) => c.dataset.conversationId)).toEqual(['a1']);
  });

  it('says what failed and when nothing matches, in Chinese too', async () => {
    const search = deferredSearch();
    boot(search.fn);
    const { input } = await openSearch('zh-CN');
    expect(screen.getByTestId('search-empty')).toHaveTextContent('只搜索本机保存的消息');
    fireEvent.change(input, { target: { value: '退款' } });
    await waitFor(() => expect(search.calls).toHaveLength(1));
    await act(async () => search.calls[0]!.reject('internal: cache is closed'));
    expect(screen.getByTestId('search-error')).toHaveTextContent('搜索失败：');
    fireEvent.change(input, { target: { value: '退款 订单' } });
    await waitFor(() => expect(search.calls).toHaveLength(2));
    await act(async () => search.calls[1]!.resolve([]));
    expect(screen.getByTestId('search-none')).toHaveTextContent('没有与“退款 订单”匹配的消息。');
    fireEvent.change(input, { target: { value: '' } });
    expect(screen.getByTestId('search-empty')).toBeInTheDocument();
  });

  it('stays usable without the binding (an older desktop side)', async () => {
    boot();
    delete window.go!.app!.App!.SearchMessages;
    const { input } = await openSearch();
    fireEvent.change(input, { target: { value: 'order' } });
    expect(await screen.findByTestId('search-error')).toHaveTextContent('Search failed');
  });
});
