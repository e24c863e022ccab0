import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import * as api from '../../api';
import type { Message, SearchHit } from '../../api/types';
import { StateBadge } from '../../components/StateBadge';
import { useI18n, type I18n } from '../../i18n';
import { formatDateTime, formatTime } from '../../i18n/format';
import { useActions } from '../../state/store';
import { useCommand } from '../shortcuts/commands';
import { hasMatch, highlight, type Piece } from './highlight';
import { SearchIcon } from './SearchIcon';

/** How long typing must pause before a search runs (ms). */
export const SEARCH_DEBOUNCE_MS = 150;
/** The most hits one search asks for. */
export const SEARCH_LIMIT = 50;
/** The longest query the Go side takes (characters). */
export const SEARCH_MAX_CHARS = 200;
/** About how many characters of a message a result shows. */
const SNIPPET_CHARS = 140;

/**
 * The panel's search: nothing asked yet; waiting for an answer (with the
 * hits of the previous query still shown); answered; failed.
 */
type SearchState =
  | { status: 'idle' }
  | { status: 'searching'; query: string; previous: { query: string; hits: SearchHit[] } | null }
  | { status: 'done'; query: string; hits: SearchHit[] }
  | { status: 'failed'; query: string; error: api.ApiError };

/**
 * The message search: searches the messages cached on this computer as the
 * agent types (after a short pause; an answer to an older query is
 * dropped), lists the hits newest first with the words highlighted, and
 * opens the chosen one at its message. Arrows move, Enter opens, Escape
 * closes.
 */
export function MessageSearch({ onClose }: { onClose(): void }) {
  const { t, tError } = useI18n();
  const { openMessage } = useActions();
  const [text, setText] = useState('');
  const [search, setSearch] = useState<SearchState>({ status: 'idle' });
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  // The query last asked for, so a change of spaces alone asks nothing.
  const asked = useRef('');

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  // The shortcut again, while open, brings focus back to the field.
  useCommand(
    'searchMessages',
    useCallback(() => inputRef.current?.select(), []),
  );

  // A query runs once typing pauses; a newer query (or closing) makes the
  // older one's timer and answer stale.
  const pending = search.status === 'searching' ? search.query : null;
  useEffect(() => {
    if (pending === null) return;
    let stale = false;
    const timer = setTimeout(() => {
      api.searchMessages(pending, SEARCH_LIMIT).then(
        (hits) => {
          if (stale) return;
          setSearch({ status: 'done', query: pending, hits });
          setActive(0);
        },
        (err: unknown) => {
          if (!stale) setSearch({ status: 'failed', query: pending, error: api.toApiError(err) });
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [pending]);

  const onInput = (value: string) => {
    setText(value);
    const query = value.trim();
    if (query === asked.current) return;
    asked.current = query;
    if (!query) {
      setSearch({ status: 'idle' });
      return;
    }
    setSearch((s) => ({
      status: 'searching',
      query,
      previous:
        s.status === 'done'
          ? { query: s.query, hits: s.hits }
          : s.status === 'searching'
            ? s.previous
            : null,
    }));
  };

  const shown =
    search.status === 'done'
      ? { query: search.query, hits: search.hits }
      : search.status === 'searching'
        ? search.previous
        : null;
  const hits = shown?.hits ?? [];
  const current = Math.min(active, Math.max(0, hits.length - 1));

  const choose = (hit: SearchHit | undefined) => {
    if (!hit) return;
    openMessage(hit.conversation, hit.message);
    onClose();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        e.preventDefault();
        if (hits.length === 0) return;
        const by = e.key === 'ArrowDown' ? 1 : -1;
        setActive((current + by + hits.length) % hits.length);
        return;
      }
      case 'Enter':
        if (e.nativeEvent.isComposing) return;
        e.preventDefault();
        choose(hits[current]);
        return;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        onClose();
    }
  };

  const optionId = (i: number) => `${listId}-${i}`;
  // The active result stays in view as the arrows move through the list.
  const activeId = hits.length > 0 ? optionId(current) : null;
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView?.({ block: 'nearest' });
  }, [activeId]);

  return (
    <div className="dialog-backdrop search-backdrop" onClick={onClose}>
      <div
        className="dialog search-panel"
        role="dialog"
        aria-modal="true"
        aria-label={t('search.title')}
        data-testid="message-search"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        <div className="search-head">
          <SearchIcon />
          <input
            ref={inputRef}
            type="text"
            className="search-input"
            data-testid="message-search-input"
            role="combobox"
            aria-expanded={hits.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={activeId ?? undefined}
            aria-label={t('search.title')}
            placeholder={t('search.placeholder')}
            autoComplete="off"
            spellCheck={false}
            maxLength={SEARCH_MAX_CHARS}
            value={text}
            onChange={(e) => onInput(e.target.value)}
          />
          <button
            type="button"
            className="btn btn-ghost btn-small"
            data-testid="message-search-close"
            onClick={onClose}
          >
            {t('search.close')}
          </button>
        </div>
        <div className="search-body">
          {search.status === 'idle' && (
            <p className="search-note" data-testid="search-empty">
              {t('search.hint')}
            </p>
          )}
          {search.status === 'searching' && !shown && (
            <p className="search-note" role="status" data-testid="search-searching">
              {t('search.searching')}
            </p>
          )}
          {search.status === 'failed' && (
            <p className="search-note search-error" role="alert" data-testid="search-error">
              {t('search.failed', { reason: tError(search.error) })}
            </p>
          )}
          {search.status === 'done' && hits.length === 0 && (
            <p className="search-note" role="status" data-testid="search-none">
              {t('search.none', { q: search.query })}
            </p>
          )}
          {shown && hits.length > 0 && (
            <ul
              className="search-results"
              id={listId}
              role="listbox"
              aria-label={t('search.results')}
              aria-busy={search.status === 'searching'}
            >
              {hits.map((hit, i) => (
                <SearchResult
                  key={`${hit.message.conversation_id}:${hit.message.seq}:${hit.message.client_msg_id}`}
                  id={optionId(i)}
                  hit={hit}
                  query={shown.query}
                  active={i === current}
                  onChoose={() => choose(hit)}
                  onHover={() => setActive(i)}
                />
              ))}
            </ul>
          )}
        </div>
        <div className="search-foot">
          <span>{t('search.keys')}</span>
          {shown && hits.length > 0 && (
            <span data-testid="search-count">
              {hits.length >= SEARCH_LIMIT
                ? t('search.more', { n: hits.length })
                : t('search.count', { n: hits.length })}
            </span>
          )}
        </div>
      </div>
    </div>
  );
}

interface ResultProps {
  id: string;
  hit: SearchHit;
  query: string;
  active: boolean;
  onChoose(): void;
  onHover(): void;
}

function SearchResult({ id, hit, query, active, onChoose, onHover }: ResultProps) {
  const { t, tMaybe, lang } = useI18n();
  const { message: m, conversation: c } = hit;
  const snippet = snippetOf(m, query, t, tMaybe);
  const sender = m.sender.name || tMaybe(`role.${m.sender.role}`, t('msg.unknownSender'));
  return (
    <li
      id={id}
      role="option"
      aria-selected={active}
      className={`search-result${active ? ' search-result-active' : ''}`}
      data-testid="search-result"
      data-conversation-id={c.id}
      data-seq={m.seq}
      onClick={onChoose}
      onMouseMove={active ? undefined : onHover}
    >
      <div className="search-result-row">
        <span className="search-result-name">{c.customer_name || c.customer_id}</span>
        <StateBadge state={c.state} />
        <time
          className="search-result-time"
          dateTime={new Date(m.created_at).toISOString()}
          title={formatDateTime(m.created_at, lang)}
        >
          {formatTime(m.created_at, lang)}
        </time>
      </div>
      <div className="search-result-snippet" data-testid="search-snippet">
        <span className="search-result-sender">{t('search.sender', { name: sender })}</span>
        {m.visibility === 'internal' && (
          <span className="chip chip-internal">{t('msg.internal')}</span>
        )}
        {snippet.label && <span className="search-result-field">{snippet.label}</span>}
        <Highlighted pieces={snippet.pieces} />
      </div>
    </li>
  );
}

/** Pieces as text, the matched ones in <mark>. */
function Highlighted({ pieces }: { pieces: readonly Piece[] }) {
  return (
    <span className="search-result-text">
      {pieces.map((p, i) =>
        p.hit ? (
          <mark key={i} className="search-mark">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </span>
  );
}

interface Snippet {
  /** What the text is when it is not the message's own text (a file name, a field). */
  label: string | null;
  pieces: Piece[];
}

/**
 * What a result shows of its message: the first of its searched texts (the
 * text, the file name, the card's text, the business fields) the query
 * matches, else the first one there is.
 */
export function snippetOf(
  m: Message,
  query: string,
  t: I18n['t'],
  tMaybe: I18n['tMaybe'],
): Snippet {
  const fields: { label: string | null; text: string }[] = [];
  if (m.text) fields.push({ label: null, text: m.text });
  if (m.attachment?.name) fields.push({ label: t('search.file'), text: m.attachment.name });
  if (m.card?.fallback) fields.push({ label: t('search.card'), text: m.card.fallback });
  for (const [k, v] of Object.entries(m.ext ?? {})) {
    if (v) fields.push({ label: tMaybe(`ext.${k}`, k), text: v });
  }
  const f = fields.find((x) => hasMatch(x.text, query)) ?? fields[0];
  if (!f) return { label: null, pieces: [] };
  return { label: f.label, pieces: highlight(f.text, query, SNIPPET_CHARS) };
}
