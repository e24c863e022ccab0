import { useId, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import type { ApiError } from '../../api';
import type { KBEntry } from '../../api/types';
import { useI18n } from '../../i18n';
import { entryOf, type EntryDraft } from './model';

interface Props {
  initial: EntryDraft;
  /** Saves the entry; resolves to the server's error, or null once saved. */
  onSave(entry: KBEntry): Promise<ApiError | null>;
  onCancel(): void;
}

/**
 * The small form that turns a group into a new entry: id, team, the
 * group's question and the answer in both languages. The server validates
 * it; its coded error is shown as it is.
 */
export function NewEntryForm({ initial, onSave, onCancel }: Props) {
  const { t, tError } = useI18n();
  const [d, setD] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const uid = useId();
  const set = (k: keyof EntryDraft) => (e: { target: { value: string } }) =>
    setD((cur) => ({ ...cur, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const err = await onSave(entryOf(d));
    // Saved, the parent closes the form; an error keeps it open.
    if (err) {
      setBusy(false);
      setError(err);
    }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onCancel();
    }
  };
  const field = (k: keyof EntryDraft, label: string, testId: string, multiline = false) => (
    <label className="field" htmlFor={`${uid}-${k}`}>
      <span className="field-label">{label}</span>
      {multiline ? (
        <textarea
          id={`${uid}-${k}`}
          data-testid={testId}
          rows={3}
          value={d[k]}
          onChange={set(k)}
          disabled={busy}
        />
      ) : (
        <input
          id={`${uid}-${k}`}
          data-testid={testId}
          value={d[k]}
          onChange={set(k)}
          disabled={busy}
        />
      )}
    </label>
  );

  return (
    <form
      className="entry-form"
      data-testid="entry-form"
      aria-labelledby={`${uid}-title`}
      onSubmit={(e) => void submit(e)}
      onKeyDown={onKey}
    >
      <h4 className="entry-form-title" id={`${uid}-title`}>
        {t('botreport.form.title')}
      </h4>
      <div className="entry-form-row">
        {field('id', t('botreport.form.id'), 'entry-id')}
        {field('team', t('botreport.form.team'), 'entry-team')}
      </div>
      {field(
        'question',
        t('botreport.form.question', { locale: t(`botreport.locale.${d.locale}`) }),
        'entry-question',
      )}
      {field('answerZh', t('botreport.form.answerZh'), 'entry-answer-zh', true)}
      {field('answerEn', t('botreport.form.answerEn'), 'entry-answer-en', true)}
      {error && (
        <div className="form-error" role="alert" data-testid="entry-error">
          {tError(error)}
          {/* The server says which field is wrong, in its words. */}
          {error.message && error.message !== tError(error) && (
            <span className="entry-error-detail" data-testid="entry-error-detail">
              {' '}
              ({error.message})
            </span>
          )}
        </div>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          className="btn btn-ghost"
          data-testid="entry-cancel"
          onClick={onCancel}
          disabled={busy}
        >
          {t('botreport.form.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" data-testid="entry-save" disabled={busy}>
          {busy ? t('botreport.form.saving') : t('botreport.form.save')}
        </button>
      </div>
    </form>
  );
}
