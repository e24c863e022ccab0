import { forwardRef, memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HTMLAttributes, KeyboardEvent } from 'react';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import { LIST_TABS, type Conversation, type ListTab } from '../../api/types';
import { Avatar } from '../../components/Avatar';
import { StateBadge } from '../../components/StateBadge';
import { useNow } from '../../hooks/useNow';
import { useServerNow } from '../../hooks/useServerNow';
import { useI18n, type MessageKey } from '../../i18n';
import { formatDuration, formatTime } from '../../i18n/format';
import { isOfferedToMe } from '../../state/reducer';
import {
  countOpenMine,
  customerWaitingSince,
  previewText,
  selectTab,
  totalUnread,
  unreadCount,
} from '../../state/selectors';
import { useActions, useAppState } from '../../state/store';
import { OfferChip } from '../offers/OfferBanner';
import { useCommand } from '../shortcuts/commands';
import { startOfDay } from '../conversation/rows';

const EMPTY: Record<ListTab, MessageKey> = {
  mine: 'list.emptyMine',
  queue: 'list.emptyQueue',
  waiting: 'list.emptyWaiting',
  resolved: 'list.emptyResolved',
};

/**
 * Reports whether conv matches a search: customer name or id, the last text,
 * a tag, or any business field (order number, ticket number, source page…).
 */
export function matchesQuery(conv: Conversation, preview: string, q: string): boolean {
  if (!q) return true;
  const fields = Object.values({ ...(conv.ext ?? {}), ...(conv.verified ?? {}) }).join(' ');
  const tags = (conv.tags ?? []).join(' ');
  const hay =
    `${conv.customer_name} ${conv.customer_id} ${preview} ${tags} ${fields}`.toLowerCase();
  return hay.includes(q.toLowerCase());
}

/** Tags a list row shows before "+N": the row stays one line high. */
export const ROW_TAGS = 2;

/**
 * Rows drawn by the first render, before the list has measured its height:
 * a column of a tall window. They are in the DOM at once, so the list does
 * not wait a frame for its measurements to show anything.
 */
const FIRST_ROWS = 16;

/** A row's height (px) before it is measured: three lines of text and padding. */
const ROW_HEIGHT = 82;

/**
 * The left column: tabs (mine, queue, waiting for the customer, resolved
 * today) with counts and unread badges, a search box, and the conversations.
 */
export function ConversationList() {
  const { t } = useI18n();
  const state = useAppState();
  const { select, setTab, loadResolved } = useActions();
  const now = useNow(15_000);
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<VirtuosoHandle>(null);
  const dayStart = startOfDay(now);
  const me = state.session?.user.id;

  // The lists change with the conversations, not with every other change of
  // the state (a transcript loading, a draft): sorted once per change.
  const { session, conversations } = state;
  const lists = useMemo(() => {
    const ls = { session, conversations };
    return {
      mine: selectTab(ls, 'mine', dayStart),
      queue: selectTab(ls, 'queue', dayStart),
      waiting: selectTab(ls, 'waiting', dayStart),
      resolved: selectTab(ls, 'resolved', dayStart),
    };
  }, [session, conversations, dayStart]);
  const counts: Record<ListTab, number> = {
    mine: countOpenMine(state),
    queue: lists.queue.length,
    waiting: lists.waiting.length,
    resolved: lists.resolved.length,
  };
  const unreadAll = totalUnread(state);
  const q = query.trim();
  const items = q
    ? lists[state.tab].filter((c) => matchesQuery(c, previewText(c, state.messages[c.id]), q))
    : lists[state.tab];

  const choose = useCallback(
    (tab: ListTab) => {
      setTab(tab);
      if (tab === 'resolved') loadResolved();
    },
    [setTab, loadResolved],
  );

  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const i = LIST_TABS.indexOf(state.tab);
    const step = e.key === 'ArrowRight' ? 1 : LIST_TABS.length - 1;
    choose(LIST_TABS[(i + step) % LIST_TABS.length]!);
  };

  // Next and previous walk the list as shown. The handlers are renewed each
  // render, so they see the current list.
  const step = (by: number) => {
    if (items.length === 0) return;
    const at = items.findIndex((c) => c.id === state.selectedId);
    const next = at < 0 ? (by > 0 ? 0 : items.length - 1) : (at + by + items.length) % items.length;
    select(items[next]!.id);
  };
  useCommand('next', () => step(1));
  useCommand('prev', () => step(-1));
  useCommand('tab:mine', () => choose('mine'));
  useCommand('tab:queue', () => choose('queue'));
  useCommand('tab:waiting', () => choose('waiting'));
  useCommand('tab:resolved', () => choose('resolved'));
  useCommand('search', () => searchRef.current?.focus());

  // Only the rows near the view are drawn: the selected one is scrolled
  // into view, wherever a shortcut or a search moved the selection.
  const selectedIndex = items.findIndex((c) => c.id === state.selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) listRef.current?.scrollIntoView({ index: selectedIndex });
  }, [selectedIndex]);

  return (
    <nav className="conv-list-pane" aria-label={t('tabs.label')}>
      <div className="tabs" role="tablist" onKeyDown={onTabKey}>
        {LIST_TABS.map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            id={`tab-${tab}`}
            aria-selected={state.tab === tab}
            aria-controls="conv-list"
            tabIndex={state.tab === tab ? 0 : -1}
            className={`tab${state.tab === tab ? ' tab-active' : ''}`}
            data-testid={`tab-${tab}`}
            data-count={counts[tab]}
            title={
              tab === 'resolved'
                ? t('tabs.resolvedHint')
                : tab === 'waiting'
                  ? t('tabs.waitingHint')
                  : undefined
            }
            onClick={() => choose(tab)}
          >
            <span className="tab-label">{t(`tabs.${tab}`)}</span>
            <span
              className={`tab-count${tab === 'queue' && counts.queue > 0 ? ' tab-count-hot' : ''}`}
            >
              {counts[tab]}
            </span>
            {tab === 'mine' && unreadAll > 0 && (
              <span
                className="unread-badge unread-total"
                data-testid="unread-total"
                title={t('list.unreadTotal', { n: unreadAll })}
              >
                {unreadAll > 99 ? '99+' : unreadAll}
              </span>
            )}
          </button>
        ))}
      </div>
      <div className="conv-search">
        <input
          ref={searchRef}
          type="search"
          className="conv-search-input"
          data-testid="conv-search"
          placeholder={t('list.search')}
          aria-label={t('list.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setQuery('');
          }}
        />
      </div>
      <div
        className="conv-list"
        id="conv-list"
        role="tabpanel"
        aria-labelledby={`tab-${state.tab}`}
      >
        {items.length === 0 ? (
          <div className="conv-list-empty">
            {q ? t('list.noMatch', { q }) : t(EMPTY[state.tab])}
          </div>
        ) : (
          // Only the rows in and near the view are in the DOM: a long list
          // costs no more to draw, re-render or keep than a short one.
          <Virtuoso
            ref={listRef}
            className="conv-list-scroller"
            data={items}
            initialItemCount={Math.min(items.length, FIRST_ROWS)}
            defaultItemHeight={ROW_HEIGHT}
            increaseViewportBy={{ top: 2 * ROW_HEIGHT, bottom: 2 * ROW_HEIGHT }}
            computeItemKey={(_, c) => c.id}
            components={listComponents}
            itemContent={(_, c) => (
              <ConversationItem
                conv={c}
                preview={previewText(c, state.messages[c.id])}
                selected={c.id === state.selectedId}
                offered={isOfferedToMe(c, me)}
                unread={unreadCount(state, c)}
                waitingSince={customerWaitingSince(state, c)}
                now={now}
                onSelect={select}
              />
            )}
          />
        )}
      </div>
    </nav>
  );
}

/** The list is a list: ul and li around the virtualized rows. */
const listComponents = {
  List: forwardRef<HTMLUListElement, HTMLAttributes<HTMLUListElement> & { context?: unknown }>(
    function ConversationRows({ context: _, ...props }, ref) {
      return <ul {...props} ref={ref} className="conv-list-rows" />;
    },
  ),
  Header: function ListTop() {
    return <div className="conv-list-edge" />;
  },
  Footer: function ListBottom() {
    return <div className="conv-list-edge" />;
  },
  Item: function ConversationRow({
    item: _,
    context: __,
    ...props
  }: HTMLAttributes<HTMLLIElement> & { item?: unknown; context?: unknown }) {
    return <li {...props} />;
  },
};

interface ItemProps {
  conv: Conversation;
  preview: string;
  selected: boolean;
  /** Offered to the signed-in agent: shows the offer with its countdown. */
  offered: boolean;
  unread: number;
  /** Since when the customer waits for my answer (unix ms), or null. */
  waitingSince: number | null;
  now: number;
  onSelect(id: string): void;
}

const ConversationItem = memo(function ConversationItem({
  conv,
  preview,
  selected,
  offered,
  unread,
  waitingSince,
  now,
  onSelect,
}: ItemProps) {
  const { t, tMaybe, lang } = useI18n();
  const name = conv.customer_name || conv.customer_id;
  const queued = conv.state === 'queued';
  return (
    <button
      type="button"
      className={`conv-item${selected ? ' conv-item-selected' : ''}${
        offered ? ' conv-item-offered' : ''
      }${unread > 0 ? ' conv-item-unread' : ''}`}
      data-testid="conv-item"
      data-conversation-id={conv.id}
      data-state={conv.state}
      data-offered={offered ? 'true' : undefined}
      data-unread={unread}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(conv.id)}
    >
      <Avatar name={name} seed={conv.customer_id} />
      <span className="conv-item-main">
        <span className="conv-item-row">
          <span className="conv-item-name">{name}</span>
          <span className="conv-item-time">{formatTime(conv.updated_at, lang, now)}</span>
          {unread > 0 && (
            <span
              className="unread-badge"
              data-testid="conv-unread"
              title={t('list.unread', { n: unread })}
            >
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </span>
        {conv.tags && conv.tags.length > 0 ? (
          // Tags share the preview's line, which gives way to them: the
          // row keeps its height.
          <span className="conv-item-row">
            <span className="conv-item-text">{preview || t('list.noText')}</span>
            <RowTags tags={conv.tags} />
          </span>
        ) : (
          <span className="conv-item-text">{preview || t('list.noText')}</span>
        )}
        <span className="conv-item-row conv-item-meta">
          <StateBadge state={conv.state} />
          {offered && <TickingOfferChip conv={conv} />}
          {conv.team && <span className="chip">{tMaybe(`team.${conv.team}`, conv.team)}</span>}
          {queued && (
            <span className="conv-item-wait" data-testid="conv-wait">
              {t('list.waiting', {
                duration: formatDuration(now - (conv.queued_at || conv.updated_at), t),
              })}
            </span>
          )}
          {!queued && waitingSince !== null && (
            <span className="conv-item-wait conv-item-wait-hot" data-testid="conv-wait">
              {t('list.customerWaiting', { duration: formatDuration(now - waitingSince, t) })}
            </span>
          )}
          {conv.state === 'waiting_customer' && (
            <span className="conv-item-wait" data-testid="conv-wait">
              {t('list.quiet', { duration: formatDuration(now - conv.updated_at, t) })}
            </span>
          )}
        </span>
      </span>
    </button>
  );
});

/** A row's tags: the first ROW_TAGS as chips, then how many more; all of them on hover. */
function RowTags({ tags }: { tags: readonly string[] }) {
  const { t } = useI18n();
  const more = tags.length - ROW_TAGS;
  return (
    <span
      className="conv-item-tags"
      data-testid="conv-tags"
      title={t('list.tags', { tags: tags.join(t('list.tagSep')) })}
    >
      {tags.slice(0, ROW_TAGS).map((tag) => (
        <span key={tag} className="chip chip-tag" data-testid="conv-tag">
          {tag}
        </span>
      ))}
      {more > 0 && (
        <span className="chip chip-tag chip-tag-more" data-testid="conv-tags-more">
          {t('list.tagsMore', { n: more })}
        </span>
      )}
    </span>
  );
}

/** The offer chip with the server's clock ticking every second. */
function TickingOfferChip({ conv }: { conv: Conversation }) {
  const serverNow = useServerNow(1000);
  return <OfferChip conv={conv} serverNow={serverNow} />;
}
