import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import type { Conversation, Session } from '../../api/types';
import { alice, conversation, installFakeWails, sam, signedInBoot } from '../../test/fakeWails';

const T = 1_750_000_000_000;

/** A queued conversation the router offers to the signed-in user for 30 s. */
function offerTo(id: string, who: string): Conversation {
  return conversation({
    id: 'q1',
    customer_name: 'Wang',
    state: 'queued',
    offer_agent_id: who,
    offer_agent_name: id,
    offer_expires_at: T + 30_000,
    updated_at: T,
  });
}

function boot(session: Session, mine: Conversation[] = []) {
  return installFakeWails({
    Bootstrap: () =>
      Promise.resolve(signedInBoot(session, { conn: { state: 'online', status: 'online' } })),
    ListConversations: (filter) => Promise.resolve(filter === 'mine' ? mine : []),
  });
}

describe('offers above every view', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(T);
  });
  afterEach(() => vi.useRealTimers());

  it('shows an offer on the Mine tab with nothing open, and Accept opens it', async () => {
    const other = conversation({
      id: 'a1',
      customer_name: 'Li',
      state: 'active',
      assignee_id: 'u_alice',
      updated_at: T - 1000,
    });
    const fake = boot(alice, [other]);
    fake.app.Accept.mockResolvedValue({
      ...offerTo('Alice', 'u_alice'),
      state: 'active',
      assignee_id: 'u_alice',
      assignee_name: 'Alice',
      offer_agent_id: undefined,
      offer_expires_at: undefined,
      updated_at: T + 1,
    });
    render(<App lang="en" />);
    await screen.findByTestId('conv-item');
    expect(screen.getByTestId('tab-mine')).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByTestId('offer-banner')).toBeNull();

    act(() => fake.emit('conversation', offerTo('Alice', 'u_alice')));
    const banner = screen.getByTestId('offer-banner');
    expect(banner.closest('[data-testid="global-offers"]')).not.toBeNull();
    expect(banner).toHaveTextContent('Wang');
    expect(banner).toHaveTextContent('This conversation is offered to you');
    expect(within(banner).getByTestId('offer-countdown')).toHaveTextContent('30 s left');
    // Still the Mine tab: nothing else had to change for the offer to show.
    expect(screen.getByTestId('tab-mine')).toHaveAttribute('aria-selected', 'true');

    fireEvent.click(within(banner).getByTestId('btn-accept'));
    expect(fake.app.Accept).toHaveBeenCalledWith('q1');
    await vi.waitFor(() => expect(screen.queryByTestId('offer-banner')).toBeNull());
    expect(await screen.findByRole('heading', { name: 'Wang' })).toBeInTheDocument();
    await vi.waitFor(() => expect(screen.getByTestId('composer-input')).toBeEnabled());
  });

  it('shows over another open conversation, and declines from there', async () => {
    const other = conversation({
      id: 'a1',
      customer_name: 'Li',
      state: 'active',
      assignee_id: 'u_alice',
      updated_at: T - 1000,
    });
    const fake = boot(alice, [other]);
    fake.app.Decline.mockResolvedValue({
      ...offerTo('Alice', 'u_alice'),
      offer_agent_id: undefined,
      offer_expires_at: undefined,
      updated_at: T + 1,
    });
    render(<App lang="en" />);
    fireEvent.click(await screen.findByTestId('conv-item'));
    expect(await screen.findByRole('heading', { name: 'Li' })).toBeInTheDocument();
    act(() => fake.emit('conversation', offerTo('Alice', 'u_alice')));
    const banner = screen.getByTestId('offer-banner');
    fireEvent.click(within(banner).getByTestId('btn-decline'));
    expect(fake.app.Decline).toHaveBeenCalledWith('q1');
    await vi.waitFor(() => expect(screen.queryByTestId('offer-banner')).toBeNull());
    // The conversation in view stays.
    expect(screen.getByRole('heading', { name: 'Li' })).toBeInTheDocument();
  });

  it('shows over a supervisor’s floor too', async () => {
    const fake = boot(sam);
    render(<App lang="zh-CN" />);
    fireEvent.click(await screen.findByTestId('view-floor'));
    await screen.findByTestId('floor-view');
    act(() => fake.emit('conversation', offerTo('Sam', 'u_sam')));
    const banner = screen.getByTestId('offer-banner');
    expect(within(banner).getByTestId('offer-countdown')).toHaveTextContent('剩余 30 秒');
    expect(screen.getByTestId('floor-view')).toBeInTheDocument();
    fireEvent.click(within(banner).getByTestId('offer-open'));
    expect(screen.queryByTestId('floor-view')).toBeNull();
    expect(await screen.findByRole('heading', { name: 'Wang' })).toBeInTheDocument();
  });
});
