import { memo } from 'react';
import type { KeyboardEvent } from 'react';
import type { Conversation, ListFilter } from '../../api/types';
import { Avatar } from '../../components/Avatar';
import { StateBadge } from '../../components/StateBadge';
import { useNow } from '../../hooks/useNow';
import { useServerNow } from '../../hooks/useServerNow';
import { useI18n } from '../../i18n';
import { formatDuration, formatTime } from '../../i18n/format';
import { isOfferedToMe } from '../../state/reducer';
import { countOpenMine, previewText, selectMine, selectQueue } from '../../state/selectors';
import { useActions, useAppState } from '../../state/store';
import { OfferChip } from '../offers/OfferBanner';

const TABS: readonly ListFilter[] = ['mine', 'queue'];

/** The left column: "Mine" and "Queue" tabs with their conversations. */
export function ConversationList() {
  const { t } = useI18n();
  const state = useAppState();
  const { select, setTab } = useActions();
  const now = useNow(15_000);
  const mine = selectMine(state);
  const queue = selectQueue(state);
  const counts: Record<ListFilter, number> = { mine: countOpenMine(state), queue: queue.length };
  const items = state.tab === 'mine' ? mine : queue;

  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    setTab(state.tab === 'mine' ? 'queue' : 'mine');
  };

  return (
    <nav className="conv-list-pane" aria-label={t('tabs.label')}>
      <div className="tabs" role="tablist" onKeyDown={onTabKey}>
        {TABS.map((tab) => (
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
            onClick={() => setTab(tab)}
          >
            <span>{t(`tabs.${tab}`)}</span>
            <span
              className={`tab-count${tab === 'queue' && counts.queue > 0 ? ' tab-count-hot' : ''}`}
            >
              {counts[tab]}
            </span>
          </button>
        ))}
      </div>
      <ul className="conv-list" id="conv-list" role="tabpanel" aria-labelledby={`tab-${state.tab}`}>
        {items.length === 0 && (
          <li className="conv-list-empty">
            {t(state.tab === 'mine' ? 'list.emptyMine' : 'list.emptyQueue')}
          </li>
        )}
        {items.map((c) => (
          <ConversationItem
            key={c.id}
            conv={c}
            preview={previewText(c, state.messages[c.id])}
            selected={c.id === state.selectedId}
            offered={isOfferedToMe(c, state.session?.user.id)}
            now={now}
            onSelect={select}
          />
        ))}
      </ul>
    </nav>
  );
}

interface ItemProps {
  conv: Conversation;
  preview: string;
  selected: boolean;
  /** Offered to the signed-in agent: shows the offer with its countdown. */
  offered: boolean;
  now: number;
  onSelect(id: string): void;
}

const ConversationItem = memo(function ConversationItem({
  conv,
  preview,
  selected,
  offered,
  now,
  onSelect,
}: ItemProps) {
  const { t, tMaybe, lang } = useI18n();
  const name = conv.customer_name || conv.customer_id;
  const queued = conv.state === 'queued';
  return (
    <li>
      <button
        type="button"
        className={`conv-item${selected ? ' conv-item-selected' : ''}${
          offered ? ' conv-item-offered' : ''
        }`}
        data-testid="conv-item"
        data-conversation-id={conv.id}
        data-state={conv.state}
        data-offered={offered ? 'true' : undefined}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onSelect(conv.id)}
      >
        <Avatar name={name} seed={conv.customer_id} />
        <span className="conv-item-main">
          <span className="conv-item-row">
            <span className="conv-item-name">{name}</span>
            <span className="conv-item-time">{formatTime(conv.updated_at, lang, now)}</span>
          </span>
          <span className="conv-item-text">{preview || t('list.noText')}</span>
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
          </span>
        </span>
      </button>
    </li>
  );
});

/** The offer chip with the server's clock ticking every second. */
function TickingOfferChip({ conv }: { conv: Conversation }) {
  const serverNow = useServerNow(1000);
  return <OfferChip conv={conv} serverNow={serverNow} />;
}
