import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../App';
import type { FloorData, FloorTeam } from '../../api/types';
import { conversation, installFakeWails, sam, signedInBoot } from '../../test/fakeWails';
import { chartPoints } from './QueueChart';
import { formatClock } from './format';

const AT = Date.now();

function team(over: Partial<FloorTeam> = {}): FloorTeam {
  return {
    id: 'presales',
    name: 'Presales',
    sla: { first_response_ms: 60_000, wait_ms: 120_000, next_response_ms: 90_000 },
    queue: 3,
    longest_wait_ms: 95_000,
    median_wait_ms: 40_000,
    queue_over_sla: 0,
    response_over_sla: 0,
    offers_out: 1,
    agents_online: 2,
    agents_away: 1,
    agents_offline: 0,
    load: 3,
    capacity: 10,
    missed_offers: 0,
    assists: 0,
    history: [
      { at: AT - 120_000, queue: 1, longest_wait_ms: 20_000 },
      { at: AT - 60_000, queue: 4, longest_wait_ms: 80_000 },
      { at: AT, queue: 3, longest_wait_ms: 95_000 },
    ],
    ...over,
  };
}

const floor: FloorData = {
  at: AT,
  teams: [team()],
  agents: [
    {
      id: 'u_alice',
      name: 'Alice',
      role: 'agent',
      teams: ['presales'],
      status: 'online',
      status_since: AT - 125_000,
      load: 2,
      capacity: 5,
      missed_offers: 0,
      conversations: [
        {
          id: 'c1',
          customer_name: 'Wang',
          state: 'active',
          team: 'presales',
          awaiting_ms: 75_000,
          first_response_ms: 30_000,
          responded: true,
          over_sla: [],
        },
        {
          id: 'c2',
          customer_name: 'Li',
          state: 'active',
          team: 'presales',
          awaiting_ms: 0,
          first_response_ms: 70_000,
          responded: false,
          over_sla: ['first_response'],
          assist: true,
        },
      ],
    },
    {
      id: 'u_bob',
      name: 'Bob',
      role: 'agent',
      teams: ['presales'],
      status: 'away',
      status_since: AT - 30_000,
      load: 0,
      capacity: 5,
      missed_offers: 3,
      auto_away: true,
      conversations: [],
    },
  ],
};

function bootSupervisor(f: FloorData = floor) {
  return installFakeWails({
    Bootstrap: () =>
      Promise.resolve(signedInBoot(sam, { conn: { state: 'online', status: 'online' } })),
    WatchFloor: () => Promise.resolve(f),
  });
}

async function openFloor() {
  fireEvent.click(await screen.findByTestId('view-floor'));
  return screen.findAllByTestId('floor-team');
}

describe('floor view', () => {
  it('is for supervisors only: an agent has no floor switch', async () => {
    const fake = installFakeWails({
      Bootstrap: () => Promise.resolve(signedInBoot()),
    });
    render(<App lang="en" />);
    await screen.findByTestId('tab-mine');
    expect(screen.queryByTestId('view-floor')).toBeNull();
    expect(fake.app.WatchFloor).not.toHaveBeenCalled();
  });

  it('shows the teams, waits, agents and their conversations', async () => {
    const fake = bootSupervisor();
    render(<App lang="en" />);
    const [card] = await openFloor();
    expect(fake.app.WatchFloor).toHaveBeenCalledWith(true);
    const fig = (id: string) => within(card!).getByTestId(`figure-${id}`);
    expect(fig('queue')).toHaveTextContent('3');
    expect(fig('longest-wait')).toHaveTextContent(/1:3\d/);
    expect(fig('median-wait')).toHaveTextContent('0:40');
    expect(fig('agents')).toHaveTextContent('2 / 1 / 0');
    expect(fig('load')).toHaveTextContent('3 / 10');
    expect(card).toHaveTextContent('SLA: wait 2:00 · first reply 1:00 · next reply 1:30');
    expect(card).toHaveAttribute('data-breach', 'false');
    expect(within(card!).getByTestId('floor-chart')).toHaveAttribute('data-samples', '3');

    const rows = screen.getAllByTestId('floor-agent');
    expect(rows.map((r) => r.dataset.agentId)).toEqual(['u_alice', 'u_bob']);
    const [aliceRow, bobRow] = rows as [HTMLElement, HTMLElement];
    expect(within(aliceRow).getByTestId('agent-load')).toHaveTextContent('2 / 5');
    expect(within(aliceRow).getByTestId('agent-in-status')).toHaveTextContent(/2:0\d/);
    expect(within(bobRow).getByTestId('auto-away')).toHaveTextContent(
      'Set away after missed offers',
    );
    expect(within(bobRow).getByTestId('agent-missed')).toHaveTextContent('3');

    const convs = within(aliceRow).getAllByTestId('floor-conv');
    expect(convs).toHaveLength(2);
    expect(within(convs[0]!).getByTestId('floor-conv-awaiting')).toHaveTextContent(
      /Customer waiting 1:1\d/,
    );
    expect(within(convs[0]!).getByTestId('floor-conv-first')).toHaveTextContent(
      'First reply in 0:30',
    );
    expect(convs[1]).toHaveAttribute('data-breach', 'true');
    expect(within(convs[1]!).getByTestId('floor-conv-over')).toHaveTextContent(
      'First reply past SLA',
    );
    expect(convs[1]).toHaveTextContent('Asks for help');
  });

  it('highlights SLA breaches', async () => {
    bootSupervisor({
      ...floor,
      teams: [team({ longest_wait_ms: 200_000, queue_over_sla: 2, response_over_sla: 1 })],
    });
    render(<App lang="en" />);
    const [card] = await openFloor();
    expect(card).toHaveAttribute('data-breach', 'true');
    expect(card).toHaveClass('floor-team-breach');
    for (const id of ['longest-wait', 'queue-over-sla', 'response-over-sla']) {
      expect(within(card!).getByTestId(`figure-${id}`)).toHaveAttribute('data-breach', 'true');
    }
    expect(within(card!).getByTestId('figure-queue')).not.toHaveAttribute('data-breach');
  });

  it('follows the pushes without a refresh button', async () => {
    const fake = bootSupervisor();
    render(<App lang="en" />);
    const [card] = await openFloor();
    expect(screen.queryByRole('button', { name: /refresh/i })).toBeNull();
    act(() =>
      fake.emit('floor', {
        ...floor,
        at: AT + 1000,
        teams: [team({ queue: 7, queue_over_sla: 1 })],
      }),
    );
    expect(within(card!).getByTestId('figure-queue')).toHaveTextContent('7');
    expect(card).toHaveAttribute('data-breach', 'true');
    // An older floor that arrives late changes nothing.
    act(() => fake.emit('floor', { ...floor, at: AT - 5000, teams: [team({ queue: 1 })] }));
    expect(within(card!).getByTestId('figure-queue')).toHaveTextContent('7');
  });

  it('opens a conversation from the agents table, and Alt+F switches back', async () => {
    const fake = bootSupervisor();
    fake.app.ListConversations.mockImplementation((filter) =>
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
    );
    render(<App lang="en" />);
    await openFloor();
    expect(fake.app.ListConversations).toHaveBeenCalledWith('teams');
    fireEvent.click(screen.getAllByTestId('floor-conv')[1]!);
    // c2 is in no list yet: opened from what the floor knows of it.
    expect(await screen.findByTestId('monitor-pane')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Li' })).toBeInTheDocument();
    expect(fake.app.TranscriptPage).toHaveBeenCalledWith('c2', 0, expect.any(Number));
    expect(screen.getByTestId('view-conversations')).toHaveAttribute('aria-pressed', 'true');

    fireEvent.keyDown(window, { code: 'KeyF', altKey: true });
    expect(await screen.findByTestId('floor-view')).toBeInTheDocument();
    fireEvent.keyDown(window, { code: 'KeyF', altKey: true });
    expect(screen.queryByTestId('floor-view')).toBeNull();
  });

  it('says why when the server cannot show the floor', async () => {
    const fake = bootSupervisor();
    fake.app.WatchFloor.mockRejectedValue('unknown_type: unknown frame type "floor"');
    render(<App lang="en" />);
    fireEvent.click(await screen.findByTestId('view-floor'));
    expect(await screen.findByTestId('floor-error')).toHaveTextContent(
      'The floor cannot be shown:',
    );
  });

  it('words the floor in Chinese', async () => {
    bootSupervisor();
    render(<App lang="zh-CN" />);
    const [card] = await openFloor();
    expect(within(card!).getByTestId('figure-queue')).toHaveTextContent('排队');
    expect(screen.getAllByTestId('floor-agent')[1]).toHaveTextContent('因错过邀请被设为离开');
  });
});

describe('chart and clock', () => {
  it('scales each line to its own maximum, oldest left', () => {
    expect(chartPoints([], 0)).toBe('');
    expect(chartPoints([0, 2, 4], 4)).toBe('3.0,53.0 120.0,28.0 237.0,3.0');
    expect(chartPoints([0, 0], 0)).toBe('3.0,53.0 237.0,53.0');
  });
  it.each([
    [0, '0:00'],
    [59_999, '0:59'],
    [95_000, '1:35'],
    [3_600_000 + 61_000, '1:01:01'],
    [-5, '0:00'],
  ])('formatClock(%s) = %s', (ms, want) => {
    expect(formatClock(ms)).toBe(want);
  });
});
