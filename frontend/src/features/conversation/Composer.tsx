import { LayoutTemplate, Paperclip } from 'lucide-react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ClipboardEvent, DragEvent, KeyboardEvent } from 'react';
import { toApiError, type ApiError, type Card, type Message } from '../../api';
import { chooseAndUpload, onFilesDropped, uploadData, uploadPaths } from '../../api/files';
import { UploadList } from '../attachments/UploadList';
import { useUploads } from '../attachments/useUploads';
import { CannedMenu, cannedQuery, filterCanned, useCanned } from '../canned/CannedMenu';
import { fillCanned, pickCanned } from '../canned/fill';
import type { CannedContext, CannedItem } from '../canned/model';
import { CardPicker } from '../cards/CardPicker';
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
  /** The conversation written to; with it the composer offers files, cards and canned responses. */
  conversationId?: string;
  /** Shows a pending message the Go side queued (a finished upload). */
  onUploaded?(m: Message): void;
  onSendCard?(card: Card): Promise<ApiError | null>;
  /** What the conversation gives the variables of a canned response, and its language. */
  canned?: CannedContext;
}

const noop = () => {};

const noValues: CannedContext = {
  values: { customer_name: '', agent_name: '', ext: {} },
  locale: '',
};

/** Reads a File as base64 without the data: prefix. */
function readBase64(f: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(f);
  });
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
  conversationId,
  onUploaded,
  onSendCard,
  canned: cannedContext = noValues,
}: Props) {
  const { t, lang } = useI18n();
  const uploads = useUploads(conversationId ?? '', onUploaded ?? noop);
  const [dismissed, setDismissed] = useState<string[]>([]);
  const [cardOpen, setCardOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [cannedAt, setCannedAt] = useState(0);
  const canned = useCanned();
  // The variables a canned response left unfilled in this conversation's
  // text, and the one to select once the text is in the textarea.
  const [unfilled, setUnfilled] = useState<{ conv: string | undefined; markers: string[] }>({
    conv: undefined,
    markers: [],
  });
  const selectNext = useRef<string | null>(null);
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

  const tools = conversationId !== undefined && !disabled && !note;
  const query = tools ? cannedQuery(text) : null;
  const cannedItems = query === null ? [] : filterCanned(canned, query);
  const active = Math.min(cannedAt, Math.max(0, cannedItems.length - 1));
  const cannedLocale = cannedContext.locale || lang;
  const insertCanned = (c: CannedItem) => {
    const filled = fillCanned(pickCanned(c.zh, c.en, cannedLocale), cannedContext.values);
    onDraft({ text: filled.text, note });
    setUnfilled({ conv: conversationId, markers: filled.missing });
    selectNext.current = filled.missing[0] ?? null;
    setCannedAt(0);
    inputRef.current?.focus();
  };
  // Selects the first unfilled variable so the agent types over it.
  useLayoutEffect(() => {
    const marker = selectNext.current;
    const el = inputRef.current;
    if (marker === null || !el) return;
    const at = el.value.indexOf(marker);
    if (at < 0) return;
    selectNext.current = null;
    el.focus();
    el.setSelectionRange(at, at + marker.length);
  }, [text]);
  const remaining =
    unfilled.conv === conversationId && !disabled
      ? unfilled.markers.filter((m) => text.includes(m))
      : [];

  const upload = useCallback(
    async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (err) {
        onError(toApiError(err));
      }
    },
    [onError],
  );
  const uploadFiles = (list: FileList | File[]) => {
    if (!conversationId) return;
    for (const f of Array.from(list)) {
      void upload(async () => uploadData(conversationId, f.name, f.type, await readBase64(f)));
    }
  };
  useEffect(() => {
    if (!conversationId || disabled) return;
    return onFilesDropped((paths) => void upload(() => uploadPaths(conversationId, paths)));
  }, [conversationId, disabled, upload]);

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    if (!tools) return;
    const files = Array.from(e.clipboardData?.files ?? []);
    if (files.length === 0) return;
    e.preventDefault();
    uploadFiles(files);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    setDragging(false);
    if (!tools) return;
    e.preventDefault();
    const files = e.dataTransfer?.files;
    if (files && files.length > 0) uploadFiles(files);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (query !== null && cannedItems.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = cannedItems.length;
        setCannedAt((active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
        return;
      }
      if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
        e.preventDefault();
        const c = cannedItems[active];
        if (c) insertCanned(c);
        return;
      }
    }
    // Tab selects the next variable left unfilled, after the caret first.
    if (e.key === 'Tab' && !e.shiftKey && remaining.length > 0) {
      const el = e.currentTarget;
      const spots = remaining
        .flatMap((m) => {
          const out: [number, number][] = [];
          for (let at = text.indexOf(m); at >= 0; at = text.indexOf(m, at + 1)) {
            out.push([at, at + m.length]);
          }
          return out;
        })
        .sort((a, b) => a[0] - b[0]);
      const next = spots.find(([from]) => from >= el.selectionEnd) ?? spots[0];
      if (next) {
        e.preventDefault();
        el.setSelectionRange(next[0], next[1]);
      }
      return;
    }
    if (query !== null && e.key === 'Escape') {
      e.preventDefault();
      onDraft({ text: '', note });
      return;
    }
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
      data-dragging={dragging || undefined}
      onDragOver={(e) => {
        if (!tools) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {dragging && (
        <div className="drop-zone" data-testid="drop-zone">
          {t('attach.drop')}
        </div>
      )}
      {conversationId !== undefined && (
        <UploadList
          items={uploads.filter((u) => !dismissed.includes(u.id))}
          onDismiss={(id) => setDismissed((d) => [...d, id])}
        />
      )}
      {query !== null && (
        <CannedMenu
          items={cannedItems}
          active={active}
          locale={cannedLocale}
          onPick={insertCanned}
        />
      )}
      {cardOpen && conversationId !== undefined && (
        <CardPicker
          onClose={() => setCardOpen(false)}
          onSend={(card) => {
            setCardOpen(false);
            void onSendCard?.(card).then((err) => onError(err));
          }}
        />
      )}
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
        onChange={(e) => {
          onDraft({ text: e.target.value, note });
          setCannedAt(0);
        }}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
      />
      {remaining.length > 0 && (
        <div className="composer-unfilled" data-testid="composer-unfilled" role="status">
          {t('canned.fillIn', { vars: remaining.join(' ') })}
        </div>
      )}
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
        {conversationId !== undefined && (
          <>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              data-testid="btn-attach"
              title={t('attach.attach')}
              aria-label={t('attach.attach')}
              disabled={!tools}
              onClick={() => void upload(() => chooseAndUpload(conversationId))}
            >
              <Paperclip size={16} aria-hidden="true" />
              <span>{t('attach.attachShort')}</span>
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              data-testid="btn-card"
              title={t('card.send')}
              aria-label={t('card.send')}
              aria-expanded={cardOpen}
              disabled={!tools || !onSendCard}
              onClick={() => setCardOpen((o) => !o)}
            >
              <LayoutTemplate size={16} aria-hidden="true" />
              <span>{t('card.sendShort')}</span>
            </button>
          </>
        )}
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
