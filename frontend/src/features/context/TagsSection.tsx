import { useEffect, useId, useRef, useState } from 'react';
import type { ChangeEvent, KeyboardEvent } from 'react';
import type { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { MAX_TAG, MAX_TAGS, hasSeparator, parseTags, type TagProblem } from './tags';

/** Adds and removes tags; resolves to the error, or null once the server has the change. */
export type SetTags = (
  add: readonly string[],
  remove: readonly string[],
) => Promise<ApiError | null>;

/** What the section says went wrong: a typed tag it refused, or the server's error. */
type TagError = { problem: TagProblem; tag: string } | { failed: ApiError };

/**
 * The conversation's tags as chips, each with a button that removes it, and
 * a box that adds them: Enter or a comma adds what was typed (several at
 * once when pasted with commas), Backspace in the empty box removes the
 * last chip. The chips are the server's: nothing changes until it answers,
 * and the box waits meanwhile. Without onSetTags the tags are read-only.
 */
export function TagsSection({ tags, onSetTags }: { tags: readonly string[]; onSetTags?: SetTags }) {
  const { t, tError } = useI18n();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<TagError | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const refocus = useRef(false);
  const live = useRef(true);
  const errorId = useId();
  const hintId = useId();

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  // The box is disabled while a change runs, which takes the focus away;
  // it comes back when the change is done.
  useEffect(() => {
    if (!busy && refocus.current) {
      refocus.current = false;
      inputRef.current?.focus();
    }
  }, [busy]);

  const change = async (add: readonly string[], remove: readonly string[], typed: string) => {
    if (!onSetTags || busy) return;
    refocus.current = document.activeElement === inputRef.current;
    setBusy(true);
    setError(null);
    const err = await onSetTags(add, remove);
    if (!live.current) return;
    setBusy(false);
    if (err) {
      setText(typed);
      setError({ failed: err });
    }
  };

  const addTyped = (typed: string) => {
    const parsed = parseTags(typed, tags);
    if (!parsed.ok) {
      setText(typed);
      setError({ problem: parsed.problem, tag: parsed.tag });
      return;
    }
    setText('');
    setError(null);
    if (parsed.add.length > 0) void change(parsed.add, [], typed);
  };

  const onChange = (e: ChangeEvent<HTMLInputElement>) => {
    const v = e.target.value;
    // A comma (or a paste holding some) ends the tags before it.
    if (hasSeparator(v)) addTyped(v);
    else {
      setText(v);
      if (error && 'problem' in error) setError(null);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // Enter while an input method is composing (Chinese, Japanese) picks a candidate.
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      addTyped(text);
    } else if (e.key === 'Backspace' && text === '' && tags.length > 0) {
      e.preventDefault();
      void change([], [tags[tags.length - 1]!], '');
    }
  };

  const message =
    error === null
      ? ''
      : 'failed' in error
        ? t('ctx.tagFailed', { reason: tError(error.failed) })
        : error.problem === 'tooLong'
          ? t('ctx.tagTooLong', { max: MAX_TAG })
          : error.problem === 'tooMany'
            ? t('ctx.tagTooMany', { max: MAX_TAGS })
            : t('ctx.tagDuplicate', { tag: error.tag });

  return (
    <section className="ctx-section" data-testid="ctx-tags" aria-busy={busy || undefined}>
      <h3 className="ctx-heading">{t('ctx.tags')}</h3>
      {tags.length === 0 && !onSetTags && <p className="ctx-none">{t('ctx.noTags')}</p>}
      <div className="tag-editor">
        {tags.map((tag) => (
          <span key={tag} className="chip chip-tag tag-chip" data-testid="ctx-tag" title={tag}>
            <span className="tag-chip-text">{tag}</span>
            {onSetTags && (
              <button
                type="button"
                className="tag-chip-remove"
                data-testid="ctx-tag-remove"
                aria-label={t('ctx.tagRemove', { tag })}
                disabled={busy}
                onClick={() => void change([], [tag], text)}
              >
                ×
              </button>
            )}
          </span>
        ))}
        {onSetTags && (
          <input
            ref={inputRef}
            className="tag-input"
            data-testid="ctx-tag-input"
            value={text}
            placeholder={t('ctx.tagInput')}
            aria-label={t('ctx.tagInput')}
            aria-describedby={message ? `${errorId} ${hintId}` : hintId}
            aria-invalid={error !== null || undefined}
            title={t('ctx.tagHint')}
            disabled={busy}
            onChange={onChange}
            onKeyDown={onKeyDown}
          />
        )}
      </div>
      <span id={hintId} hidden>
        {t('ctx.tagHint')}
      </span>
      {message && (
        <p id={errorId} className="ctx-error" role="alert" data-testid="ctx-tag-error">
          {message}
        </p>
      )}
    </section>
  );
}
