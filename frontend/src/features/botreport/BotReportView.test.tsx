import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../App';
import type { BotReport, KBData, KBEditData, MissGroup } from '../../api/types';
import { alice, installFakeWails, sam, signedInBoot } from '../../test/fakeWails';
import { entryDraftFor, slugFor } from './model';

const AT = Date.now();

const shipping: MissGroup = {
  id: 'g-ship',
  count: 3,
  locale: 'en',
  questions: [
    {
      id: 'm3',
      conversation_id: 'c3',
      seq: 5,
      text: '运费怎么算',
      locale: 'zh',
      reason: 'unhelpful',
      at: AT,
    },
    {
      id: 'm2',
      conversation_id: 'c2',
      seq: 3,
      text: 'What does postage cost?',
      locale: 'en',
      reason: 'unsure',
      at: AT - 1000,
    },
    {
      id: 'm1',
      conversation_id: 'c1',
      seq: 2,
      text: 'Is delivery free?',
      locale: 'en',
      reason: 'handed_over',
      at: AT - 2000,
    },
  ],
  reasons: { unhelpful: 1, unsure: 1, handed_over: 1 },
  suggestions: [{ entry_id: 'shipping-fee', label: 'How much is shipping?', score: 0.62 }],
  draft: {
    text: 'Postage is 10 yuan, free over 99.',
    conversation_id: 'c1',
    seq: 4,
    agent_name: 'Alice',
  },
  last_at: AT,
};

const mars: MissGroup = {
  id: 'g-mars',
  count: 1,
  locale: 'en',
  questions: [
    {
      id: 'm9',
      conversation_id: 'c9',
      seq: 2,
      text: 'Do you ship to Mars?',
      locale: 'en',
      reason: 'asked_again',
      at: AT,
    },
  ],
  reasons: { asked_again: 1 },
  last_at: AT,
};

/**
 * A fake of the Go side's bot report: it keeps the report and the
 * knowledge base's versions and applies kb_edit the way the protocol says
 * (base_version checked, miss_ids leave the report).
 */
function bootReport(groups: MissGroup[] = [mars, shipping], user = sam) {
  let report: BotReport = { open: 4, groups, kb_version: 3 };
  const versions = [
    { version: 3, at: AT, author: 'Sam', summary: 'add question to returns', entries: 12 },
    { version: 2, at: AT - 60_000, author: 'cli', summary: 'import', entries: 11 },
  ];
  const edits: KBEditData[] = [];
  const kb = (): KBData => ({ version: versions[0]!.version, entries: [], history: versions });
  const fake = installFakeWails({
    Bootstrap: () =>
      Promise.resolve(signedInBoot(user, { conn: { state: 'online', status: 'online' } })),
    BotReport: () => Promise.resolve(report),
    KnowledgeBase: () => Promise.resolve(kb()),
    EditKnowledgeBase: (e) => {
      edits.push(e);
      const current = versions[0]!.version;
      if (e.op !== 'dismiss' && e.base_version !== current) {
        return Promise.reject('conflict: the knowledge base changed; read it again');
      }
      const ids = e.miss_ids ?? [];
      const left = (report.groups ?? [])
        .map((g) => ({ ...g, questions: (g.questions ?? []).filter((q) => !ids.includes(q.id)) }))
        .filter((g) => g.questions.length > 0)
        .map((g) => ({ ...g, count: g.questions.length }));
      if (e.op !== 'dismiss') {
        versions.unshift({
          version: current + 1,
          at: AT,
          author: 'Sam',
          summary: e.op,
          entries: 12,
        });
      }
      report = {
        open: left.reduce((n, g) => n + g.count, 0),
        groups: left,
        kb_version: versions[0]!.version,
      };
      return Promise.resolve(kb());
    },
  });
  return {
    fake,
    edits,
    /** Another supervisor edits first. */
    bump: () => {
      versions.unshift({
        version: versions[0]!.version + 1,
        at: AT,
        author: 'Lee',
        summary: 'x',
        entries: 12,
      });
      report = { ...report, kb_version: versions[0]!.version };
    },
  };
}

async function openReport() {
  fireEvent.click(await screen.findByTestId('view-botreport'));
  return screen.findAllByTestId('miss-group');
}

async function pick(id: string) {
  const groups = await screen.findAllByTestId('miss-group');
  fireEvent.click(groups.find((g) => g.dataset.group === id)!);
  return screen.findByTestId('group-detail');
}

describe('bot report view', () => {
  it('is for supervisors only: an agent has no bot report switch', async () => {
    const { fake } = bootReport(undefined, alice);
    render(<App lang="en" />);
    await screen.findByTestId('tab-mine');
    expect(screen.queryByTestId('view-botreport')).toBeNull();
    expect(fake.app.BotReport).not.toHaveBeenCalled();
  });

  it('shows the open count and the groups, largest first, with their reasons', async () => {
    bootReport();
    render(<App lang="en" />);
    const groups = await openReport();
    expect(screen.getByTestId('botreport-open')).toHaveTextContent('4 open questions');
    expect(groups.map((g) => g.dataset.group)).toEqual(['g-ship', 'g-mars']);
    // A group stands for its newest question in its language.
    expect(groups[0]).toHaveTextContent('What does postage cost?');
    const badges = within(groups[0]!).getAllByTestId('reason-badge');
    expect(badges.map((b) => b.textContent)).toEqual([
      'Unsure ×1',
      'Handed over ×1',
      'Unhelpful ×1',
    ]);
    expect(within(groups[1]!).getByTestId('reason-badge')).toHaveTextContent('Asked again ×1');

    const detail = await pick('g-ship');
    const qs = within(detail).getAllByTestId('group-question');
    expect(qs.map((q) => q.dataset.reason)).toEqual(['unhelpful', 'unsure', 'handed_over']);
    expect(within(detail).getByTestId('group-draft')).toHaveTextContent(
      'Alice answered: “Postage is 10 yuan, free over 99.”',
    );
    expect(within(detail).getByTestId('suggestion-add')).toHaveTextContent(
      'Add to «How much is shipping?»',
    );
  });

  it('speaks Chinese too', async () => {
    bootReport();
    render(<App lang="zh-CN" />);
    await openReport();
    expect(screen.getByTestId('view-botreport')).toHaveTextContent('机器人待改进');
    expect(screen.getByTestId('botreport-open')).toHaveTextContent('4 个待处理问题');
    const detail = await pick('g-ship');
    const badges = within(detail).getAllByTestId('reason-badge');
    expect(badges.map((b) => b.textContent)).toEqual(['没有帮助', '没听懂', '转了人工']);
    expect(within(detail).getByTestId('suggestion-add')).toHaveTextContent(
      '加入「How much is shipping?」',
    );
  });

  it('adds the group to a suggested entry in two clicks, then reloads', async () => {
    const { fake, edits } = bootReport();
    render(<App lang="en" />);
    await openReport();
    const detail = await pick('g-ship');
    fireEvent.click(within(detail).getByTestId('suggestion-add'));
    await waitFor(() => expect(screen.getAllByTestId('miss-group')).toHaveLength(1));
    expect(edits).toEqual([
      {
        op: 'add_question',
        base_version: 3,
        entry_id: 'shipping-fee',
        locale: 'en',
        question: 'What does postage cost?',
        miss_ids: ['m3', 'm2', 'm1'],
      },
    ]);
    expect(fake.app.BotReport).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('botreport-open')).toHaveTextContent('1 open questions');
    expect(screen.getByTestId('botreport-notice')).toHaveTextContent(
      'Added to «How much is shipping?».',
    );
    expect(screen.getByTestId('group-none')).toBeInTheDocument();
  });

  it('makes a new entry from a form prefilled with the question and the draft', async () => {
    const { fake, edits } = bootReport();
    fake.app.EditKnowledgeBase.mockRejectedValueOnce(
      'invalid_request: an entry needs an answer in both languages',
    );
    render(<App lang="en" />);
    await openReport();
    const detail = await pick('g-ship');
    fireEvent.click(within(detail).getByTestId('group-new-entry'));
    const form = await screen.findByTestId('entry-form');
    const value = (id: string) => (within(form).getByTestId(id) as HTMLInputElement).value;
    expect(value('entry-id')).toBe('what-does-postage-cost');
    expect(value('entry-team')).toBe('presales');
    expect(value('entry-question')).toBe('What does postage cost?');
    expect(value('entry-answer-en')).toBe('Postage is 10 yuan, free over 99.');
    expect(value('entry-answer-zh')).toBe('');

    // The server's coded error is shown; the form stays.
    fireEvent.click(within(form).getByTestId('entry-save'));
    expect(await within(form).findByTestId('entry-error')).toHaveTextContent(
      'The request is invalid. (an entry needs an answer in both languages)',
    );

    fireEvent.change(within(form).getByTestId('entry-id'), { target: { value: 'postage' } });
    fireEvent.change(within(form).getByTestId('entry-answer-zh'), {
      target: { value: '运费10元，满99包邮。' },
    });
    fireEvent.click(within(form).getByTestId('entry-save'));
    await waitFor(() => expect(screen.queryByTestId('entry-form')).toBeNull());
    expect(edits.at(-1)).toEqual({
      op: 'create_entry',
      base_version: 3,
      entry: {
        id: 'postage',
        team: 'presales',
        questions: { zh: [], en: ['What does postage cost?'] },
        answer: { zh: '运费10元，满99包邮。', en: 'Postage is 10 yuan, free over 99.' },
      },
      miss_ids: ['m3', 'm2', 'm1'],
    });
    expect(await screen.findByTestId('botreport-notice')).toHaveTextContent(
      'Entry postage created.',
    );
    // The notice comes with the edit's answer, the report's refresh after it.
    await waitFor(() =>
      expect(screen.getAllByTestId('miss-group').map((g) => g.dataset.group)).toEqual(['g-mars']),
    );
  });

  it('dismisses a group without touching the knowledge base', async () => {
    const { edits } = bootReport();
    render(<App lang="en" />);
    await openReport();
    const detail = await pick('g-mars');
    fireEvent.click(within(detail).getByTestId('group-dismiss'));
    await waitFor(() => expect(screen.getAllByTestId('miss-group')).toHaveLength(1));
    expect(edits).toEqual([{ op: 'dismiss', base_version: 3, miss_ids: ['m9'] }]);
    expect(screen.getByTestId('miss-group')).toHaveAttribute('data-group', 'g-ship');
  });

  it('says so and reloads when somebody else edited first', async () => {
    const { fake, edits, bump } = bootReport();
    render(<App lang="en" />);
    await openReport();
    bump();
    const detail = await pick('g-ship');
    fireEvent.click(within(detail).getByTestId('suggestion-add'));
    const notice = await screen.findByTestId('botreport-notice');
    expect(notice).toHaveTextContent('The knowledge base changed meanwhile; reloaded.');
    expect(notice).toHaveAttribute('data-kind', 'warn');
    await waitFor(() =>
      expect(screen.getByTestId('botreport-kb-version')).toHaveTextContent('Knowledge base v4'),
    );
    expect(fake.app.BotReport).toHaveBeenCalledTimes(2);
    // Again from the version now current: it goes through.
    fireEvent.click(within(screen.getByTestId('group-detail')).getByTestId('suggestion-add'));
    await waitFor(() => expect(edits).toHaveLength(2));
    expect(edits[1]).toMatchObject({ op: 'add_question', base_version: 4 });
  });

  it('lists the versions and rolls back to one after confirming', async () => {
    const { edits } = bootReport();
    render(<App lang="en" />);
    await openReport();
    fireEvent.click(screen.getByTestId('botreport-tab-versions'));
    const rows = await screen.findAllByTestId('kb-version');
    expect(rows.map((r) => r.dataset.version)).toEqual(['3', '2']);
    expect(rows[0]).toHaveTextContent('Sam');
    expect(rows[0]).toHaveTextContent('add question to returns');
    expect(within(rows[0]!).queryByTestId('kb-rollback')).toBeNull();
    expect(within(rows[0]!).getByTestId('kb-version-current')).toHaveTextContent('Current');

    fireEvent.click(within(rows[1]!).getByTestId('kb-rollback'));
    const dialog = await screen.findByTestId('rollback-dialog');
    expect(dialog).toHaveTextContent('Roll back to version 2?');
    fireEvent.click(within(dialog).getByTestId('confirm-cancel'));
    expect(edits).toEqual([]);

    fireEvent.click(within(screen.getAllByTestId('kb-version')[1]!).getByTestId('kb-rollback'));
    fireEvent.click(within(await screen.findByTestId('rollback-dialog')).getByTestId('confirm-ok'));
    await waitFor(() =>
      expect(screen.getAllByTestId('kb-version').map((r) => r.dataset.version)).toEqual([
        '4',
        '3',
        '2',
      ]),
    );
    expect(edits).toEqual([{ op: 'rollback', base_version: 3, version: 2 }]);
    expect(screen.queryByTestId('rollback-dialog')).toBeNull();
    expect(screen.getByTestId('botreport-notice')).toHaveTextContent('Rolled back to version 2.');
  });

  it('shows why the report cannot be read', async () => {
    const { fake } = bootReport();
    fake.app.BotReport.mockRejectedValue('unknown_type: unknown frame type');
    render(<App lang="en" />);
    fireEvent.click(await screen.findByTestId('view-botreport'));
    expect(await screen.findByTestId('botreport-error')).toHaveTextContent(
      'The report cannot be shown:',
    );
  });
});

describe('bot report model', () => {
  it.each([
    ['What does postage cost?', 'g1', 'what-does-postage-cost'],
    ['  Café: opening hours?? ', 'g1', 'cafe-opening-hours'],
    ['运费怎么算', 'G_7', 'entry-g-7'],
    ['a'.repeat(50), 'g1', 'entry-g1'],
  ])('slugFor(%j, %j) = %j', (text, group, want) => {
    expect(slugFor(text, group)).toBe(want);
  });

  it('prefills the answer in the group language only', () => {
    const zh: MissGroup = {
      ...shipping,
      locale: 'zh',
      draft: { text: '运费10元', conversation_id: 'c1', seq: 4 },
    };
    expect(entryDraftFor(zh, 'presales')).toMatchObject({
      locale: 'zh',
      question: '运费怎么算',
      answerZh: '运费10元',
      answerEn: '',
    });
  });
});
