import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import type { Conversation } from '../../api/types';
import { conversation, installFakeWails, sam, sent, signedInBoot } from '../../test/fakeWails';

/** Alice's conversation with Wang, of Sam's team. */
const c1: Conversation = conversation({
  id: 'c1',
  customer_name: 'Wang',
  state: 'active',
  assignee_id: 'u_alice',
  assignee_name: 'Alice',
  last_seq: 2,
});

function bootSupervisor() {
  const fake = installFakeWails({
    Bootstrap: () =>
      Promise.resolve(signedInBoot(sam, { conn: { state: 'online', status: 'online' } })),
    ListConversations: (filter) => Promise.resolve(filter === 'teams' ? [c1] : []),
    Transcript: (id) =>
      Promise.resolve(id === 'c1' ? [sent('c1', 1, 'hello'), sent('c1', 2, 'hi', 'agent')] : []),
  });
  return fake;
}

/** Opens c1 from the floor. */
async function openC1(fake: ReturnType<typeof bootSupervisor>) {
  fake.app.WatchFloor.mockResolvedValue({
    at: 1,
    teams: [],
    agents: [
      {
        id: 'u_alice',
        name: 'Alice',
        role: 'agent',
        teams: ['presales'],
        status: 'online',
        load: 1,
        capacity: 5,
        missed_offers: 0,
        conversations: [
          {
            id: 'c1',
            customer_name: 'Wang',
            state: 'active',
            awaiting_ms: 0,
            first_response_ms: 1000,
            responded: true,
          },
        ],
      },
    ],
  });
  render(<App lang="en" />);
  fireEvent.click(await screen.findByTestId('view-floor'));
  fireEvent.click(await screen.findByTestId('floor-conv'));
  return screen.findByTestId('monitor-pane');
}

describe('monitor pane', () => {
  it('monitors silently and shows the agent’s live draft', async () => {
    const fake = bootSupervisor();
    const pane = await openC1(fake);
    // A supervisor watching has no reply box until they join.
    expect(screen.queryByTestId('composer-input')).toBeNull();
    expect(within(pane).queryByTestId('monitor-draft')).toBeNull();

    fireEvent.click(within(pane).getByTestId('btn-monitor'));
    expect(fake.app.Monitor).toHaveBeenCalledWith('c1', true);
    await vi.waitFor(() =>
      expect(within(pane).getByTestId('btn-monitor')).toHaveAttribute('aria-pressed', 'true'),
    );
    expect(within(pane).getByTestId('monitor-draft')).toHaveTextContent('Alice is not typing');

    act(() =>
      fake.emit('draft', {
        conversation_id: 'c1',
        sender: { role: 'agent', id: 'u_alice', name: 'Alice' },
        text: 'Your refund is on its w',
        at: 10,
      }),
    );
    expect(within(pane).getByTestId('monitor-draft')).toHaveTextContent(
      'Alice is typing: Your refund is on its w',
    );
    // A draft of another conversation does not show here.
    act(() =>
      fake.emit('draft', {
        conversation_id: 'c9',
        sender: { role: 'agent', id: 'u_bob', name: 'Bob' },
        text: 'elsewhere',
        at: 11,
      }),
    );
    expect(within(pane).getByTestId('monitor-draft-text')).toHaveTextContent(
      'Your refund is on its w',
    );
    // Sent: the composer is cleared, the line goes quiet.
    act(() =>
      fake.emit('draft', {
        conversation_id: 'c1',
        sender: { role: 'agent', id: 'u_alice', name: 'Alice' },
        text: '',
        at: 12,
      }),
    );
    expect(within(pane).getByTestId('monitor-draft')).toHaveTextContent('Alice is not typing');

    fireEvent.click(within(pane).getByTestId('btn-monitor'));
    expect(fake.app.Monitor).toHaveBeenLastCalledWith('c1', false);
    await vi.waitFor(() => expect(within(pane).queryByTestId('monitor-draft')).toBeNull());
  });

  it('sends a whisper, shown apart from replies', async () => {
    const fake = bootSupervisor();
    const pane = await openC1(fake);
    const box = within(pane).getByTestId('whisper-composer');
    expect(box).toHaveTextContent('Whisper — only agents see this');
    const input = within(box).getByTestId('whisper-input');
    expect(input).toHaveAttribute('placeholder', 'Whisper to Alice… the customer never sees it');
    await userEvent.type(input, 'Offer the voucher{Enter}');
    expect(fake.app.SendWhisper).toHaveBeenCalledWith(
      'c1',
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      'Offer the voucher',
    );
    expect(fake.app.Send).not.toHaveBeenCalled();
    expect(fake.app.SendNote).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(input).toHaveValue(''));
    const msg = await screen.findByTestId('msg-whisper');
    expect(msg).toHaveTextContent('Whisper · Only agents see this');
    expect(msg.closest('[data-testid="msg"]')).toHaveAttribute('data-visibility', 'whisper');
  });

  it('asks before joining, taking over and reassigning', async () => {
    const fake = bootSupervisor();
    fake.app.Join.mockResolvedValue({
      ...c1,
      joined: [{ role: 'supervisor', id: 'u_sam', name: 'Sam' }],
      updated_at: c1.updated_at + 1,
    });
    fake.app.TakeOver.mockResolvedValue({
      ...c1,
      assignee_id: 'u_sam',
      assignee_name: 'Sam',
      updated_at: c1.updated_at + 4,
    });
    fake.app.Directory.mockResolvedValue({
      agents: [
        {
          id: 'u_bob',
          name: 'Bob',
          role: 'agent',
          status: 'online',
          load: 0,
          capacity: 5,
          teams: ['presales'],
        },
      ],
      teams: [{ id: 'aftersales', name: 'Aftersales', queue_length: 0, agents_online: 1 }],
    });
    fake.app.Reassign.mockResolvedValue({
      ...c1,
      assignee_id: 'u_bob',
      assignee_name: 'Bob',
      updated_at: c1.updated_at + 3,
    });
    const pane = await openC1(fake);

    // Take over, then change one's mind: Escape closes, nothing happens.
    fireEvent.click(within(pane).getByTestId('btn-take-over'));
    const dialog = await screen.findByTestId('confirm-takeOver');
    expect(dialog).toHaveTextContent('Take over this conversation?');
    expect(dialog).toHaveTextContent('Alice is told and can no longer reply');
    expect(within(dialog).getByTestId('confirm-ok')).toHaveFocus();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByTestId('confirm-takeOver')).toBeNull();
    expect(fake.app.TakeOver).not.toHaveBeenCalled();

    // Join: confirmed, then the reply box is there and Leave replaces Join.
    fireEvent.click(within(pane).getByTestId('btn-join'));
    fireEvent.click(within(await screen.findByTestId('confirm-join')).getByTestId('confirm-ok'));
    expect(fake.app.Join).toHaveBeenCalledWith('c1');
    await vi.waitFor(() => expect(screen.queryByTestId('confirm-join')).toBeNull());
    expect(await screen.findByTestId('composer-input')).toBeEnabled();
    expect(within(pane).getByTestId('btn-leave')).toBeInTheDocument();
    expect(within(pane).queryByTestId('btn-join')).toBeNull();

    // Reassign reuses the transfer directory.
    fireEvent.click(within(pane).getByTestId('btn-reassign'));
    const rd = await screen.findByTestId('reassign-dialog');
    expect(rd).toHaveTextContent('Reassign the conversation');
    fireEvent.click(await within(rd).findByTestId('transfer-agent-u_bob'));
    fireEvent.click(within(rd).getByTestId('btn-transfer-submit'));
    expect(fake.app.Reassign).toHaveBeenCalledWith('c1', 'u_bob', '', '');
    await vi.waitFor(() => expect(screen.queryByTestId('reassign-dialog')).toBeNull());

    // Take over, confirmed.
    fireEvent.click(within(screen.getByTestId('monitor-pane')).getByTestId('btn-take-over'));
    fireEvent.click(
      within(await screen.findByTestId('confirm-takeOver')).getByTestId('confirm-ok'),
    );
    expect(fake.app.TakeOver).toHaveBeenCalledWith('c1');
    // Sam's now: the pane gives way to the ordinary tools.
    await vi.waitFor(() => expect(screen.queryByTestId('monitor-pane')).toBeNull());
    expect(screen.getByTestId('btn-resolve')).toBeInTheDocument();
  });

  it('keeps a refused step in the dialog with its reason', async () => {
    const fake = bootSupervisor();
    fake.app.Join.mockRejectedValue('forbidden: not your team');
    const pane = await openC1(fake);
    fireEvent.click(within(pane).getByTestId('btn-join'));
    const dialog = await screen.findByTestId('confirm-join');
    fireEvent.click(within(dialog).getByTestId('confirm-ok'));
    expect(await within(dialog).findByTestId('confirm-error')).toBeInTheDocument();
    fireEvent.click(within(dialog).getByTestId('confirm-cancel'));
    expect(screen.queryByTestId('confirm-join')).toBeNull();
  });
});
