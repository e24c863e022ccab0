import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { editCanned, toApiError, type ApiError } from '../../api';
import type { CannedEditData, SharedCanned, User } from '../../api/types';
import { useI18n, type MessageKey } from '../../i18n';
import { useAppState } from '../../state/store';
import { fillCanned, type FillValues } from './fill';
import { useSharedCanned } from './useCanned';

/** The scopes user edits: global ("") for admins, then each team they may edit. */
export function editableScopes(user: User | undefined, list: readonly SharedCanned[]): string[] {
  if (user?.role === 'admin') {
    const teams = new Set([...(user.teams ?? []), ...list.map((r) => r.team)]);
    teams.delete('');
    return ['', ...[...teams].sort()];
  }
  if (user?.role === 'supervisor') return [...(user.teams ?? [])].sort();
  return [];
}

/** The form's fields; id is empty for a new response. */
interface Draft {
  id: string;
  team: string;
  shortcut: string;
  title: string;
  zh: string;
  en: string;
}

const draftOf = (r: SharedCanned): Draft => ({
  id: r.id,
  team: r.team,
  shortcut: r.shortcut,
  title: r.title,
  zh: r.text.zh,
  en: r.text.en,
});

/** The codes whose words differ here from the message's (a text is 2000 characters at most). */
const OWN_ERRORS = new Set(['text_too_long', 'not_found', 'forbidden', 'invalid_request']);

/**
 * The canned responses editor of supervisors (their teams') and admins
 * (every scope, global included): the responses by scope, and a form to
 * create, change or delete one with a live preview on sample values. The
 * server checks every edit; its coded error is shown next to the form.
 */
export function CannedEditor() {
  const { t, tError } = useI18n();
  const user = useAppState().session?.user;
  const shared = useSharedCanned();
  const scopes = editableScopes(user, shared.list);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const uid = useId();

  const scopeName = (team: string) => (team === '' ? t('cannedEditor.global') : team);
  const open = (d: Draft) => {
    setDraft(d);
    setError(null);
    setConfirmDelete(false);
    setNotice(null);
  };
  const errorText = (err: ApiError) =>
    OWN_ERRORS.has(err.code) ? t(`cannedEditor.error.${err.code}` as MessageKey) : tError(err);

  const send = async (edit: CannedEditData, done: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await editCanned(edit);
      shared.apply({ response: r, deleted: edit.op === 'delete' });
      setDraft(null);
      setNotice(done);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
      setConfirmDelete(false);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const fields = {
      title: draft.title.trim(),
      shortcut: draft.shortcut.trim(),
      text: { zh: draft.zh.trim(), en: draft.en.trim() },
    };
    void send(
      draft.id === ''
        ? { op: 'create', team: draft.team, ...fields }
        : { op: 'update', id: draft.id, ...fields },
      t('cannedEditor.saved', { shortcut: fields.shortcut }),
    );
  };

  const sample = (customer: string): FillValues => ({
    customer_name: customer,
    agent_name: user?.name ?? '',
    ext: { order_no: 'A-1001' },
  });
  const set = (k: keyof Draft) => (e: { target: { value: string } }) =>
    setDraft((d) => (d ? { ...d, [k]: e.target.value } : d));

  return (
    <div className="floor canned-editor" data-testid="canned-editor">
      <div className="floor-head">
        <h2 className="floor-title">{t('cannedEditor.title')}</h2>
        <span className="floor-muted">{t('cannedEditor.hint')}</span>
      </div>
      {shared.status === 'failed' && (
        <div className="form-error" role="alert" data-testid="canned-load-error">
          {t('cannedEditor.loadFailed', { reason: tError(shared.error) })}
        </div>
      )}
      {notice && (
        <div
          className="banner banner-info botreport-notice"
          role="status"
          data-testid="canned-notice"
        >
          {notice}
        </div>
      )}
      {scopes.length === 0 && (
        <p className="floor-muted" data-testid="canned-no-scope">
          {t('cannedEditor.noScope')}
        </p>
      )}
      <div className="botreport-body">
        <div className="canned-scopes">
          {scopes.map((team) => {
            const rows = shared.list.filter((r) => r.team === team);
            return (
              <section
                key={team || '-'}
                className="canned-scope-section"
                data-testid="canned-scope-section"
                data-scope={team}
              >
                <h3 className="floor-section-title">
                  {scopeName(team)}
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    data-testid="canned-new"
                    onClick={() => open({ id: '', team, shortcut: '', title: '', zh: '', en: '' })}
                  >
                    {t('cannedEditor.new')}
                  </button>
                </h3>
                {rows.length === 0 && <p className="floor-muted">{t('cannedEditor.empty')}</p>}
                <ul className="canned-rows">
                  {rows.map((r) => (
                    <li key={r.id}>
                      <button
                        type="button"
                        className={`canned-row${draft?.id === r.id ? ' canned-row-active' : ''}`}
                        data-testid="canned-row"
                        data-id={r.id}
                        onClick={() => open(draftOf(r))}
                      >
                        <span className="canned-shortcut">/{r.shortcut}</span>
                        <span className="canned-title">{r.title}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
        {draft && (
          <form
            className="entry-form canned-form"
            data-testid="canned-form"
            aria-labelledby={`${uid}-title`}
            onSubmit={save}
          >
            <h3 className="entry-form-title" id={`${uid}-title`}>
              {draft.id === '' ? t('cannedEditor.create') : t('cannedEditor.edit')}
            </h3>
            <div className="entry-form-row">
              <label className="field" htmlFor={`${uid}-scope`}>
                <span className="field-label">{t('cannedEditor.scope')}</span>
                <select
                  id={`${uid}-scope`}
                  data-testid="canned-field-scope"
                  value={draft.team}
                  onChange={set('team')}
                  disabled={busy || draft.id !== ''}
                >
                  {scopes.map((s) => (
                    <option key={s || '-'} value={s}>
                      {scopeName(s)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field" htmlFor={`${uid}-shortcut`}>
                <span className="field-label">{t('cannedEditor.shortcut')}</span>
                <input
                  id={`${uid}-shortcut`}
                  data-testid="canned-field-shortcut"
                  value={draft.shortcut}
                  onChange={set('shortcut')}
                  disabled={busy}
                />
              </label>
            </div>
            <label className="field" htmlFor={`${uid}-ttl`}>
              <span className="field-label">{t('cannedEditor.titleField')}</span>
              <input
                id={`${uid}-ttl`}
                data-testid="canned-field-title"
                value={draft.title}
                onChange={set('title')}
                disabled={busy}
              />
            </label>
            <label className="field" htmlFor={`${uid}-zh`}>
              <span className="field-label">{t('cannedEditor.textZh')}</span>
              <textarea
                id={`${uid}-zh`}
                data-testid="canned-field-zh"
                rows={3}
                value={draft.zh}
                onChange={set('zh')}
                disabled={busy}
              />
            </label>
            <label className="field" htmlFor={`${uid}-en`}>
              <span className="field-label">{t('cannedEditor.textEn')}</span>
              <textarea
                id={`${uid}-en`}
                data-testid="canned-field-en"
                rows={3}
                value={draft.en}
                onChange={set('en')}
                disabled={busy}
              />
            </label>
            <p className="floor-muted">{t('cannedEditor.variables')}</p>
            <div className="canned-preview" data-testid="canned-preview">
              <span className="field-label">{t('cannedEditor.preview')}</span>
              {draft.zh.trim() !== '' && (
                <p data-testid="canned-preview-zh" lang="zh-CN">
                  {fillCanned(draft.zh, sample('李雷')).text}
                </p>
              )}
              {draft.en.trim() !== '' && (
                <p data-testid="canned-preview-en" lang="en">
                  {fillCanned(draft.en, sample('Li Lei')).text}
                </p>
              )}
            </div>
            {error && (
              <div className="form-error" role="alert" data-testid="canned-error">
                {errorText(error)}
                {error.message && error.message !== errorText(error) && (
                  <span className="entry-error-detail" data-testid="canned-error-detail">
                    {' '}
                    ({error.message})
                  </span>
                )}
              </div>
            )}
            <div className="dialog-actions">
              {draft.id !== '' &&
                (confirmDelete ? (
                  <button
                    type="button"
                    className="btn btn-danger"
                    data-testid="canned-delete-confirm"
                    disabled={busy}
                    onClick={() =>
                      void send(
                        { op: 'delete', id: draft.id, text: { zh: '', en: '' } },
                        t('cannedEditor.deleted', { shortcut: draft.shortcut }),
                      )
                    }
                  >
                    {t('cannedEditor.deleteConfirm', { shortcut: draft.shortcut })}
                  </button>
                ) : (
                  <button
                    type="button"
                    className="btn btn-ghost"
                    data-testid="canned-delete"
                    disabled={busy}
                    onClick={() => setConfirmDelete(true)}
                  >
                    {t('cannedEditor.delete')}
                  </button>
                ))}
              <button
                type="button"
                className="btn btn-ghost"
                data-testid="canned-cancel"
                disabled={busy}
                onClick={() => setDraft(null)}
              >
                {t('cannedEditor.cancel')}
              </button>
              <button
                type="submit"
                className="btn btn-primary"
                data-testid="canned-save"
                disabled={busy}
              >
                {busy ? t('cannedEditor.saving') : t('cannedEditor.save')}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
