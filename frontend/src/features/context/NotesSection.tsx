import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ApiError } from '../../api';
import type { CustomerNote } from '../../api/types';
import { LinkifiedText } from '../../components/LinkifiedText';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { MAX_CUSTOMER_NOTE, charCount, checkNote, type NoteProblem } from './tags';

/** Writes a note; resolves to the error, or null once the server has stored it. */
export type AddNote = (text: string) => Promise<ApiError | null>;

/** Notes shown before "show more". */
export const NOTES_SHOWN = 5;

/** The length from which the box counts characters. */
const COUNT_FROM = MAX_CUSTOMER_NOTE - 200;

type NoteError = { problem: NoteProblem } | { failed: ApiError };

/**
 * Notes agents keep about the customer, newest first, with who wrote each
 * and when; above them a box to write one (the button or Ctrl/Cmd+Enter
 * adds it). Note text is shown as text, its links clickable. Without
 * onAdd the notes are read-only.
 */
export function NotesSection({
  notes,
  onAdd,
}: {
  notes: readonly CustomerNote[];
  onAdd?: AddNote;
}) {
  const { t, tError, lang } = useI18n();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<NoteError | null>(null);
  const [all, setAll] = useState(false);
  const live = useRef(true);
  const errorId = useId();

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const submit = async () => {
    if (!onAdd || busy) return;
    const problem = checkNote(text);
    if (problem) {
      setError({ problem });
      return;
    }
    setBusy(true);
    setError(null);
    const err = await onAdd(text.trim());
    if (!live.current) return;
    setBusy(false);
    if (err) setError({ failed: err });
    else setText('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.nativeEvent.isComposing) return;
    e.preventDefault();
    void submit();
  };

  const n = charCount(text.trim());
  const message =
    error === null
      ? n > MAX_CUSTOMER_NOTE
        ? t('ctx.noteTooLong', { max: MAX_CUSTOMER_NOTE, n })
        : ''
      : 'failed' in error
        ? t('ctx.noteFailed', { reason: tError(error.failed) })
        : error.problem === 'empty'
          ? t('ctx.noteEmpty')
          : t('ctx.noteTooLong', { max: MAX_CUSTOMER_NOTE, n });
  const shown = all ? notes : notes.slice(0, NOTES_SHOWN);

  return (
    <section className="ctx-section" data-testid="ctx-notes" aria-busy={busy || undefined}>
      <h3 className="ctx-heading">{t('ctx.notes')}</h3>
      <p className="ctx-hint">{t('ctx.notesHint')}</p>
      {onAdd && (
        <div className="note-form">
          <textarea
            className="note-input"
            data-testid="ctx-note-input"
            rows={2}
            value={text}
            placeholder={t('ctx.noteInput')}
            aria-label={t('ctx.noteInput')}
            aria-describedby={message ? errorId : undefined}
            aria-invalid={message !== '' || undefined}
            disabled={busy}
            onChange={(e) => {
              setText(e.target.value);
              if (error && 'problem' in error) setError(null);
            }}
            onKeyDown={onKeyDown}
          />
          <div className="note-form-row">
            {n >= COUNT_FROM && (
              <span
                className={`note-count${n > MAX_CUSTOMER_NOTE ? ' note-count-over' : ''}`}
                data-testid="ctx-note-count"
              >
                {n} / {MAX_CUSTOMER_NOTE}
              </span>
            )}
            <button
              type="button"
              className="btn btn-secondary btn-small"
              data-testid="ctx-note-add"
              title={t('ctx.noteShortcut')}
              aria-keyshortcuts="Control+Enter Meta+Enter"
              disabled={busy || n > MAX_CUSTOMER_NOTE}
              onClick={() => void submit()}
            >
              {busy ? t('ctx.noteAdding') : t('ctx.noteAdd')}
            </button>
          </div>
          {message && (
            <p id={errorId} className="ctx-error" role="alert" data-testid="ctx-note-error">
              {message}
            </p>
          )}
        </div>
      )}
      {notes.length === 0 ? (
        <p className="ctx-none">{t('ctx.noNotes')}</p>
      ) : (
        <ul className="note-list">
          {shown.map((note) => (
            <li key={note.id} className="note" data-testid="ctx-note" data-note-id={note.id}>
              <div className="note-text">
                <LinkifiedText text={note.text} />
              </div>
              <div className="note-meta">
                {t('ctx.noteMeta', {
                  name: note.author_name || note.author_id,
                  time: formatDateTime(note.created_at, lang),
                })}
              </div>
            </li>
          ))}
        </ul>
      )}
      {notes.length > NOTES_SHOWN && (
        <button
          type="button"
          className="btn btn-ghost btn-small"
          data-testid="ctx-notes-more"
          aria-expanded={all}
          onClick={() => setAll((v) => !v)}
        >
          {all ? t('ctx.notesLess') : t('ctx.notesMore', { n: notes.length - NOTES_SHOWN })}
        </button>
      )}
    </section>
  );
}
