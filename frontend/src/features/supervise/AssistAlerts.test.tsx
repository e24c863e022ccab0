import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import type { AssistPush } from '../../api/types';
import { conversation, installFakeWails, sam, signedInBoot } from '../../test/fakeWails';
import { OfferAlarm } from '../alerts/offerAlarm';

const raised: AssistPush = {
  conversation_id: 'c1',
  team: 'presales',
  agent: { role: 'agent', id: 'u_alice', name: 'Alice' },
  customer_name: 'Wang',
  active: true,
  at: 100,
};

function bootSupervisor() {
  return installFakeWails({
    Bootstrap: () =>
      Promise.resolve(signedInBoot(sam, { conn: { state: 'online', status: 'online' } })),
    ListConversations: (filter) =>
      Promise.resolve(
        filter === 'teams'
          ? [
              conversation({
                id: 'c1',
                customer_name: 'Wang',
                state: 'active',
                assignee_id: 'u_alice',
                assignee_name: 'Alice',
              }),
            ]
          : [],
      ),
  });
}

describe('requests for help', () => {
  it('alert the supervisor until answered; answering opens the monitor', async () => {
    const fake = bootSupervisor();
    render(<App lang="en" />);
    await screen.findByTestId('view-floor');
    act(() => fake.emit('assist', raised));
    const alert = screen.getByTestId('assist-alert');
    expect(alert).toHaveTextContent('Alice asks for help with Wang');
    expect(screen.getByTestId('view-floor-assists')).toHaveTextContent('1');

    fireEvent.click(within(alert).getByTestId('btn-assist-answer'));
    expect(fake.app.Monitor).toHaveBeenCalledWith('c1', true);
    const pane = await screen.findByTestId('monitor-pane');
    await vi.waitFor(() => expect(pane).toHaveAttribute('data-monitoring', 'true'));

    // The server says it was answered: the alert goes.
    act(() => fake.emit('assist', { ...raised, active: false, answerer: 'Sam', at: 101 }));
    expect(screen.queryByTestId('assist-alert')).toBeNull();
    expect(screen.queryByTestId('view-floor-assists')).toBeNull();
  });

  it('repeat their sound while open (the offer alarm)', () => {
    vi.useFakeTimers();
    try {
      const play = vi.fn();
      const alarm = new OfferAlarm({ play, serverNow: () => Date.now(), everyMs: 1000 });
      alarm.update([{ id: 'c1' }]);
      expect(play).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(3000);
      expect(play).toHaveBeenCalledTimes(4);
      alarm.update([]);
      vi.advanceTimersByTime(3000);
      expect(play).toHaveBeenCalledTimes(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('are not shown to agents', async () => {
    const fake = installFakeWails({
      Bootstrap: () =>
        Promise.resolve(
          signedInBoot({ server_url: 'x', user: { id: 'u_bob', role: 'agent', name: 'Bob' } }),
        ),
    });
    render(<App lang="en" />);
    await screen.findByTestId('tab-mine');
    act(() => fake.emit('assist', raised));
    expect(screen.queryByTestId('assist-alert')).toBeNull();
  });
});
