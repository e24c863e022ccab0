import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Conversation } from '../../api/types';
import { App } from '../../App';
import type { Lang } from '../../i18n';
import { alice, conversation, installFakeWails, signedInBoot } from '../../test/fakeWails';
import { matchesQuery } from './ConversationList';

const tagged = conversation({
  id: 'a1',
  customer_name: 'Wang',
  state: 'active',
  assignee_id: 'u_alice',
  tags: ['refund', 'vip', '加急', 'wholesale'],
});
const two = conversation({
  id: 'a2',
  customer_name: 'Li',
  state: 'active',
  assignee_id: 'u_alice',
  tags: ['complaint', 'vip'],
});
const none = conversation({
  id: 'a3',
  customer_name: 'Zhao',
  state: 'active',
  assignee_id: 'u_alice',
});

function boot() {
  return installFakeWails({
    Bootstrap: () => Promise.resolve(signedInBoot()),
    ListConversations: (filter) => Promise.resolve(filter === 'mine' ? [tagged, two, none] : []),
  });
}

async function rows(lang: Lang = 'en') {
  render(<App lang={lang} />);
  await screen.findAllByTestId('conv-item');
  const row = (id: string) =>
    screen.getAllByTestId('conv-item').find((el) => el.dataset.conversationId === id)!;
  return row;
}

const ids = () => screen.queryAllByTestId('conv-item').map((el) => el.dataset.conversationId);

describe('tags in the conversation list', () => {
  it('shows at most two tag chips per row, then how many more', async () => {
    boot();
    const row = await rows();
    const a1 = within(row('a1'));
    expect(a1.getAllByTestId('conv-tag').map((c) => c.textContent)).toEqual(['refund', 'vip']);
    expect(a1.getByTestId('conv-tags-more')).toHaveTextContent('+2');
    expect(a1.getByTestId('conv-tags')).toHaveAttribute(
      'title',
      'Tags: refund, vip, 加急, wholesale',
    );

    const a2 = within(row('a2'));
    expect(a2.getAllByTestId('conv-tag').map((c) => c.textContent)).toEqual(['complaint', 'vip']);
    expect(a2.queryByTestId('conv-tags-more')).toBeNull();

    expect(within(row('a3')).queryByTestId('conv-tags')).toBeNull();
  });

  it('lists every tag in Chinese on hover', async () => {
    boot();
    const row = await rows('zh-CN');
    expect(within(row('a1')).getByTestId('conv-tags')).toHaveAttribute(
      'title',
      '标签：refund、vip、加急、wholesale',
    );
  });

  it('follows tag changes pushed by the Go side', async () => {
    const fake = boot();
    const row = await rows();
    act(() =>
      fake.emit('conversation', { ...none, tags: ['new'], updated_at: none.updated_at + 1 }),
    );
    expect(
      within(row('a3'))
        .getAllByTestId('conv-tag')
        .map((c) => c.textContent),
    ).toEqual(['new']);
    act(() =>
      fake.emit('conversation', { ...tagged, tags: undefined, updated_at: tagged.updated_at + 1 }),
    );
    expect(within(row('a1')).queryByTestId('conv-tags')).toBeNull();
  });

  it('finds conversations by tag, hidden ones too, in any case', async () => {
    boot();
    const user = userEvent.setup();
    await rows();
    const search = screen.getByTestId('conv-search');
    await user.type(search, 'VIP');
    expect(ids()).toEqual(['a1', 'a2']);
    // A tag beyond the two shown still matches.
    await user.clear(search);
    await user.type(search, '加急');
    expect(ids()).toEqual(['a1']);
    await user.clear(search);
    await user.type(search, 'complaint');
    expect(ids()).toEqual(['a2']);
  });
});

describe('a long conversation list', () => {
  const many = Array.from({ length: 120 }, (_, i) =>
    conversation({
      id: `m${i}`,
      customer_name: `Customer ${i}`,
      state: 'active',
      assignee_id: 'u_alice',
      updated_at: 1_700_000_000_000 - i * 1000,
    }),
  );

  it('draws only the rows near the view, newest first, and finds the others', async () => {
    installFakeWails({
      Bootstrap: () => Promise.resolve(signedInBoot()),
      ListConversations: (filter) => Promise.resolve(filter === 'mine' ? many : []),
    });
    const user = userEvent.setup();
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    expect(screen.getByTestId('tab-mine')).toHaveAttribute('data-count', '120');
    const shown = ids();
    expect(shown[0]).toBe('m0');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(120);
    expect(shown).not.toContain('m119');

    await user.type(screen.getByTestId('conv-search'), 'Customer 119');
    expect(ids()).toEqual(['m119']);
  });
});

describe('the lists of the boot state', () => {
  const bootWith = (lists: { [filter: string]: Conversation[] }) =>
    installFakeWails({
      Bootstrap: () => Promise.resolve(signedInBoot(alice, { conn: { state: 'offline' }, lists })),
      ListConversations: (filter) => Promise.resolve(filter === 'mine' ? [tagged] : []),
    });

  it('draws the workspace with them and does not ask for them again', async () => {
    const fake = bootWith({ mine: [tagged, two], queue: [] });
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    expect(ids()).toEqual(expect.arrayContaining(['a1', 'a2']));
    expect(fake.app.ListConversations).not.toHaveBeenCalled();
    expect(fake.app.ResolvedSince).toHaveBeenCalled();
  });

  it('asks for the lists when one is missing', async () => {
    const fake = bootWith({ mine: [two] });
    render(<App lang="en" />);
    await screen.findAllByTestId('conv-item');
    await vi.waitFor(() => expect(fake.app.ListConversations).toHaveBeenCalledWith('queue'));
    expect(fake.app.ListConversations).toHaveBeenCalledWith('mine');
    await vi.waitFor(() => expect(ids()).toEqual(expect.arrayContaining(['a1', 'a2'])));
  });
});

describe('matchesQuery', () => {
  const tests = [
    { name: 'empty query', conv: none, q: '', want: true },
    { name: 'name', conv: two, q: 'li', want: true },
    { name: 'tag', conv: two, q: 'compl', want: true },
    { name: 'tag any case', conv: tagged, q: 'WHOLESALE', want: true },
    { name: 'no tags', conv: none, q: 'vip', want: false },
    { name: 'absent tags', conv: { ...none, tags: undefined }, q: 'vip', want: false },
  ];
  for (const tt of tests) {
    it(tt.name, () => {
      expect(matchesQuery(tt.conv, '', tt.q)).toBe(tt.want);
    });
  }
});
