import { useCallback, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { useCommand } from '../shortcuts/commands';
import { newUUID, type Draft } from './drafts';

/** The server's limit on message text, in characters (protocol.MaxTextRunes). */
export const MAX_TEXT_CHARS = 4000;

interface Props {
  disabledReason: string | null;
  customerName: string;
  draft: Draft;
  onDraft(d: Draft): void;
  onSend(text: string): Promise<ApiError | null>;
  /** Sends an agent-only note; clientMsgId is kept across retries of the same text. */
  onSendNote(text: string, clientMsgId: string): Promise<ApiError | null>;
  onError(err: ApiError | null): void;
}

/**
 * The reply box: Enter sends, Shift+Enter adds a line. In note mode what is
 * written goes to the agents only (visibility internal), and the box looks
 * like a note so nobody mistakes it for a reply.
 */
export function Composer({
  disabledReason,
  customerName,
  draft,
  onDraft,
  onSend,
  onSendNote,
  onError,
}: Props) {
  const { t } = useI18n();
  const [sending, setSending] = useState(false);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  // The idempotency key of the note being sent, kept while a retry sends the same text.
  const noteKey = useRef<{ text: string; id: string } | null>(null);
  const disabled = disabledReason !== null;
  const { text, note } = draft;
  const length = Array.from(text).length;
  const tooLong = length > MAX_TEXT_CHARS;
  const canSend = !disabled && !sending && text.trim() !== '' && !tooLong;

  const submit = async () => {
    if (!canSend) return;
    setSending(true);
    let err: ApiError | null;
    if (note) {
      if (noteKey.current?.text !== text) noteKey.current = { text, id: newUUID() };
      err = await onSendNote(text, noteKey.current.id);
    } else {
      err = await onSend(text);
    }
    setSending(false);
    onError(err);
    if (!err) {
      noteKey.current = null;
      onDraft({ text: '', note });
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter while an input method is composing (Chinese, Japanese) picks a candidate.
    if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    void submit();
  };

  const toggleNote = useCallback(() => {
    if (disabled) return;
    onDraft({ text, note: !note });
    inputRef.current?.focus();
  }, [disabled, onDraft, text, note]);
  useCommand('toggleNote', toggleNote);
  useCommand(
    'focusComposer',
    useCallback(() => inputRef.current?.focus(), []),
  );

  return (
    <div
      className={`composer${disabled ? ' composer-disabled' : ''}${note ? ' composer-note' : ''}`}
      data-testid="composer"
      data-mode={note ? 'note' : 'reply'}
    >
      {note && !disabled && (
        <div className="composer-note-label" data-testid="composer-note-banner">
          {t('composer.noteOn')}
        </div>
      )}
      <textarea
        ref={inputRef}
        className="composer-input"
        data-testid="composer-input"
        aria-label={note ? t('composer.noteOn') : t('composer.label')}
        placeholder={
          disabledReason ??
          (note ? t('composer.notePlaceholder') : t('composer.placeholder', { name: customerName }))
        }
        value={disabled ? '' : text}
        disabled={disabled}
        rows={3}
        onChange={(e) => onDraft({ text: e.target.value, note })}
        onKeyDown={onKeyDown}
      />
      <div className="composer-bar">
        <button
          type="button"
          className="btn btn-ghost btn-small note-toggle"
          data-testid="composer-note-toggle"
          aria-pressed={note}
          title={t('composer.noteToggle')}
          disabled={disabled}
          onClick={toggleNote}
        >
          {t('composer.note')}
        </button>
        <span className={`composer-count${tooLong ? ' composer-count-over' : ''}`}>
          {length > MAX_TEXT_CHARS * 0.8 &&
            t('composer.tooLong', { count: length, max: MAX_TEXT_CHARS })}
        </span>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="composer-send"
          disabled={!canSend}
          onClick={() => void submit()}
        >
          {note ? t('composer.sendNote') : t('composer.send')}
        </button>
      </div>
    </div>
  );
}
