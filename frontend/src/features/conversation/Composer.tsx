import { useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ApiError } from '../../api';
import { useI18n } from '../../i18n';

/** The server's limit on message text, in characters (protocol.MaxTextRunes). */
export const MAX_TEXT_CHARS = 4000;

interface Props {
  disabledReason: string | null;
  customerName: string;
  draft: string;
  onDraft(text: string): void;
  onSend(text: string): Promise<ApiError | null>;
  onError(err: ApiError | null): void;
}

/** The reply box: Enter sends, Shift+Enter adds a line. */
export function Composer({ disabledReason, customerName, draft, onDraft, onSend, onError }: Props) {
  const { t } = useI18n();
  const [sending, setSending] = useState(false);
  const disabled = disabledReason !== null;
  const length = Array.from(draft).length;
  const tooLong = length > MAX_TEXT_CHARS;
  const canSend = !disabled && !sending && draft.trim() !== '' && !tooLong;

  const submit = async () => {
    if (!canSend) return;
    setSending(true);
    const err = await onSend(draft);
    setSending(false);
    onError(err);
    if (!err) onDraft('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter while an input method is composing (Chinese, Japanese) picks a candidate.
    if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    void submit();
  };

  return (
    <div className={`composer${disabled ? ' composer-disabled' : ''}`}>
      <textarea
        className="composer-input"
        data-testid="composer-input"
        aria-label={t('composer.label')}
        placeholder={disabledReason ?? t('composer.placeholder', { name: customerName })}
        value={disabled ? '' : draft}
        disabled={disabled}
        rows={3}
        onChange={(e) => onDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-bar">
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
          {t('composer.send')}
        </button>
      </div>
    </div>
  );
}
