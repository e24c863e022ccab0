import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../App';
import { conversation, installFakeWails, pending, sent, signedInBoot } from '../../test/fakeWails';

function bootSignedIn() {
  const queued = conversation({
    id: 'q1',
    customer_name: 'Wang',
    last_text: '转人工',
    ext: { order_no: 'SO-1' },
  });
  const fake = installFakeWails({
    Bootstrap: () => Promise.resolve(signedInBoot()),
    ListConversations: (filter) => Promise.resolve(filter === 'queue' ? [queued] : []),
    Transcript: () => Promise.resolve([sent('q1', 1, 'hello'), sent('q1', 2, 'answer', 'bot')]),
    Accept: () =>
      Promise.resolve({
        ...queued,
        state: 'active',
        assignee_id: 'u_alice',
        assignee_name: 'Alice',
        updated_at: queued.updated_at + 1,
      }),
    Resolve: () =>
      Promise.resolve({
        ...queued,
        state: 'resolved',
        assignee_id: 'u_alice',
        updated_at: queued.updated_at + 2,
      }),
    Send: (id, text) => Promise.resolve(pending(id, 'p1', text)),
  });
  return fake;
}

describe('workspace', () => {
  it('accepts from the queue, replies, and sees the ack', async () => {
    const fake = bootSignedIn();
    const user = userEvent.setup();
    render(<App lang="en" />);

    expect(await screen.findByTestId('conn-state')).toHaveAttribute('data-state', 'online');
    await user.click(screen.getByTestId('tab-queue'));
    expect(screen.getByTestId('tab-queue')).toHaveTextContent('1');
    const item = await screen.findByTestId('conv-item');
    expect(item).toHaveAttribute('data-conversation-id', 'q1');
    expect(item).toHaveAttribute('data-state', 'queued');
    await user.click(item);

    expect(await screen.findAllByTestId('msg')).toHaveLength(2);
    expect(screen.getByTestId('composer-input')).toBeDisabled();
    expect(screen.queryByTestId('btn-resolve')).toBeNull();
    const ctx = screen.getByTestId('context-panel');
    expect(within(ctx).getByText('SO-1')).toBeInTheDocument();

    await user.click(screen.getByTestId('btn-accept'));
    const input = await screen.findByTestId('composer-input');
    expect(input).toBeEnabled();
    expect(screen.queryByTestId('btn-accept')).toBeNull();
    await user.click(screen.getByTestId('tab-mine'));
    expect(screen.getByTestId('conv-item')).toHaveAttribute('data-state', 'active');

    await user.type(input, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(input).toHaveValue('line one\nline two');
    await user.type(input, '{Enter}');
    expect(fake.app.Send).toHaveBeenCalledWith('q1', 'line one\nline two');
    expect(input).toHaveValue('');
    const mine = screen.getAllByTestId('msg').at(-1)!;
    expect(mine).toHaveAttribute('data-pending', 'true');

    act(() =>
      fake.emit('ack', {
        conversation_id: 'q1',
        client_msg_id: 'p1',
        seq: 3,
        epoch: 1,
        created_at: 5,
      }),
    );
    const last = screen.getAllByTestId('msg').at(-1)!;
    expect(last).toHaveAttribute('data-pending', 'false');
    expect(last).toHaveAttribute('data-seq', '3');

    // The push of the same stored message does not duplicate it.
    act(() => fake.emit('message', { ...pending('q1', 'p1', 'line one\nline two'), seq: 3 }));
    expect(screen.getAllByTestId('msg')).toHaveLength(3);

    await user.click(screen.getByTestId('btn-resolve'));
    expect(await screen.findByTestId('composer-input')).toBeDisabled();
  });

  it('shows a translated error when another agent was faster', async () => {
    const fake = bootSignedIn();
    fake.app.Accept.mockImplementation(() => Promise.reject('illegal_transition: already active'));
    const user = userEvent.setup();
    render(<App lang="en" />);
    await user.click(await screen.findByTestId('tab-queue'));
    await user.click(await screen.findByTestId('conv-item'));
    await user.click(screen.getByTestId('btn-accept'));
    expect(await screen.findByRole('alert')).toHaveTextContent('someone else may have taken it');
  });

  it('removes a queue entry another agent accepted and returns to sign-in when the session ends', async () => {
    const fake = bootSignedIn();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await user.click(await screen.findByTestId('tab-queue'));
    await screen.findByTestId('conv-item');
    act(() =>
      fake.emit(
        'conversation',
        conversation({
          id: 'q1',
          state: 'active',
          assignee_id: 'u_bob',
          updated_at: 1_800_000_000_000,
        }),
      ),
    );
    expect(screen.queryByTestId('conv-item')).toBeNull();

    act(() => fake.emit('session:ended', { reason: 'token_expired' }));
    expect(await screen.findByTestId('signin-username')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Your session expired');
  });

  it('shows the connection state with the number of unsent messages', async () => {
    const fake = bootSignedIn();
    render(<App lang="en" />);
    const pill = await screen.findByTestId('conn-state');
    expect(screen.queryByTestId('conn-pending')).toBeNull();

    act(() => fake.emit('conn:state', { state: 'offline', pending: 3 }));
    expect(pill).toHaveAttribute('data-state', 'offline');
    expect(pill).toHaveTextContent('Offline · 3 pending');

    act(() => fake.emit('conn:state', { state: 'online', pending: 0 }));
    expect(pill).toHaveAttribute('data-state', 'online');
    expect(screen.queryByTestId('conn-pending')).toBeNull();
  });

  it('counts the queue wait from queued_at, not from the last message', async () => {
    const fake = bootSignedIn();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await user.click(await screen.findByTestId('tab-queue'));
    const now = Date.now();
    act(() =>
      fake.emit(
        'conversation',
        conversation({
          id: 'q2',
          customer_name: 'Li',
          queued_at: now - 7.5 * 60_000,
          updated_at: now,
        }),
      ),
    );
    const item = (await screen.findAllByTestId('conv-item')).find(
      (el) => el.getAttribute('data-conversation-id') === 'q2',
    );
    expect(item).toBeDefined();
    expect(within(item!).getByTestId('conv-wait')).toHaveTextContent('Waiting 7 min');
  });

  it('unsubscribes from every event on unmount', async () => {
    const fake = bootSignedIn();
    const { unmount } = render(<App lang="en" />);
    await screen.findByTestId('conn-state');
    for (const name of ['conn:state', 'conversation', 'message', 'ack', 'session:ended']) {
      expect(fake.listeners(name)).toBe(1);
    }
    unmount();
    for (const name of ['conn:state', 'conversation', 'message', 'ack', 'session:ended']) {
      expect(fake.listeners(name)).toBe(0);
    }
  });
});
