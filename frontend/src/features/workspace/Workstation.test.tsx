import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import type { Conversation, Message } from '../../api/types';
import { conversation, installFakeWails, sent, signedInBoot } from '../../test/fakeWails';
import { settleVirtuoso } from '../../test/virtuoso';

const now = Date.now();

// Alice's open conversation with three unread customer messages, one
// waiting for the customer, one in the queue and one resolved today.
const active = conversation({
  id: 'a1',
  customer_name: 'Wang',
  state: 'active',
  assignee_id: 'u_alice',
  last_seq: 5,
  agent_read_seq: 2,
  customer_read_seq: 4,
  updated_at: now - 60_000,
});
const waiting = conversation({
  id: 'w1',
  customer_name: 'Li',
  ext: { order_no: 'SO-20261124-77', ticket_no: 'T-9' },
  state: 'waiting_customer',
  assignee_id: 'u_alice',
  last_seq: 3,
  agent_read_seq: 3,
  updated_at: now - 10 * 60_000,
});
const queued = conversation({ id: 'q1', customer_name: 'Zhao', queued_at: now - 120_000 });
const resolved = conversation({
  id: 'r1',
  customer_name: 'Sun',
  state: 'resolved',
  assignee_id: 'u_alice',
  last_seq: 9,
  updated_at: now - 1000,
});

function transcriptOf(id: string): Message[] {
  if (id !== 'a1') return [sent(id, 1, `hello from ${id}`)];
  return [
    { ...sent('a1', 1, 'hi'), created_at: now - 300_000 },
    { ...sent('a1', 2, 'reply', 'agent'), created_at: now - 240_000 },
    { ...sent('a1', 3, 'one'), created_at: now - 180_000 },
    { ...sent('a1', 4, 'two'), created_at: now - 120_000 },
    { ...sent('a1', 5, 'three'), created_at: now - 60_000 },
  ];
}

function boot() {
  return installFakeWails({
    Bootstrap: () => Promise.resolve(signedInBoot()),
    ListConversations: (filter) =>
      Promise.resolve(filter === 'queue' ? [queued] : [active, waiting]),
    ResolvedSince: () => Promise.resolve([resolved]),
    Transcript: (id) => Promise.resolve(transcriptOf(id)),
  });
}

function items(): string[] {
  return screen.getAllByTestId('conv-item').map((el) => el.dataset.conversationId ?? '');
}

let matchDark = false;
const mqListeners = new Set<() => void>();
beforeEach(() => {
  matchDark = false;
  window.matchMedia = ((query: string) => ({
    get matches() {
      return query.includes('dark') && matchDark;
    },
    media: query,
    addEventListener: (_: string, cb: () => void) => mqListeners.add(cb),
    removeEventListener: (_: string, cb: () => void) => mqListeners.delete(cb),
  })) as unknown as typeof window.matchMedia;
});
afterEach(() => {
  mqListeners.clear();
  delete document.documentElement.dataset.theme;
});

describe('conversation list tabs and badges', () => {
  it('shows mine, queue, waiting and resolved today with counts', async () => {
    boot();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    expect(items()).toEqual(['a1', 'w1']);
    expect(screen.getByTestId('tab-mine')).toHaveAttribute('data-count', '2');
    expect(screen.getByTestId('tab-queue')).toHaveAttribute('data-count', '1');
    expect(screen.getByTestId('tab-waiting')).toHaveAttribute('data-count', '1');
    expect(await screen.findByTestId('tab-resolved')).toHaveAttribute('data-count', '1');

    await user.click(screen.getByTestId('tab-waiting'));
    expect(items()).toEqual(['w1']);
    expect(within(screen.getByTestId('conv-item')).getByTestId('conv-wait')).toHaveTextContent(
      'Quiet for 10 min',
    );

    await user.click(screen.getByTestId('tab-resolved'));
    expect(items()).toEqual(['r1']);

    await user.click(screen.getByTestId('tab-queue'));
    expect(items()).toEqual(['q1']);
    expect(screen.getByTestId('conv-wait')).toHaveTextContent('Waiting 2 min');
  });

  it('counts unread messages per conversation and in all, and marks them read when viewed', async () => {
    const fake = boot();
    const user = userEvent.setup();
    render(<App lang="en" />);
    const [a1] = await screen.findAllByTestId('conv-item');
    expect(within(a1!).getByTestId('conv-unread')).toHaveTextContent('3');
    expect(screen.getByTestId('unread-total')).toHaveTextContent('3');
    expect(within(a1!).getByTestId('conv-wait')).toHaveTextContent('Customer waiting');

    await user.click(a1!);
    await screen.findAllByTestId('msg');
    await settleVirtuoso();
    expect(fake.app.MarkRead).toHaveBeenCalledWith('a1', 5);
    expect(within(a1!).queryByTestId('conv-unread')).toBeNull();
    expect(screen.queryByTestId('unread-total')).toBeNull();

    // A new customer message while the agent looks: read at once.
    act(() => fake.emit('message', { ...sent('a1', 6, 'four'), created_at: now }));
    act(() => fake.emit('conversation', { ...active, last_seq: 6, updated_at: now }));
    await settleVirtuoso();
    expect(fake.app.MarkRead).toHaveBeenLastCalledWith('a1', 6);
  });

  it('searches the list', async () => {
    boot();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    await user.type(screen.getByTestId('conv-search'), 'li');
    expect(items()).toEqual(['w1']);
    // Business fields are searchable: an order number finds its conversation.
    await user.clear(screen.getByTestId('conv-search'));
    await user.type(screen.getByTestId('conv-search'), 'so-20261124');
    expect(items()).toEqual(['w1']);
    await user.clear(screen.getByTestId('conv-search'));
    await user.type(screen.getByTestId('conv-search'), 'nobody');
    expect(screen.queryByTestId('conv-item')).toBeNull();
  });
});

describe('drafts across conversations and restarts', () => {
  it('keeps what was typed when switching away and after the app restarts', async () => {
    boot();
    const user = userEvent.setup();
    const { unmount } = render(<App lang="en" />);
    const [a1, w1] = await screen.findAllByTestId('conv-item');
    await user.click(a1!);
    await user.type(await screen.findByTestId('composer-input'), 'half a reply');
    await user.click(screen.getByTestId('composer-note-toggle'));
    await user.click(w1!);
    expect(await screen.findByTestId('composer-input')).toHaveValue('');
    await user.click(screen.getAllByTestId('conv-item')[0]!);
    expect(await screen.findByTestId('composer-input')).toHaveValue('half a reply');
    expect(screen.getByTestId('composer')).toHaveAttribute('data-mode', 'note');

    unmount();
    render(<App lang="en" />);
    await user.click((await screen.findAllByTestId('conv-item'))[0]!);
    expect(await screen.findByTestId('composer-input')).toHaveValue('half a reply');
  });

  it('sends a note with visibility internal through SendNote', async () => {
    const fake = boot();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await user.click((await screen.findAllByTestId('conv-item'))[0]!);
    await user.click(await screen.findByTestId('composer-note-toggle'));
    await user.type(screen.getByTestId('composer-input'), 'VIP{Enter}');
    expect(fake.app.SendNote).toHaveBeenCalledWith('a1', expect.any(String), 'VIP');
    expect(fake.app.Send).not.toHaveBeenCalled();
  });
});

describe('theme', () => {
  it('follows the OS until the agent picks one, and remembers the pick', async () => {
    boot();
    matchDark = true;
    const user = userEvent.setup();
    const { unmount } = render(<App lang="en" />);
    const sw = await screen.findByTestId('theme-switch');
    expect(sw).toHaveValue('system');
    expect(document.documentElement.dataset.theme).toBe('dark');

    matchDark = false;
    act(() => mqListeners.forEach((cb) => cb()));
    expect(document.documentElement.dataset.theme).toBe('light');

    await user.selectOptions(sw, 'dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(window.localStorage.getItem('switchboard.theme')).toBe('dark');

    unmount();
    render(<App lang="en" />);
    expect(await screen.findByTestId('theme-switch')).toHaveValue('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
  });
});

describe('keyboard shortcuts', () => {
  it('opens the help with ? or F1 and closes it with Escape', async () => {
    boot();
    const user = userEvent.setup();
    render(<App lang="zh-CN" />);
    await screen.findAllByTestId('conv-item');
    expect(screen.queryByTestId('shortcuts-help')).toBeNull();
    await user.keyboard('?');
    // The help is loaded when first opened.
    const help = await screen.findByTestId('shortcuts-help');
    expect(help).toHaveTextContent('键盘快捷键');
    expect(within(help).getAllByTestId('shortcut-row').length).toBeGreaterThanOrEqual(12);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('shortcuts-help')).toBeNull();
    fireEvent.keyDown(window, { key: 'F1', code: 'F1' });
    expect(screen.getByTestId('shortcuts-help')).toBeInTheDocument();
    await user.click(screen.getByTestId('shortcuts-close'));
    expect(screen.queryByTestId('shortcuts-help')).toBeNull();
  });

  it('does not take ? while typing', async () => {
    boot();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await user.click((await screen.findAllByTestId('conv-item'))[0]!);
    await user.type(await screen.findByTestId('composer-input'), 'why?');
    // Had ? opened the help, it would be there once its module is loaded.
    await act(() => import('../shortcuts/ShortcutsHelp'));
    expect(screen.queryByTestId('shortcuts-help')).toBeNull();
    expect(screen.getByTestId('composer-input')).toHaveValue('why?');
  });

  it('switches tabs, walks the list and acts on the open conversation', async () => {
    const fake = boot();
    fake.app.Resolve.mockImplementation(() =>
      Promise.resolve({ ...active, state: 'resolved', updated_at: now } as Conversation),
    );
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    const key = (code: string, extra: Partial<KeyboardEventInit> = {}) =>
      act(() => {
        fireEvent.keyDown(window, { code, key: code, altKey: true, ...extra });
      });

    key('Digit3');
    expect(screen.getByTestId('tab-waiting')).toHaveAttribute('aria-selected', 'true');
    key('Digit1');
    key('ArrowDown');
    expect(screen.getAllByTestId('conv-item')[0]).toHaveAttribute('aria-current', 'true');
    key('ArrowDown');
    expect(screen.getAllByTestId('conv-item')[1]).toHaveAttribute('aria-current', 'true');
    key('ArrowUp');
    expect(screen.getAllByTestId('conv-item')[0]).toHaveAttribute('aria-current', 'true');

    key('KeyC');
    expect(await screen.findByTestId('composer-input')).toHaveFocus();
    key('KeyN');
    expect(screen.getByTestId('composer')).toHaveAttribute('data-mode', 'note');
    key('KeyT');
    expect(await screen.findByTestId('transfer-dialog')).toBeInTheDocument();
    act(() => {
      fireEvent.keyDown(screen.getByTestId('transfer-dialog'), { key: 'Escape' });
    });
    key('KeyR');
    await vi.waitFor(() => expect(fake.app.Resolve).toHaveBeenCalledWith('a1'));
    key('KeyK', { altKey: false, ctrlKey: true });
    expect(screen.getByTestId('conv-search')).toHaveFocus();
  });
});
