import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import type { Conversation } from '../../api/types';
import { alice, conversation, installFakeWails, signedInBoot } from '../../test/fakeWails';
import { secondsLeft } from './OfferBanner';

const T = 1_750_000_000_000;
/** The server's clock runs two minutes behind this machine's. */
const OFFSET = -120_000;

/** bob's conversation, which he is transferring to alice, 30 s on the server's clock. */
const transferOffer = conversation({
  id: 't1',
  customer_name: 'Li',
  state: 'active',
  assignee_id: 'u_bob',
  assignee_name: 'Bob',
  offer_agent_id: 'u_alice',
  offer_agent_name: 'Alice',
  offer_expires_at: T + OFFSET + 30_000,
  transfer_from_id: 'u_bob',
  updated_at: T + OFFSET,
});

/** A queued conversation the router offers to alice. */
const routingOffer = conversation({
  id: 'q1',
  customer_name: 'Wang',
  state: 'queued',
  offer_agent_id: 'u_alice',
  offer_agent_name: 'Alice',
  offer_expires_at: T + OFFSET + 20_000,
  updated_at: T + OFFSET,
});

function boot(lists: { mine?: Conversation[]; queue?: Conversation[] }) {
  return installFakeWails({
    Bootstrap: () =>
      Promise.resolve(
        signedInBoot(alice, {
          conn: { state: 'online', clock_offset_ms: OFFSET, status: 'online' },
        }),
      ),
    ListConversations: (filter) =>
      Promise.resolve(filter === 'mine' ? (lists.mine ?? []) : (lists.queue ?? [])),
  });
}

async function openItem(id: string) {
  const items = await screen.findAllByTestId('conv-item');
  const item = items.find((el) => el.dataset.conversationId === id);
  if (!item) throw new Error(`no conv-item ${id}`);
  fireEvent.click(item);
  return item;
}

describe('secondsLeft', () => {
  it.each([
    [T + 30_000, T, 30],
    [T + 29_001, T, 30],
    [T + 500, T, 1],
    [T, T, 0],
    [T - 5_000, T, 0],
    [undefined, T, 0],
  ])('secondsLeft(%s, %s) = %s', (expires, now, want) => {
    expect(secondsLeft(expires, now)).toBe(want);
  });
});

describe('offer banner', () => {
  beforeEach(() => {
    // Only the clock and intervals are faked: testing-library polls with setTimeout.
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(T);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists a transfer offered to me in Mine and counts down on the server clock', async () => {
    const fake = boot({ mine: [transferOffer] });
    fake.app.Decline.mockImplementation(() =>
      Promise.resolve({
        ...transferOffer,
        offer_agent_id: undefined,
        offer_agent_name: undefined,
        offer_expires_at: undefined,
        transfer_from_id: undefined,
        updated_at: transferOffer.updated_at + 1,
      }),
    );
    render(<App lang="en" />);

    const item = await openItem('t1');
    expect(item).toHaveAttribute('data-offered', 'true');
    expect(screen.getByTestId('tab-mine')).toHaveTextContent('1');
    expect(within(item).getByTestId('conv-offer')).toHaveAttribute('data-seconds', '30');

    const banner = await screen.findByTestId('offer-banner');
    expect(banner).toHaveAttribute('data-kind', 'transfer');
    expect(banner).toHaveTextContent('Bob wants to transfer this conversation to you');
    const countdown = within(banner).getByTestId('offer-countdown');
    expect(countdown).toHaveTextContent('30 s left');
    // Not a reply box for a conversation that is still bob's.
    expect(screen.getByTestId('composer-input')).toBeDisabled();
    expect(screen.queryByTestId('btn-resolve')).toBeNull();

    act(() => vi.advanceTimersByTime(5_000));
    expect(countdown).toHaveTextContent('25 s left');
    expect(countdown).toHaveAttribute('data-seconds', '25');

    fireEvent.click(within(banner).getByTestId('btn-decline'));
    expect(fake.app.Decline).toHaveBeenCalledWith('t1');
    await vi.waitFor(() => expect(screen.queryByTestId('offer-banner')).toBeNull());
    expect(screen.queryAllByTestId('conv-item')).toHaveLength(0);
    expect(fake.app.Accept).not.toHaveBeenCalled();
  });

  it('accepts a routing offer from the banner', async () => {
    const fake = boot({ queue: [routingOffer] });
    fake.app.Accept.mockImplementation(() =>
      Promise.resolve({
        ...routingOffer,
        state: 'active',
        assignee_id: 'u_alice',
        assignee_name: 'Alice',
        offer_agent_id: undefined,
        offer_expires_at: undefined,
        updated_at: routingOffer.updated_at + 1,
      }),
    );
    render(<App lang="zh-CN" />);
    fireEvent.click(await screen.findByTestId('tab-queue'));
    await openItem('q1');

    const banner = await screen.findByTestId('offer-banner');
    expect(banner).toHaveAttribute('data-kind', 'routing');
    expect(within(banner).getByTestId('offer-countdown')).toHaveTextContent('剩余 20 秒');
    // One accept button only: the banner's.
    expect(screen.getAllByTestId('btn-accept')).toHaveLength(1);

    fireEvent.click(within(banner).getByTestId('btn-accept'));
    expect(fake.app.Accept).toHaveBeenCalledWith('q1');
    await vi.waitFor(() => expect(screen.getByTestId('composer-input')).toBeEnabled());
    expect(screen.queryByTestId('offer-banner')).toBeNull();
    expect(fake.app.Decline).not.toHaveBeenCalled();
  });

  it('goes away when the offer is withdrawn, and loads the context of an offer', async () => {
    const fake = boot({ queue: [routingOffer] });
    render(<App lang="en" />);
    fireEvent.click(await screen.findByTestId('tab-queue'));
    await openItem('q1');
    expect(await screen.findByTestId('offer-banner')).toBeInTheDocument();
    expect(fake.app.Context).toHaveBeenCalledWith('q1');

    // Another agent picked it from the queue: the offer is withdrawn.
    act(() =>
      fake.emit('conversation', {
        ...routingOffer,
        offer_agent_id: undefined,
        offer_agent_name: undefined,
        offer_expires_at: undefined,
        updated_at: routingOffer.updated_at + 1,
      }),
    );
    expect(screen.queryByTestId('offer-banner')).toBeNull();
    // Back to an ordinary queued conversation with the ordinary accept.
    expect(screen.getByTestId('btn-accept')).toBeInTheDocument();
  });

  it('shows the countdown at zero once the offer has run out', async () => {
    boot({ mine: [transferOffer] });
    render(<App lang="en" />);
    await openItem('t1');
    const countdown = await screen.findByTestId('offer-countdown');
    act(() => vi.advanceTimersByTime(31_000));
    expect(countdown).toHaveAttribute('data-seconds', '0');
    expect(countdown).toHaveTextContent('Expiring…');
  });
});
