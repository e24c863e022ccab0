import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../App';
import type { Message, MessagePage } from '../../api/types';
import { PREFETCH_DELAY_MS, PREFETCH_LIMIT } from '../../state/prefetch';
import { PAGE_SIZE } from '../../state/store';
import { idleWaiting, runIdle, untilIdle } from '../../test/idle';
import { conversation, installFakeWails, sent, signedInBoot } from '../../test/fakeWails';
import { settleVirtuoso } from '../../test/virtuoso';

const now = Date.now();
/** Alice's open conversations, the newest activity first, and one in the queue. */
const mine = Array.from({ length: 14 }, (_, i) =>
  conversation({
    id: `c${String(i).padStart(2, '0')}`,
    customer_name: `Customer ${i}`,
    state: 'active',
    assignee_id: 'u_alice',
    last_seq: 13,
    agent_read_seq: 10,
    updated_at: now - i * 60_000,
  }),
);
const queued = conversation({ id: 'q1', customer_name: 'Queued', updated_at: now - 30_000 });
/** The first PREFETCH_LIMIT listed: mine and the queue in turn. */
const ahead = ['c00', 'q1', ...mine.slice(1, PREFETCH_LIMIT - 1).map((c) => c.id)];

/** The newest page of a conversation: seqs 11–13, older ones left. */
function page(id: string): MessagePage {
  return {
    messages: [11, 12, 13].map((seq) => ({
      ...sent(id, seq, `${id} says ${seq}`),
      created_at: now,
    })),
    has_more: true,
  };
}

function boot(transcriptPage?: (id: string, before: number) => Promise<MessagePage>) {
  const fake = installFakeWails({
    Bootstrap: () => Promise.resolve(signedInBoot()),
    ListConversations: (filter) => Promise.resolve(filter === 'queue' ? [queued] : mine),
    TranscriptPage:
      transcriptPage ??
      ((id, before) =>
        Promise.resolve(before === 0 ? page(id) : { messages: [], has_more: false })),
  });
  return fake;
}

/** The conversations whose newest page was asked for, in order. */
function newestAsked(fake: ReturnType<typeof boot>): string[] {
  return fake.app.TranscriptPage.mock.calls.filter(([, before]) => before === 0).map(([id]) => id);
}

function item(id: string): HTMLElement {
  const el = screen.getAllByTestId('conv-item').find((e) => e.dataset.conversationId === id);
  if (!el) throw new Error(`no list item ${id}`);
  return el;
}

/** The open conversation. */
function view(): HTMLElement {
  const el = document.querySelector<HTMLElement>('.conv-view');
  if (!el) throw new Error('no conversation view');
  return el;
}

const sleep = (ms: number) => act(() => new Promise((r) => setTimeout(r, ms)));

describe('loading transcripts ahead', () => {
  it('starts after the list is shown, one page at a time, for the first listed only', async () => {
    const waiting: (() => void)[] = [];
    const fake = boot((id) => new Promise((resolve) => waiting.push(() => resolve(page(id)))));
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    expect(fake.app.TranscriptPage).not.toHaveBeenCalled();
    await runIdle();
    expect(fake.app.TranscriptPage).not.toHaveBeenCalled();

    await sleep(PREFETCH_DELAY_MS + 20);
    expect(idleWaiting()).toBe(1);
    await runIdle();
    expect(fake.app.TranscriptPage.mock.calls).toEqual([['c00', 0, PAGE_SIZE]]);
    // Nothing more until that page is in.
    await runIdle();
    expect(fake.app.TranscriptPage).toHaveBeenCalledTimes(1);
    expect(idleWaiting()).toBe(0);

    for (let i = 0; i < 20 && waiting.length > 0; i++) {
      await act(async () => waiting.shift()!());
      await runIdle();
    }
    expect(newestAsked(fake)).toEqual(ahead);
    expect(fake.app.TranscriptPage.mock.calls.every(([, b, n]) => b === 0 && n === PAGE_SIZE)).toBe(
      true,
    );
  });

  it('does not ask again for a transcript loaded or loading', async () => {
    const fake = boot();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    await user.click(item('c01'));
    await untilIdle();
    expect(newestAsked(fake).filter((id) => id === 'c01')).toEqual(['c01']);
    expect(newestAsked(fake)).toEqual(['c01', ...ahead.filter((id) => id !== 'c01')]);
  });

  it('stops on sign-out', async () => {
    const waiting: (() => void)[] = [];
    const fake = boot((id) => new Promise((resolve) => waiting.push(() => resolve(page(id)))));
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    await sleep(PREFETCH_DELAY_MS + 20);
    await runIdle();
    await act(async () => waiting.shift()!());
    // The next page waits for an idle moment, the one after is under way.
    expect(idleWaiting()).toBe(1);
    await runIdle();
    expect(idleWaiting()).toBe(0);
    await act(async () => waiting.shift()!());
    expect(idleWaiting()).toBe(1);
    expect(fake.app.TranscriptPage).toHaveBeenCalledTimes(2);

    act(() => fake.emit('session:ended', { reason: 'token_expired' }));
    await screen.findByTestId('signin-server');
    expect(idleWaiting()).toBe(0);
    await untilIdle();
    expect(fake.app.TranscriptPage).toHaveBeenCalledTimes(2);
  });

  it('opens a conversation loaded ahead at once, without asking for it again', async () => {
    const fake = boot();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    await untilIdle();
    expect(newestAsked(fake)).toContain('c02');

    await user.click(item('c02'));
    // Drawn with the click: no loading state in between.
    expect(document.querySelector('.transcript-loading')).toBeNull();
    expect(view().querySelector('.transcript')).not.toBeNull();
    await settleVirtuoso();
    expect(within(view()).getByText('c02 says 13')).toBeInTheDocument();
    expect(newestAsked(fake).filter((id) => id === 'c02')).toHaveLength(1);
    // Read as an opened one is, and scrolling back loads the page before.
    await waitFor(() => expect(fake.app.MarkRead).toHaveBeenCalledWith('c02', 13));
    await waitFor(() => expect(fake.app.TranscriptPage).toHaveBeenCalledWith('c02', 11, PAGE_SIZE));
  });

  it('shows a live message to a conversation loaded ahead when it is opened', async () => {
    const fake = boot();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    await untilIdle();
    expect(newestAsked(fake)).toContain('c03');

    const live: Message = { ...sent('c03', 14, 'arrived while closed'), created_at: now };
    act(() => fake.emit('message', live));
    act(() => fake.emit('conversation', { ...mine[3]!, last_seq: 14, updated_at: now + 1 }));
    await user.click(item('c03'));
    await settleVirtuoso();
    expect(within(view()).getByText('arrived while closed')).toBeInTheDocument();
    expect(within(view()).getByText('c03 says 13')).toBeInTheDocument();
    expect(newestAsked(fake).filter((id) => id === 'c03')).toHaveLength(1);
  });

  it('asks again on opening when the page loaded ahead failed', async () => {
    let failed = false;
    const fake = boot((id, before) => {
      if (id === 'c00' && !failed) {
        failed = true;
        return Promise.reject('unavailable: cache busy');
      }
      return Promise.resolve(before === 0 ? page(id) : { messages: [], has_more: false });
    });
    const user = userEvent.setup();
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    await untilIdle();
    expect(newestAsked(fake).filter((id) => id === 'c00')).toHaveLength(1);

    await user.click(item('c00'));
    await settleVirtuoso();
    expect(await within(view()).findByText('c00 says 13')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(newestAsked(fake).filter((id) => id === 'c00')).toHaveLength(2);
  });
});
