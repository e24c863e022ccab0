import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import type { Conversation, Message } from '../../api/types';
import { alice, conversation, installFakeWails, sent, signedInBoot } from '../../test/fakeWails';

/** Alice's active conversation with Wang. */
const c1: Conversation = conversation({
  id: 'c1',
  customer_name: 'Wang',
  state: 'active',
  assignee_id: 'u_alice',
  assignee_name: 'Alice',
  last_seq: 3,
});

const whisper: Message = {
  ...sent('c1', 3, 'Offer the 10% voucher'),
  sender: { role: 'supervisor', id: 'u_sam', name: 'Sam' },
  visibility: 'whisper',
};

const samMonitors = {
  conversation_id: 'c1',
  monitors: [{ role: 'supervisor', id: 'u_sam', name: 'Sam' }],
};

function bootAgent() {
  return installFakeWails({
    Bootstrap: () =>
      Promise.resolve(signedInBoot(alice, { conn: { state: 'online', status: 'online' } })),
    ListConversations: (filter) => Promise.resolve(filter === 'mine' ? [c1] : []),
    Transcript: () =>
      Promise.resolve([sent('c1', 1, 'hello'), sent('c1', 2, 'hi', 'agent'), whisper]),
  });
}

async function openC1() {
  fireEvent.click(await screen.findByTestId('conv-item'));
  return screen.findByTestId('transcript');
}

describe('the agent under supervision', () => {
  it('sees whispers apart from replies and notes', async () => {
    bootAgent();
    render(<App lang="en" />);
    await openC1();
    const chip = await screen.findByTestId('msg-whisper');
    expect(chip).toHaveTextContent('Whisper · Only agents see this');
    const bubble = chip.closest('[data-testid="msg"]');
    expect(bubble).toHaveClass('msg-whisper');
    expect(bubble).not.toHaveClass('msg-internal');
    expect(bubble).toHaveTextContent('Offer the 10% voucher');
  });

  it('raises and lowers Assist me', async () => {
    const fake = bootAgent();
    fake.app.Assist.mockImplementation((_id, on) =>
      Promise.resolve({
        ...c1,
        assist_at: on ? 5 : undefined,
        updated_at: c1.updated_at + (on ? 1 : 2),
      }),
    );
    render(<App lang="en" />);
    await openC1();
    const btn = screen.getByTestId('btn-assist');
    expect(btn).toHaveAttribute('aria-pressed', 'false');
    expect(btn).toHaveTextContent('Assist me');
    fireEvent.click(btn);
    expect(fake.app.Assist).toHaveBeenCalledWith('c1', true);
    await vi.waitFor(() =>
      expect(screen.getByTestId('btn-assist')).toHaveAttribute('aria-pressed', 'true'),
    );
    expect(screen.getByTestId('btn-assist')).toHaveTextContent('Help requested');
    fireEvent.click(screen.getByTestId('btn-assist'));
    expect(fake.app.Assist).toHaveBeenLastCalledWith('c1', false);
    await vi.waitFor(() =>
      expect(screen.getByTestId('btn-assist')).toHaveAttribute('aria-pressed', 'false'),
    );
  });

  it('shows who monitors, and sends the draft only while monitored', async () => {
    const fake = bootAgent();
    render(<App lang="en" />);
    await openC1();
    const input = screen.getByTestId('composer-input');
    await userEvent.type(input, 'Hi');
    expect(fake.app.SendDraft).not.toHaveBeenCalled();
    expect(screen.queryByTestId('monitored-by')).toBeNull();

    act(() => fake.emit('monitor', samMonitors));
    expect(screen.getByTestId('monitored-by')).toHaveTextContent('Monitored by Sam');
    // What is in the composer already goes to the new monitor.
    expect(fake.app.SendDraft).toHaveBeenLastCalledWith('c1', 'Hi');
    await userEvent.type(input, '!');
    expect(fake.app.SendDraft).toHaveBeenLastCalledWith('c1', 'Hi!');
    await userEvent.type(input, '{Enter}');
    expect(fake.app.Send).toHaveBeenCalledWith('c1', 'Hi!');
    await vi.waitFor(() => expect(fake.app.SendDraft).toHaveBeenLastCalledWith('c1', ''));

    act(() => fake.emit('monitor', { conversation_id: 'c1', monitors: [] }));
    expect(screen.queryByTestId('monitored-by')).toBeNull();
    const calls = fake.app.SendDraft.mock.calls.length;
    await userEvent.type(input, 'x');
    expect(fake.app.SendDraft).toHaveBeenCalledTimes(calls);
  });

  it('whispers back to the monitors', async () => {
    const fake = bootAgent();
    render(<App lang="en" />);
    await openC1();
    expect(screen.queryByTestId('agent-whisper-toggle')).toBeNull();
    act(() => fake.emit('monitor', samMonitors));
    const toggle = screen.getByTestId('agent-whisper-toggle');
    expect(toggle).toHaveTextContent('Whisper to Sam');
    fireEvent.click(toggle);
    await userEvent.type(screen.getByTestId('whisper-input'), 'Voucher ok?{Enter}');
    expect(fake.app.SendWhisper).toHaveBeenCalledWith('c1', expect.any(String), 'Voucher ok?');
    expect(fake.app.Send).not.toHaveBeenCalled();
  });

  it('is told when a supervisor takes the conversation over', async () => {
    const fake = bootAgent();
    render(<App lang="en" />);
    await openC1();
    act(() =>
      fake.emit('message', {
        ...sent('c1', 4, ''),
        kind: 'event',
        sender: { role: 'system' },
        event: { type: 'taken_over', actor: 'Sam', reason: 'Alice' },
      }),
    );
    act(() =>
      fake.emit('conversation', {
        ...c1,
        assignee_id: 'u_sam',
        assignee_name: 'Sam',
        updated_at: c1.updated_at + 1,
      }),
    );
    const notice = await screen.findByTestId('taken-notice');
    expect(notice).toHaveTextContent('Sam took over this conversation');
    expect(notice).toHaveAttribute('data-kind', 'taken_over');
    expect(
      await screen.findByText('Sam took over the conversation from Alice'),
    ).toBeInTheDocument();
    // No reply box and no Assist me in a conversation that is no longer mine.
    expect(screen.getByTestId('composer-input')).toBeDisabled();
    expect(screen.queryByTestId('btn-assist')).toBeNull();
    fireEvent.click(within(notice).getByRole('button'));
    expect(screen.queryByTestId('taken-notice')).toBeNull();
  });

  it('hears of a reassignment away from a tab where the conversation is not open', async () => {
    const fake = bootAgent();
    render(<App lang="zh-CN" />);
    await screen.findByTestId('conv-item');
    act(() =>
      fake.emit('conversation', {
        ...c1,
        assignee_id: 'u_bob',
        assignee_name: 'Bob',
        updated_at: c1.updated_at + 1,
      }),
    );
    const notice = await screen.findByTestId('global-taken-notice');
    expect(notice).toHaveTextContent('Wang — 此会话现由 Bob 处理');
  });

  it('is told when the server set them away for missed offers', async () => {
    const fake = bootAgent();
    render(<App lang="en" />);
    await screen.findByTestId('conv-item');
    act(() => fake.emit('status', { status: 'away', reason: 'missed_offers' }));
    const notice = screen.getByTestId('auto-away-notice');
    expect(notice).toHaveTextContent('You were set to Away after missing offers');
    expect(screen.getByTestId('status-switch')).toHaveValue('away');
    fireEvent.click(within(notice).getByTestId('btn-go-online'));
    expect(fake.app.SetStatus).toHaveBeenCalledWith('online');
    await vi.waitFor(() => expect(screen.queryByTestId('auto-away-notice')).toBeNull());
  });
});
