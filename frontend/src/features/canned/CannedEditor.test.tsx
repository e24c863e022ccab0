import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../App';
import type { CannedEditData, Session, SharedCanned } from '../../api/types';
import { alice, installFakeWails, sam, signedInBoot } from '../../test/fakeWails';
import { editableScopes } from './CannedEditor';

const admin: Session = {
  server_url: sam.server_url,
  user: { id: 'u_ada', role: 'admin', name: 'Ada', teams: [] },
};

const hello: SharedCanned = {
  id: 'g1',
  team: '',
  title: 'Greeting',
  shortcut: 'hello',
  text: { zh: '您好', en: 'Hello' },
  updated_by: 'Ada',
  updated_at: 1,
};
const discount: SharedCanned = {
  id: 'p1',
  team: 'presales',
  title: 'Discount',
  shortcut: 'discount',
  text: { zh: '满减优惠', en: 'A discount' },
  updated_by: 'Sam',
  updated_at: 1,
};
const refund: SharedCanned = {
  ...discount,
  id: 'a1',
  team: 'aftersales',
  shortcut: 'refund',
  title: 'Refund',
};

/**
 * A fake of the Go side's canned responses: it keeps the list, records the
 * edits and answers each as the server would, or with the error given.
 */
function boot(user: Session = sam, list: SharedCanned[] = [hello, discount, refund]) {
  let responses = [...list];
  const edits: CannedEditData[] = [];
  let refuse: string | null = null;
  const fake = installFakeWails({
    Bootstrap: () =>
      Promise.resolve(signedInBoot(user, { conn: { state: 'online', status: 'online' } })),
    CannedList: () => Promise.resolve({ responses }),
    EditCanned: (e) => {
      edits.push(e);
      if (refuse) return Promise.reject(refuse);
      if (e.op === 'delete') {
        const was = responses.find((r) => r.id === e.id)!;
        responses = responses.filter((r) => r.id !== e.id);
        return Promise.resolve(was);
      }
      const old = responses.find((r) => r.id === e.id);
      const r: SharedCanned = {
        id: old?.id ?? `n${edits.length}`,
        team: old?.team ?? e.team ?? '',
        title: e.title ?? '',
        shortcut: e.shortcut ?? '',
        text: e.text,
        updated_by: user.user.name,
        updated_at: 2,
      };
      responses = [...responses.filter((x) => x.id !== r.id), r];
      return Promise.resolve(r);
    },
  });
  return {
    fake,
    edits,
    refuseWith: (err: string | null) => {
      refuse = err;
    },
  };
}

async function openEditor() {
  fireEvent.click(await screen.findByTestId('view-canned'));
  return screen.findByTestId('canned-editor');
}

const scopes = () =>
  screen.getAllByTestId('canned-scope-section').map((s) => ({
    scope: s.dataset.scope,
    rows: within(s)
      .queryAllByTestId('canned-row')
      .map((r) => r.dataset.id),
  }));

const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('editableScopes', () => {
  it('gives admins global and every team, supervisors their teams, agents none', () => {
    expect(editableScopes(admin.user, [hello, refund])).toEqual(['', 'aftersales']);
    expect(editableScopes(sam.user, [hello, refund])).toEqual(['presales']);
    expect(editableScopes(alice.user, [hello])).toEqual([]);
    expect(editableScopes(undefined, [hello])).toEqual([]);
  });
});

describe('the canned responses editor', () => {
  it('is for supervisors and admins only: an agent has no switch to it', async () => {
    const { fake } = boot(alice);
    render(<App lang="en" />);
    await screen.findByTestId('tab-mine');
    expect(screen.queryByTestId('view-canned')).toBeNull();
    expect(fake.app.EditCanned).not.toHaveBeenCalled();
  });

  it("lists a supervisor's teams and an admin's every scope", async () => {
    boot(sam, [hello, discount]);
    const { unmount } = render(<App lang="en" />);
    await openEditor();
    await waitFor(() => expect(scopes()).toEqual([{ scope: 'presales', rows: ['p1'] }]));
    unmount();

    boot(admin);
    render(<App lang="en" />);
    await openEditor();
    await waitFor(() =>
      expect(scopes()).toEqual([
        { scope: '', rows: ['g1'] },
        { scope: 'aftersales', rows: ['a1'] },
        { scope: 'presales', rows: ['p1'] },
      ]),
    );
    expect(screen.getAllByTestId('canned-scope-section')[0]).toHaveTextContent('Global (everyone)');
  });

  it('creates a response with a live preview, in the scope it was started from', async () => {
    const { edits } = boot(sam);
    render(<App lang="en" />);
    await openEditor();
    fireEvent.click(await screen.findByTestId('canned-new'));
    expect(screen.getByTestId('canned-field-scope')).toHaveValue('presales');
    type('canned-field-shortcut', 'refund');
    type('canned-field-title', 'Refund started');
    type('canned-field-zh', '{customer.name}，订单 {order_no} 已退款，{ext.city}');
    type('canned-field-en', 'Hi {customer.name}, order {order_no} is refunded. {agent.name}');
    expect(screen.getByTestId('canned-preview-zh')).toHaveTextContent(
      '李雷，订单 A-1001 已退款，{ext.city}',
    );
    expect(screen.getByTestId('canned-preview-en')).toHaveTextContent(
      'Hi Li Lei, order A-1001 is refunded. Sam',
    );
    fireEvent.click(screen.getByTestId('canned-save'));
    await waitFor(() => expect(screen.queryByTestId('canned-form')).toBeNull());
    expect(edits).toEqual([
      {
        op: 'create',
        team: 'presales',
        title: 'Refund started',
        shortcut: 'refund',
        text: {
          zh: '{customer.name}，订单 {order_no} 已退款，{ext.city}',
          en: 'Hi {customer.name}, order {order_no} is refunded. {agent.name}',
        },
      },
    ]);
    expect(scopes()).toEqual([{ scope: 'presales', rows: ['p1', 'n1'] }]);
    expect(screen.getByTestId('canned-notice')).toHaveTextContent('/refund saved.');
  });

  it('updates and deletes a response, deleting after a confirmation', async () => {
    const { edits } = boot(sam);
    render(<App lang="en" />);
    await openEditor();
    fireEvent.click(await screen.findByTestId('canned-row'));
    expect(screen.getByTestId('canned-field-shortcut')).toHaveValue('discount');
    expect(screen.getByTestId('canned-field-scope')).toBeDisabled();
    type('canned-field-en', 'Ten percent off');
    fireEvent.click(screen.getByTestId('canned-save'));
    await waitFor(() => expect(edits).toHaveLength(1));
    expect(edits[0]).toEqual({
      op: 'update',
      id: 'p1',
      title: 'Discount',
      shortcut: 'discount',
      text: { zh: '满减优惠', en: 'Ten percent off' },
    });

    fireEvent.click(await screen.findByTestId('canned-row'));
    expect(screen.getByTestId('canned-field-en')).toHaveValue('Ten percent off');
    fireEvent.click(screen.getByTestId('canned-delete'));
    expect(edits).toHaveLength(1);
    fireEvent.click(screen.getByTestId('canned-delete-confirm'));
    await waitFor(() => expect(edits).toHaveLength(2));
    expect(edits[1]).toMatchObject({ op: 'delete', id: 'p1' });
    await waitFor(() => expect(scopes()).toEqual([{ scope: 'presales', rows: [] }]));
    expect(screen.getByTestId('canned-notice')).toHaveTextContent('/discount deleted.');
  });

  it("shows the server's coded errors next to the form in the UI language", async () => {
    const { refuseWith } = boot(sam);
    render(<App lang="zh-CN" />);
    await openEditor();
    fireEvent.click(await screen.findByTestId('canned-new'));
    type('canned-field-shortcut', 'discount');
    type('canned-field-en', 'Again');
    refuseWith('duplicate_shortcut: another canned response of this scope has /discount');
    fireEvent.click(screen.getByTestId('canned-save'));
    expect(await screen.findByTestId('canned-error')).toHaveTextContent(
      '此范围内已有快捷回复使用该快捷词。',
    );
    // The form stays, with what was typed.
    expect(screen.getByTestId('canned-field-shortcut')).toHaveValue('discount');

    refuseWith('unknown_variable: unknown variable {coupon}');
    fireEvent.click(screen.getByTestId('canned-save'));
    await waitFor(() =>
      expect(screen.getByTestId('canned-error')).toHaveTextContent('文本中含有无法填充的变量'),
    );
    expect(screen.getByTestId('canned-error-detail')).toHaveTextContent('{coupon}');

    refuseWith('text_too_long: a text is over 2000 characters');
    fireEvent.click(screen.getByTestId('canned-save'));
    await waitFor(() =>
      expect(screen.getByTestId('canned-error')).toHaveTextContent('每种语言最多 2000 字'),
    );
  });

  it('follows the changes others make', async () => {
    const { fake } = boot(sam);
    render(<App lang="en" />);
    await openEditor();
    await waitFor(() => expect(scopes()).toEqual([{ scope: 'presales', rows: ['p1'] }]));
    act(() =>
      fake.emit('canned:changed', {
        response: { ...discount, id: 'p2', shortcut: 'coupon', updated_at: 3 },
      }),
    );
    expect(scopes()).toEqual([{ scope: 'presales', rows: ['p2', 'p1'] }]);
    act(() => fake.emit('canned:changed', { response: discount, deleted: true }));
    expect(scopes()).toEqual([{ scope: 'presales', rows: ['p2'] }]);
  });
});
