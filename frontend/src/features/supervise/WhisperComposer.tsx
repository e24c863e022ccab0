import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { MAX_TEXT_CHARS } from '../conversation/Composer';
import { newUUID } from '../conversation/drafts';

interface Props {
  /** Whom the whisper is for, in the placeholder. */
  agentName: string;
  /** Sends; clientMsgId is kept across retries of the same text. */
  onSend(text: string, clientMsgId: string): Promise<ApiError | null>;
  disabled?: boolean;
}

/**
 * The supervisor's whisper box, styled apart from a reply (its own colour,
 * a dashed border and the label "only agents see this") so nobody takes it
 * for a message to the customer. Enter sends, Shift+Enter adds a line.
 */
export function WhisperComposer({ agentName, onSend, disabled = false }: Props) {
  const { t, tError } = useI18n();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const key = useRef<{ text: string; id: string } | null>(null);
  const length = Array.from(text).length;
  const canSend = !disabled && !sending && text.trim() !== '' && length <= MAX_TEXT_CHARS;

  const submit = async () => {
    if (!canSend) return;
    if (key.current?.text !== text) key.current = { text, id: newUUID() };
    setSending(true);
    const err = await onSend(text, key.current.id);
    setSending(false);
    setError(err);
    if (!err) {
      key.current = null;
      setText('');
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    void submit();
  };

  return (
    <div className="whisper-composer" data-testid="whisper-composer">
      <div className="whisper-label" id="whisper-label">
        {t('whisper.label')}
      </div>
      <textarea
        className="whisper-input"
        data-testid="whisper-input"
        aria-labelledby="whisper-label"
        placeholder={t('whisper.placeholder', { agent: agentName })}
        value={text}
        rows={2}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="whisper-bar">
        {error && (
          <span className="whisper-error" role="alert" data-testid="whisper-error">
            {tError(error)}
          </span>
        )}
        <button
          type="button"
          className="btn btn-whisper"
          data-testid="whisper-send"
          disabled={!canSend}
          onClick={() => void submit()}
        >
          {t('whisper.send')}
        </button>
      </div>
    </div>
  );
}
