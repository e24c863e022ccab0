import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api';
import type { ContextData, Conversation, CustomerNote } from '../../api/types';
import { App } from '../../App';
import { I18nProvider, type Lang } from '../../i18n';
import type { ContextStatus } from '../../state/reducer';
import { conversation, customerNote, installFakeWails, signedInBoot } from '../../test/fakeWails';
import { ContextDetails } from './ContextPanel';
import type { AddNote } from './NotesSection';
import type { SetTags } from './TagsSection';
import { MAX_CUSTOMER_NOTE, MAX_TAG, MAX_TAGS, parseTags } from './tags';

/** A promise with its resolve function, to hold a request open. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function loaded(over: Partial<ContextData> = {}): ContextStatus {
  return {
    status: 'loaded',
    data: {
      conversation_id: 'c1',
      customer: { id: 'v1', name: 'Customer One', created_at: 0, conversations: 1 },
      previous: [],
      tags: [],
      notes: [],
      ...over,
    },
  };
}

function renderPanel({
  conv = conversation(),
  context = loaded(),
  onSetTags,
  onAddNote,
  lang = 'en',
}: {
  conv?: Conversation;
  context?: ContextStatus;
  onSetTags?: SetTags;
  onAddNote?: AddNote;
  lang?: Lang;
}) {
  return render(
    <I18nProvider lang={lang}>
      <ContextDetails conv={conv} context={context} onSetTags={onSetTags} onAddNote={onAddNote} />
    </I18nProvider>,
  );
}

const chips = () => screen.queryAllByTestId('ctx-tag').map((c) => c.textContent?.replace('×', ''));
const tagInput = () => screen.getByTestId('ctx-tag-input');
const noteTexts = () =>
  screen.queryAllByTestId('ctx-note').map((n) => n.querySelector('.note-text')?.textContent);

describe('parseTags', () => {
  const tests: {
    name: string;
    text: string;
    existing: string[];
    want: ReturnType<typeof parseTags>;
  }[] = [
    {
      name: 'trims and collapses',
      text: '  big \t order ',
      existing: [],
      want: { ok: true, add: ['big order'] },
    },
    {
      name: 'splits at commas',
      text: 'a, b，c、 ,',
      existing: [],
      want: { ok: true, add: ['a', 'b', 'c'] },
    },
    {
      name: 'drops known ones, any case',
      text: 'VIP, new',
      existing: ['vip'],
      want: { ok: true, add: ['new'] },
    },
    { name: 'dedupes within', text: 'x, X', existing: [], want: { ok: true, add: ['x'] } },
    {
      name: 'nothing new',
      text: 'Vip',
      existing: ['vip'],
      want: { ok: false, problem: 'duplicate', tag: 'Vip' },
    },
    { name: 'empty', text: ' , ', existing: [], want: { ok: true, add: [] } },
    {
      name: 'at the length limit',
      text: '标'.repeat(MAX_TAG),
      existing: [],
      want: { ok: true, add: ['标'.repeat(MAX_TAG)] },
    },
    {
      name: 'over the length limit',
      text: `ok, ${'a'.repeat(MAX_TAG + 1)}`,
      existing: [],
      want: { ok: false, problem: 'tooLong', tag: 'a'.repeat(MAX_TAG + 1) },
    },
    {
      name: 'over the count limit',
      text: 'one, two',
      existing: Array.from({ length: MAX_TAGS - 1 }, (_, i) => `t${i}`),
      want: { ok: false, problem: 'tooMany', tag: 'two' },
    },
  ];
  for (const tt of tests) {
    it(tt.name, () => {
      expect(parseTags(tt.text, tt.existing)).toEqual(tt.want);
    });
  }
});

describe('tags in the context panel', () => {
  it('adds with Enter and shows the server’s tags, not what was typed; waits meanwhile', async () => {
    const user = userEvent.setup();
    const pending = deferred<ApiError | null>();
    const onSetTags = vi.fn<SetTags>(() => pending.promise);
    const view = renderPanel({ conv: conversation({ tags: ['refund'] }), onSetTags });
    expect(chips()).toEqual(['refund']);

    await user.type(tagInput(), '  Big   order {Enter}');
    expect(onSetTags).toHaveBeenCalledWith(['Big order'], []);
    // Not optimistic: the chip waits for the server, and so do the controls.
    expect(chips()).toEqual(['refund']);
    expect(tagInput()).toBeDisabled();
    expect(screen.getByTestId('ctx-tag-remove')).toBeDisabled();

    view.rerender(
      <I18nProvider lang="en">
        <ContextDetails
          conv={conversation({ tags: ['big order', 'refund'] })}
          context={loaded()}
          onSetTags={onSetTags}
        />
      </I18nProvider>,
    );
    await act(async () => pending.resolve(null));
    expect(chips()).toEqual(['big order', 'refund']);
    expect(tagInput()).toBeEnabled();
    expect(tagInput()).toHaveValue('');
    expect(tagInput()).toHaveFocus();
  });

  it('adds at a comma, several when pasted, and full-width commas too', async () => {
    const user = userEvent.setup();
    const onSetTags = vi.fn<SetTags>(() => Promise.resolve(null));
    renderPanel({ onSetTags });
    await user.type(tagInput(), 'vip,');
    expect(onSetTags).toHaveBeenLastCalledWith(['vip'], []);
    await waitFor(() => expect(tagInput()).toBeEnabled());
    await user.click(tagInput());
    await user.paste('退款，物流, urgent');
    expect(onSetTags).toHaveBeenLastCalledWith(['退款', '物流', 'urgent'], []);
  });

  it('removes with × and with Backspace in the empty box', async () => {
    const user = userEvent.setup();
    const onSetTags = vi.fn<SetTags>(() => Promise.resolve(null));
    renderPanel({ conv: conversation({ tags: ['alpha', 'zeta'] }), onSetTags });
    await user.click(screen.getByRole('button', { name: 'Remove the tag “alpha”' }));
    expect(onSetTags).toHaveBeenLastCalledWith([], ['alpha']);
    await waitFor(() => expect(tagInput()).toBeEnabled());

    await user.type(tagInput(), 'x{Backspace}');
    expect(onSetTags).toHaveBeenCalledTimes(1);
    await user.keyboard('{Backspace}');
    expect(onSetTags).toHaveBeenLastCalledWith([], ['zeta']);
  });

  it('refuses tags over the limits with a message, without asking the server', async () => {
    const user = userEvent.setup();
    const onSetTags = vi.fn<SetTags>(() => Promise.resolve(null));
    const full = Array.from({ length: MAX_TAGS }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const view = renderPanel({ conv: conversation({ tags: ['vip'] }), onSetTags });

    await user.type(tagInput(), `${'x'.repeat(MAX_TAG + 1)}{Enter}`);
    expect(screen.getByTestId('ctx-tag-error')).toHaveTextContent(
      'A tag has at most 32 characters.',
    );
    expect(tagInput()).toHaveValue('x'.repeat(MAX_TAG + 1));
    expect(tagInput()).toHaveAttribute('aria-invalid', 'true');
    // Editing clears the message.
    await user.type(tagInput(), '{Backspace}');
    expect(screen.queryByTestId('ctx-tag-error')).toBeNull();

    await user.clear(tagInput());
    await user.type(tagInput(), 'VIP{Enter}');
    expect(screen.getByTestId('ctx-tag-error')).toHaveTextContent(
      'The conversation already has the tag “VIP”.',
    );

    view.rerender(
      <I18nProvider lang="en">
        <ContextDetails
          conv={conversation({ tags: full })}
          context={loaded()}
          onSetTags={onSetTags}
        />
      </I18nProvider>,
    );
    await user.clear(tagInput());
    await user.type(tagInput(), 'one more{Enter}');
    expect(screen.getByTestId('ctx-tag-error')).toHaveTextContent(
      'A conversation has at most 20 tags.',
    );
    expect(onSetTags).not.toHaveBeenCalled();
  });

  it('translates the server’s refusal and keeps what was typed', async () => {
    const user = userEvent.setup();
    const onSetTags = vi.fn<SetTags>(() =>
      Promise.resolve(new ApiError('invalid_request', 'tag is not allowed')),
    );
    renderPanel({ onSetTags, lang: 'zh-CN' });
    expect(screen.getByRole('heading', { name: '标签' })).toBeInTheDocument();
    await user.type(tagInput(), '加急{Enter}');
    expect(await screen.findByTestId('ctx-tag-error')).toHaveTextContent('标签未保存：请求无效。');
    expect(tagInput()).toHaveValue('加急');
    expect(chips()).toEqual([]);
  });

  it('is read-only without a way to change tags', () => {
    renderPanel({ conv: conversation({ tags: ['vip'] }) });
    expect(chips()).toEqual(['vip']);
    expect(screen.queryByTestId('ctx-tag-input')).toBeNull();
    expect(screen.queryByTestId('ctx-tag-remove')).toBeNull();
  });
});

describe('customer notes in the context panel', () => {
  const notes: CustomerNote[] = [
    customerNote({
      id: 'n3',
      text: 'See https://crm.example.com/v1',
      author_name: 'Bob',
      created_at: 1_700_000_300_000,
    }),
    customerNote({ id: 'n2', text: '<b>not bold</b>\nsecond line', created_at: 1_700_000_200_000 }),
    customerNote({ id: 'n1', text: 'first', created_at: 1_700_000_100_000 }),
  ];

  it('lists the notes newest first as text, with author and time', () => {
    renderPanel({ context: loaded({ notes }), onAddNote: vi.fn<AddNote>() });
    expect(noteTexts()).toEqual([
      'See https://crm.example.com/v1',
      '<b>not bold</b>\nsecond line',
      'first',
    ]);
    const [first] = screen.getAllByTestId('ctx-note');
    expect(within(first!).getByRole('link')).toHaveAttribute('href', 'https://crm.example.com/v1');
    expect(first).toHaveTextContent(/Bob · .*2023/);
    expect(document.querySelector('.note b')).toBeNull();
  });

  it('adds a note with the button or Ctrl+Enter, trimmed', async () => {
    const user = userEvent.setup();
    const pending = deferred<ApiError | null>();
    const onAddNote = vi.fn<AddNote>(() => pending.promise);
    renderPanel({ onAddNote });
    expect(screen.getByText('No notes about this customer yet.')).toBeInTheDocument();

    await user.type(screen.getByTestId('ctx-note-input'), '  Prefers email  ');
    await user.click(screen.getByTestId('ctx-note-add'));
    expect(onAddNote).toHaveBeenCalledWith('Prefers email');
    expect(screen.getByTestId('ctx-note-input')).toBeDisabled();
    expect(screen.getByTestId('ctx-note-add')).toHaveTextContent('Adding…');
    await act(async () => pending.resolve(null));
    expect(screen.getByTestId('ctx-note-input')).toHaveValue('');

    await user.type(screen.getByTestId('ctx-note-input'), 'VIP since 2020');
    fireEvent.keyDown(screen.getByTestId('ctx-note-input'), { key: 'Enter' });
    expect(onAddNote).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(screen.getByTestId('ctx-note-input'), { key: 'Enter', ctrlKey: true });
    expect(onAddNote).toHaveBeenLastCalledWith('VIP since 2020');
  });

  it('prevents empty and too long notes with a message', async () => {
    const user = userEvent.setup();
    const onAddNote = vi.fn<AddNote>(() => Promise.resolve(null));
    renderPanel({ onAddNote });
    await user.type(screen.getByTestId('ctx-note-input'), '   ');
    await user.click(screen.getByTestId('ctx-note-add'));
    expect(screen.getByTestId('ctx-note-error')).toHaveTextContent('Write the note first.');

    fireEvent.change(screen.getByTestId('ctx-note-input'), {
      target: { value: '备'.repeat(MAX_CUSTOMER_NOTE + 1) },
    });
    expect(screen.getByTestId('ctx-note-error')).toHaveTextContent(
      'A note has at most 2000 characters; this one has 2001.',
    );
    expect(screen.getByTestId('ctx-note-count')).toHaveTextContent('2001 / 2000');
    expect(screen.getByTestId('ctx-note-add')).toBeDisabled();
    fireEvent.keyDown(screen.getByTestId('ctx-note-input'), { key: 'Enter', metaKey: true });
    expect(onAddNote).not.toHaveBeenCalled();

    // Exactly at the limit is fine.
    fireEvent.change(screen.getByTestId('ctx-note-input'), {
      target: { value: '备'.repeat(MAX_CUSTOMER_NOTE) },
    });
    expect(screen.queryByTestId('ctx-note-error')).toBeNull();
    await user.click(screen.getByTestId('ctx-note-add'));
    expect(onAddNote).toHaveBeenCalledWith('备'.repeat(MAX_CUSTOMER_NOTE));
  });

  it('translates the server’s refusal and keeps the text; labels in Chinese', async () => {
    const user = userEvent.setup();
    const onAddNote = vi.fn<AddNote>(() =>
      Promise.resolve(new ApiError('forbidden', 'not your customer')),
    );
    renderPanel({ onAddNote, lang: 'zh-CN', context: loaded({ notes }) });
    expect(screen.getByRole('heading', { name: '客户备注' })).toBeInTheDocument();
    expect(screen.getByText('备注仅坐席可见，并随客户保留在其所有会话中。')).toBeInTheDocument();
    expect(screen.getAllByTestId('ctx-note')[0]).toHaveTextContent(/^.*Bob · /);
    await user.type(screen.getByTestId('ctx-note-input'), '喜欢电话联系');
    await user.click(screen.getByRole('button', { name: '添加备注' }));
    expect(await screen.findByTestId('ctx-note-error')).toHaveTextContent(
      '备注未添加：你没有权限执行此操作。',
    );
    expect(screen.getByTestId('ctx-note-input')).toHaveValue('喜欢电话联系');
  });

  it('shows the newest five, then the rest on request', async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: 8 }, (_, i) =>
      customerNote({ id: `n${8 - i}`, text: `note ${8 - i}` }),
    );
    renderPanel({ context: loaded({ notes: many }) });
    expect(noteTexts()).toEqual(['note 8', 'note 7', 'note 6', 'note 5', 'note 4']);
    await user.click(screen.getByRole('button', { name: 'Show 3 more' }));
    expect(noteTexts()).toHaveLength(8);
    // Read-only without a way to add.
    expect(screen.queryByTestId('ctx-note-input')).toBeNull();
  });

  it('waits for the context before showing notes', () => {
    renderPanel({ context: { status: 'loading' }, onAddNote: vi.fn<AddNote>() });
    expect(screen.queryByTestId('ctx-notes')).toBeNull();
  });
});

describe('tags and notes through the desktop bindings', () => {
  it('sends changes for the open conversation and shows what the Go side answers', async () => {
    const user = userEvent.setup();
    const conv = conversation({ state: 'active', assignee_id: 'u_alice', tags: ['vip'] });
    const other = conversation({
      id: 'c2',
      customer_name: 'Customer One',
      state: 'active',
      assignee_id: 'u_alice',
    });
    const fake = installFakeWails({
      Bootstrap: () => Promise.resolve(signedInBoot()),
      ListConversations: (filter) => Promise.resolve(filter === 'mine' ? [conv, other] : []),
      Context: (id) =>
        Promise.resolve({
          conversation_id: id,
          customer: { id: 'v1', name: 'Customer One', created_at: 0, conversations: 2 },
          previous: [],
          tags: id === 'c1' ? ['vip'] : [],
          notes: [customerNote({ id: 'n1', text: 'older note' })],
        }),
      // The server normalizes: lower case here, sorted.
      SetTags: (id, add, remove) =>
        Promise.resolve({
          ...conv,
          id,
          tags: [...conv.tags!, ...add.map((t) => t.toLowerCase())]
            .filter((t) => !remove.includes(t))
            .sort(),
        }),
      AddCustomerNote: (_id, text) =>
        Promise.resolve(customerNote({ id: 'n2', text, created_at: 1_700_000_900_000 })),
    });
    render(<App lang="en" />);
    const items = await screen.findAllByTestId('conv-item');
    // Visit the customer's other conversation first: its context holds the notes too.
    await user.click(items[1]!);
    const panel = screen.getByTestId('context-panel');
    await within(panel).findByTestId('ctx-notes');
    await user.click(items[0]!);
    await waitFor(() => expect(within(panel).getAllByTestId('ctx-note')).toHaveLength(1));

    await user.type(within(panel).getByTestId('ctx-tag-input'), 'Refund{Enter}');
    expect(fake.app.SetTags).toHaveBeenCalledWith('c1', ['Refund'], []);
    await waitFor(() => expect(chips()).toEqual(['refund', 'vip']));
    // The list row follows.
    expect(
      within(screen.getAllByTestId('conv-item')[0]!)
        .getAllByTestId('conv-tag')
        .map((c) => c.textContent),
    ).toEqual(['refund', 'vip']);

    await user.type(within(panel).getByTestId('ctx-note-input'), 'Call after 6pm');
    await user.click(within(panel).getByTestId('ctx-note-add'));
    expect(fake.app.AddCustomerNote).toHaveBeenCalledWith('c1', 'Call after 6pm');
    await waitFor(() => expect(noteTexts()).toEqual(['Call after 6pm', 'older note']));

    // The note belongs to the customer: their other conversation shows it too.
    await user.click(screen.getAllByTestId('conv-item')[1]!);
    await waitFor(() => expect(noteTexts()).toEqual(['Call after 6pm', 'older note']));
  });
});
