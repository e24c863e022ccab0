import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import { ApiError } from '../../api';
import type { DirectoryData } from '../../api/types';
import { I18nProvider } from '../../i18n';
import { alice, conversation, installFakeWails, signedInBoot } from '../../test/fakeWails';
import { TransferDialog, agentAvailable } from './TransferDialog';

const directory: DirectoryData = {
  agents: [
    {
      id: 'u_alice',
      name: 'Alice',
      role: 'agent',
      status: 'online',
      load: 1,
      capacity: 5,
      teams: [],
    },
    { id: 'u_bob', name: 'Bob', role: 'agent', status: 'online', load: 2, capacity: 5, teams: [] },
    {
      id: 'u_carol',
      name: 'Carol',
      role: 'agent',
      status: 'away',
      load: 0,
      capacity: 5,
      teams: [],
    },
    {
      id: 'u_dave',
      name: 'Dave',
      role: 'agent',
      status: 'online',
      load: 5,
      capacity: 5,
      teams: [],
    },
    {
      id: 'u_erin',
      name: 'Erin',
      role: 'agent',
      status: 'offline',
      load: 0,
      capacity: 5,
      teams: null,
    },
  ],
  teams: [
    { id: 'presales', name: 'Presales', queue_length: 3, agents_online: 2 },
    { id: 'aftersales', name: 'After-sales', queue_length: 0, agents_online: 0 },
  ],
};

function renderDialog(onTransfer = vi.fn(() => Promise.resolve<ApiError | null>(null))) {
  const fake = installFakeWails({ Directory: () => Promise.resolve(directory) });
  const onClose = vi.fn();
  render(
    <I18nProvider lang="en">
      <TransferDialog conversationId="c1" me="u_alice" onClose={onClose} onTransfer={onTransfer} />
    </I18nProvider>,
  );
  return { fake, onClose, onTransfer };
}

describe('TransferDialog', () => {
  it('lists agents with status and load, disabling those who cannot take it', async () => {
    renderDialog();
    const bob = await screen.findByTestId('transfer-agent-u_bob');
    expect(bob).toBeEnabled();
    expect(bob).toHaveTextContent('Online · 2 / 5');
    expect(screen.getByTestId('transfer-agent-u_carol')).toBeDisabled();
    expect(screen.getByTestId('transfer-agent-u_carol')).toHaveTextContent('Away');
    expect(screen.getByTestId('transfer-agent-u_dave')).toBeDisabled();
    expect(screen.getByTestId('transfer-agent-u_dave')).toHaveTextContent('Full');
    expect(screen.getByTestId('transfer-agent-u_erin')).toBeDisabled();
    // Not to oneself.
    expect(screen.queryByTestId('transfer-agent-u_alice')).toBeNull();

    const pre = screen.getByTestId('transfer-team-presales');
    expect(pre).toHaveTextContent('Presales');
    expect(pre).toHaveTextContent('3 waiting · 2 online');
    expect(screen.getByTestId('transfer-team-aftersales')).toHaveTextContent('After-sales');
    expect(screen.getByTestId('btn-transfer-submit')).toBeDisabled();
  });

  it('transfers to an agent with a note and closes', async () => {
    const { onTransfer, onClose } = renderDialog();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('transfer-agent-u_bob'));
    expect(screen.getByTestId('transfer-agent-u_bob')).toHaveAttribute('aria-pressed', 'true');
    await user.type(screen.getByTestId('transfer-note'), '  VIP, wants a refund  ');
    await user.click(screen.getByTestId('btn-transfer-submit'));
    expect(onTransfer).toHaveBeenCalledWith({ agentId: 'u_bob' }, 'VIP, wants a refund');
    expect(onClose).toHaveBeenCalled();
  });

  it('transfers to a team', async () => {
    const { onTransfer } = renderDialog();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('transfer-agent-u_bob'));
    await user.click(screen.getByTestId('transfer-team-aftersales'));
    expect(screen.getByTestId('transfer-agent-u_bob')).toHaveAttribute('aria-pressed', 'false');
    await user.click(screen.getByTestId('btn-transfer-submit'));
    expect(onTransfer).toHaveBeenCalledWith({ team: 'aftersales' }, '');
  });

  it('shows a refusal translated and stays open', async () => {
    const { onClose } = renderDialog(
      vi.fn(() =>
        Promise.resolve<ApiError | null>(new ApiError('target_unavailable', 'bob is full')),
      ),
    );
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('transfer-agent-u_bob'));
    await user.click(screen.getByTestId('btn-transfer-submit'));
    expect(await screen.findByTestId('transfer-error')).toHaveTextContent(
      'That agent or team cannot take the conversation now',
    );
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByTestId('transfer-dialog')).toBeInTheDocument();
  });

  it('shows why the directory could not be read', async () => {
    installFakeWails({ Directory: () => Promise.reject('forbidden: staff only') });
    render(
      <I18nProvider lang="zh-CN">
        <TransferDialog conversationId="c1" me="u_alice" onClose={vi.fn()} onTransfer={vi.fn()} />
      </I18nProvider>,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('你没有权限执行此操作。');
  });

  it('agentAvailable', () => {
    const [alice_, bob, carol, dave] = directory.agents!;
    expect(agentAvailable(bob!, 'u_alice')).toBe(true);
    expect(agentAvailable(alice_!, 'u_alice')).toBe(false);
    expect(agentAvailable(carol!, 'u_alice')).toBe(false);
    expect(agentAvailable(dave!, 'u_alice')).toBe(false);
  });
});

describe('conversation actions', () => {
  function bootActive() {
    const conv = conversation({
      id: 'a1',
      state: 'active',
      assignee_id: 'u_alice',
      assignee_name: 'Alice',
    });
    const fake = installFakeWails({
      Bootstrap: () =>
        Promise.resolve(signedInBoot(alice, { conn: { state: 'online', status: 'online' } })),
      ListConversations: (filter) => Promise.resolve(filter === 'mine' ? [conv] : []),
      Directory: () => Promise.resolve(directory),
      Transfer: (_id, agent) =>
        Promise.resolve({
          ...conv,
          offer_agent_id: agent,
          offer_agent_name: 'Bob',
          offer_expires_at: Date.now() + 30_000,
          transfer_from_id: 'u_alice',
          updated_at: conv.updated_at + 1,
        }),
      HandBack: () =>
        Promise.resolve({
          ...conv,
          state: 'bot',
          assignee_id: undefined,
          updated_at: conv.updated_at + 2,
        }),
    });
    return fake;
  }

  it('opens the transfer dialog from the header and shows the pending transfer', async () => {
    const fake = bootActive();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await user.click(await screen.findByTestId('conv-item'));
    await user.click(screen.getByTestId('btn-transfer'));
    const dialog = await screen.findByTestId('transfer-dialog');
    await user.click(await within(dialog).findByTestId('transfer-agent-u_bob'));
    await user.type(within(dialog).getByTestId('transfer-note'), 'see order SO-1');
    await user.click(within(dialog).getByTestId('btn-transfer-submit'));
    expect(fake.app.Transfer).toHaveBeenCalledWith('a1', 'u_bob', '', 'see order SO-1');
    expect(screen.queryByTestId('transfer-dialog')).toBeNull();
    expect(await screen.findByTestId('transfer-pending')).toHaveTextContent(
      'Waiting for Bob to accept the transfer',
    );
    // Still mine until bob accepts, and no offer banner for me.
    expect(screen.getByTestId('composer-input')).toBeEnabled();
    expect(screen.queryByTestId('offer-banner')).toBeNull();
  });

  it('hands back to the bot', async () => {
    const fake = bootActive();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await user.click(await screen.findByTestId('conv-item'));
    await user.click(screen.getByTestId('btn-handback'));
    expect(fake.app.HandBack).toHaveBeenCalledWith('a1');
    expect(await screen.findByTestId('composer-input')).toBeDisabled();
    expect(screen.queryByTestId('btn-handback')).toBeNull();
    expect(screen.queryByTestId('btn-transfer')).toBeNull();
  });

  it('switches the status in the header', async () => {
    const fake = bootActive();
    render(<App lang="en" />);
    const sw = await screen.findByTestId('status-switch');
    expect(sw).toHaveValue('online');
    fireEvent.change(sw, { target: { value: 'away' } });
    expect(fake.app.SetStatus).toHaveBeenCalledWith('away');
    await vi.waitFor(() => expect(sw).toHaveAttribute('data-status', 'away'));
    expect(sw).toHaveValue('away');
  });
});
