import {
  forwardRef,
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { HTMLAttributes } from 'react';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import type { Message } from '../../api/types';
import { LinkifiedText } from '../../components/LinkifiedText';
import { AttachmentView } from '../attachments/AttachmentView';
import { CardView, cardActionText } from '../cards/CardView';
import { handoffReasonText, useI18n, type I18n } from '../../i18n';
import { formatTime } from '../../i18n/format';
import type { OlderStatus } from '../../state/reducer';
import { isPending, type SendError } from '../../state/messages';
import {
  buildRows,
  dayLabel,
  deliveryState,
  lastSentSeq,
  type DeliveryState,
  type Row,
} from './rows';

/**
 * The virtual index of the first row. Prepending older rows lowers it by
 * their number, so the rows in view keep their index and do not jump.
 */
const FIRST_INDEX = 1_000_000_000;

/**
 * The newest rows drawn at once, without the virtualized list, while it
 * measures and positions itself (a few frames): more than fill a tall
 * window.
 */
const TAIL_ROWS = 30;

/** How close to the bottom (px) still counts as "following" new messages. */
const FOLLOW_SLACK = 80;

/** How long a message jumped to stays highlighted (ms). */
export const FLASH_MS = 2400;

/** A message to scroll to and highlight: its row key, and which request asked. */
export interface TranscriptFocus {
  key: string;
  nonce: number;
}

interface Props {
  messages: readonly Message[];
  /** Pending messages the server refused, by client_msg_id. */
  failed?: Readonly<Record<string, SendError>>;
  myId?: string;
  /** The customer has read every message up to this seq. */
  customerReadSeq?: number;
  /** There are older messages to load when the agent scrolls to the top. */
  hasMore?: boolean;
  older?: OlderStatus;
  onLoadOlder?(): void;
  /** Called with the newest seq shown while the agent is at the bottom. */
  onSeen?(seq: number): void;
  /** A loaded message to scroll to and highlight briefly. */
  focus?: TranscriptFocus | null;
  /** Called with the focus's nonce once it is scrolled to. */
  onFocused?(nonce: number): void;
}

interface ListContext {
  hasMore: boolean;
  older: OlderStatus;
  onLoadOlder?(): void;
  /** The list shows its rows (it has scrolled to where it opens). */
  onShown(): void;
}

/**
 * The messages of one conversation, oldest first, in a virtualized list: only
 * the rows near the view are in the DOM, so ten thousand messages scroll as
 * smoothly as ten. It stays at the newest message as messages arrive unless
 * the agent scrolled up; then a pill counts the new ones.
 */
export function Transcript({
  messages,
  failed = noFailures,
  myId,
  customerReadSeq = 0,
  hasMore = false,
  older = 'idle',
  onLoadOlder,
  onSeen,
  focus = null,
  onFocused,
}: Props) {
  const { t } = useI18n();
  const ref = useRef<VirtuosoHandle>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const atBottomRef = useRef(true);
  const rows = useMemo(() => buildRows(messages), [messages]);
  const firstIndex = useFirstIndex(rows);
  const [atBottom, setAtBottom] = useState(true);
  // The newest seq when the agent scrolled away from the bottom.
  const [leftAt, setLeftAt] = useState<number | null>(null);
  const newest = lastSentSeq(messages);

  const onBottom = useCallback(
    (bottom: boolean) => {
      atBottomRef.current = bottom;
      setAtBottom(bottom);
      setLeftAt(bottom ? null : newest);
    },
    [newest],
  );

  useEffect(() => {
    if (atBottom && newest > 0) onSeen?.(newest);
  }, [atBottom, newest, onSeen]);

  // When the view shrinks (the composer grows, a banner appears) the newest
  // message stays in view if it was.
  useEffect(() => {
    const el = boxRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      const scroller = el.querySelector<HTMLElement>('[data-virtuoso-scroller]');
      if (atBottomRef.current && scroller) scroller.scrollTop = scroller.scrollHeight;
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A focused message is scrolled to (centred) and highlighted for a moment.
  // A list mounted with a focus opens at it; one already shown scrolls.
  const focusIndex = focus ? rows.findIndex((r) => r.key === focus.key) : -1;
  const [initialIndex] = useState(() =>
    focusIndex >= 0 ? { index: focusIndex, align: 'center' as const } : rows.length - 1,
  );
  // The last focus highlighted, and whether it still is (state set during
  // render when a new focus arrives, like useFirstIndex).
  const [flash, setFlash] = useState<(TranscriptFocus & { on: boolean }) | null>(null);
  if (focus && focusIndex >= 0 && flash?.nonce !== focus.nonce) {
    setFlash({ ...focus, on: true });
  }
  const flashNonce = flash?.on ? flash.nonce : null;
  useEffect(() => {
    if (flashNonce === null) return;
    const t = setTimeout(
      () => setFlash((f) => (f?.nonce === flashNonce ? { ...f, on: false } : f)),
      FLASH_MS,
    );
    return () => clearTimeout(t);
  }, [flashNonce]);
  useEffect(() => {
    if (!focus || focusIndex < 0) return;
    ref.current?.scrollToIndex({ index: focusIndex, align: 'center' });
    onFocused?.(focus.nonce);
  }, [focus, focusIndex, onFocused]);
  const flashKey = flash?.on ? flash.key : null;

  const unseen = leftAt === null ? 0 : countNewFromOthers(messages, leftAt, myId);
  const last = messages.at(-1);
  const lastIsMine = last !== undefined && myId !== undefined && last.sender.id === myId;

  // The virtualized list measures its viewport and its rows and scrolls to
  // the newest before it shows anything, a few frames after it mounts. Until
  // then the newest rows are drawn as they are, at the bottom, so they are
  // painted in the first frame; the list takes over once shown. A list
  // opening at a focused message, or a box without layout, has no tail.
  const [tail, setTail] = useState(() => focusIndex < 0 && rows.length > 0);
  useLayoutEffect(() => {
    if (tail && !boxRef.current?.clientHeight) setTail(false);
  }, [tail]);
  const onShown = useCallback(() => setTail(false), []);

  const context = useMemo<ListContext>(
    () => ({ hasMore, older, onLoadOlder, onShown }),
    [hasMore, older, onLoadOlder, onShown],
  );

  return (
    <div
      ref={boxRef}
      className="transcript"
      data-testid="transcript"
      data-rows={rows.length}
      role="log"
      aria-label={t('conv.transcript')}
      aria-live="polite"
    >
      {messages.length === 0 ? (
        <div className="transcript-empty">{t('conv.noMessages')}</div>
      ) : (
        <Virtuoso<Row, ListContext>
          ref={ref}
          className="transcript-scroller"
          data={rows}
          context={context}
          firstItemIndex={firstIndex}
          initialTopMostItemIndex={initialIndex}
          defaultItemHeight={64}
          alignToBottom
          // What the agent writes always scrolls into view; what others
          // write only while the agent is at the bottom.
          followOutput={(bottom) => (bottom || lastIsMine ? 'auto' : false)}
          atBottomThreshold={FOLLOW_SLACK}
          atBottomStateChange={onBottom}
          startReached={() => {
            if (hasMore && older === 'idle') onLoadOlder?.();
          }}
          // Rows drawn beyond the view, so a scroll shows them at once; more
          // costs memory and time when a conversation opens.
          increaseViewportBy={{ top: 600, bottom: 300 }}
          computeItemKey={(_, row) => row.key}
          components={listComponents}
          itemContent={(_, row) => (
            <TranscriptRow
              row={row}
              flash={row.key === flashKey}
              myId={myId}
              customerReadSeq={customerReadSeq}
              failure={
                row.kind === 'msg' && isPending(row.m) ? failed[row.m.client_msg_id] : undefined
              }
            />
          )}
        />
      )}
      {tail && (
        <div className="transcript-tail" data-testid="transcript-tail" aria-hidden="true">
          {rows.slice(-TAIL_ROWS).map((row) => (
            <div key={row.key}>
              <TranscriptRow
                row={row}
                flash={false}
                myId={myId}
                customerReadSeq={customerReadSeq}
                failure={
                  row.kind === 'msg' && isPending(row.m) ? failed[row.m.client_msg_id] : undefined
                }
              />
            </div>
          ))}
        </div>
      )}
      {unseen > 0 && (
        <button
          type="button"
          className="new-pill"
          data-testid="new-messages"
          onClick={() => ref.current?.scrollToIndex({ index: 'LAST', align: 'end' })}
        >
          {t('conv.newMessages', { n: unseen })}
        </button>
      )}
    </div>
  );
}

/**
 * Works out firstItemIndex: when older messages are prepended, the first
 * message that was shown keeps its virtual index. (State set during render:
 * React's pattern for information from the previous render.)
 */
function useFirstIndex(rows: readonly Row[]): number {
  const at = rows.findIndex((r) => r.kind === 'msg');
  const key = at >= 0 ? rows[at]!.key : '';
  const [anchor, setAnchor] = useState({ key, at, first: FIRST_INDEX });
  if (anchor.key === key) return anchor.first;
  const moved = anchor.key ? rows.findIndex((r) => r.key === anchor.key) : -1;
  const first = moved >= 0 ? anchor.first + anchor.at - moved : anchor.first;
  setAnchor({ key, at, first });
  return first;
}

/** The number of messages after seq written by others than me. */
function countNewFromOthers(messages: readonly Message[], seq: number, myId?: string): number {
  let n = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.seq > 0 && m.seq <= seq) break;
    if (m.seq > seq && m.sender.id !== myId && m.kind !== 'event') n++;
  }
  return n;
}

const listComponents = {
  // Tells the transcript when the list stops hiding its rows.
  List: forwardRef<HTMLDivElement, HTMLAttributes<HTMLDivElement> & { context?: ListContext }>(
    function TranscriptList({ context, ...props }, ref) {
      const hidden = props.style?.visibility === 'hidden';
      const onShown = context?.onShown;
      useLayoutEffect(() => {
        if (!hidden) onShown?.();
      }, [hidden, onShown]);
      return <div {...props} ref={ref} />;
    },
  ),
  Header: function TranscriptHeader({ context }: { context?: ListContext }) {
    const { t, tError } = useI18n();
    if (!context) return null;
    const { older, hasMore, onLoadOlder } = context;
    if (older === 'loading') {
      return (
        <div className="transcript-older" data-testid="older-loading" role="status">
          {t('conv.loadingOlder')}
        </div>
      );
    }
    if (typeof older === 'object') {
      return (
        <div className="transcript-older transcript-older-failed" role="alert">
          {tError({ code: older.failed, message: older.failed })}{' '}
          <button type="button" className="btn btn-ghost btn-small" onClick={() => onLoadOlder?.()}>
            {t('conv.retry')}
          </button>
        </div>
      );
    }
    if (!hasMore) {
      return <div className="transcript-older transcript-start">{t('conv.start')}</div>;
    }
    return <div className="transcript-older" />;
  },
};

const TranscriptRow = memo(function TranscriptRow({
  row,
  flash,
  myId,
  customerReadSeq,
  failure,
}: {
  row: Row;
  /** Highlighted for a moment: the agent jumped to this message. */
  flash: boolean;
  myId?: string;
  customerReadSeq: number;
  failure: SendError | undefined;
}) {
  if (row.kind === 'day') return <DaySeparator day={row.day} />;
  const m = row.m;
  return (
    <div
      className={`transcript-row${flash ? ' transcript-row-flash' : ''}`}
      data-flash={flash ? 'true' : undefined}
    >
      {m.kind === 'event' ? (
        <EventLine m={m} />
      ) : (
        <Bubble
          m={m}
          mine={myId !== undefined && m.sender.id === myId}
          failure={failure}
          delivery={deliveryState(m, myId, customerReadSeq, failure)}
        />
      )}
    </div>
  );
});

function DaySeparator({ day }: { day: number }) {
  const { t, lang } = useI18n();
  return (
    <div className="transcript-row">
      <div className="date-sep" data-testid="date-sep" data-day={day} role="separator">
        <span>{dayLabel(day, lang, t)}</span>
      </div>
    </div>
  );
}

const noFailures: Readonly<Record<string, SendError>> = {};

function msgAttrs(m: Message, failed = false) {
  return {
    'data-testid': 'msg',
    'data-seq': m.seq,
    'data-role': m.sender.role,
    'data-pending': isPending(m) && !failed ? 'true' : 'false',
    'data-failed': failed ? 'true' : undefined,
  };
}

/** Translates an event message into one line of text. */
export function eventText(m: Message, t: I18n['t'], tMaybe: I18n['tMaybe']): string {
  const ev = m.event;
  const actor = ev?.actor || m.sender.name || '';
  const reason = ev?.reason ?? '';
  switch (ev?.type) {
    case 'opened':
      return t('event.opened');
    case 'handoff':
      return reason
        ? t('event.handoffReason', { reason: handoffReasonText(reason, tMaybe) })
        : t('event.handoff');
    case 'assigned':
      return actor ? t('event.assigned', { actor }) : t('event.assignedAnon');
    case 'resolved':
      if (reason === 'no_reply') return t('event.resolvedNoReply');
      return actor ? t('event.resolved', { actor }) : t('event.resolvedAnon');
    case 'waiting':
      return t('event.waiting');
    case 'resumed':
      return t('event.resumed');
    case 'closed':
      return t('event.closed');
    case 'reopened':
      return t('event.reopened');
    case 'transferred':
      return reason
        ? t('event.transferredTeam', { team: tMaybe(`team.${reason}`, reason) })
        : t('event.transferred');
    case 'handed_back':
      return t('event.handedBack');
    case 'offered':
      return reason ? t('event.offered', { name: reason }) : t('event.offeredAnon');
    case 'declined':
      return actor ? t('event.declined', { actor }) : t('event.declinedAnon');
    case 'offer_expired':
      return t('event.offerExpired');
    case 'transfer_requested':
      return reason
        ? t('event.transferRequested', { name: reason })
        : t('event.transferRequestedAnon');
    case 'transfer_accepted':
      return actor ? t('event.transferAccepted', { actor }) : t('event.transferAcceptedAnon');
    case 'rated': {
      const score = Number.parseInt(reason, 10);
      return score >= 1 && score <= 5 ? t('event.rated', { score }) : t('event.ratedAnon');
    }
    case 'card_action':
      return cardActionText(ev ?? {}, t);
    case 'joined':
      return t('event.joined', { actor });
    case 'left':
      return t('event.left', { actor });
    case 'taken_over':
      return reason
        ? t('event.takenOverFrom', { actor, name: reason })
        : t('event.takenOver', { actor });
    case 'reassigned':
      return actor && reason
        ? t('event.reassigned', { actor, name: reason })
        : t('event.reassignedAnon');
    case 'assist_raised':
      return t('event.assistRaised', { actor });
    case 'assist_answered':
      return t('event.assistAnswered', { actor });
    case 'assist_lowered':
      return t('event.assistLowered');
    default:
      return m.text || t('event.other', { type: ev?.type ?? '' });
  }
}

const EventLine = memo(function EventLine({ m }: { m: Message }) {
  const { t, tMaybe, lang } = useI18n();
  const ev = m.event;
  const internal = m.visibility === 'internal';
  return (
    <div
      className={`event-line event-${ev?.type ?? 'other'}${internal ? ' event-internal' : ''}`}
      data-visibility={m.visibility}
      {...msgAttrs(m)}
    >
      <span className="event-text">{eventText(m, t, tMaybe)}</span>
      {internal && (
        <span className="chip chip-internal" title={t('msg.internalHint')}>
          {t('msg.internal')}
        </span>
      )}
      <time className="event-time">{formatTime(m.created_at, lang)}</time>
    </div>
  );
});

interface BubbleProps {
  m: Message;
  mine: boolean;
  failure: SendError | undefined;
  delivery: DeliveryState | null;
}

const Bubble = memo(function Bubble({ m, mine, failure, delivery }: BubbleProps) {
  const { t, tMaybe, tError, lang } = useI18n();
  const role = m.sender.role;
  const side = role === 'customer' ? 'in' : 'out';
  const pending = isPending(m) && !failure;
  const internal = m.visibility === 'internal';
  const whisper = m.visibility === 'whisper';
  const name = m.sender.name || tMaybe(`role.${role}`, t('msg.unknownSender'));
  return (
    <div
      className={`msg msg-${side} msg-role-${role}${mine ? ' msg-mine' : ''}${
        pending ? ' msg-pending' : ''
      }${internal ? ' msg-internal' : ''}${whisper ? ' msg-whisper' : ''}${
        failure ? ' msg-failed' : ''
      }`}
      {...msgAttrs(m, failure !== undefined)}
      data-visibility={m.visibility}
    >
      <div className="msg-head">
        <span className="msg-sender">{name}</span>
        {role === 'bot' && <span className="chip chip-bot">{t('role.bot')}</span>}
        {internal && (
          <span className="chip chip-internal" data-testid="msg-internal">
            {t('msg.internal')} · {t('msg.internalHint')}
          </span>
        )}
        {whisper && (
          <span className="chip chip-whisper" data-testid="msg-whisper">
            {t('whisper.chip')} · {t('whisper.hint')}
          </span>
        )}
        <span className="msg-time">
          {pending ? t('msg.pending') : formatTime(m.created_at, lang)}
        </span>
        {delivery && delivery !== 'failed' && <DeliveryMark state={delivery} />}
      </div>
      <div className="msg-bubble">
        <MessageBody m={m} />
      </div>
      {failure && (
        <div className="msg-error" role="alert">
          {t('msg.failed', { reason: tError(failure) })}
        </div>
      )}
    </div>
  );
});

/** The delivery state of one of my messages: a clock, one tick or two. */
function DeliveryMark({ state }: { state: DeliveryState }) {
  const { t } = useI18n();
  const glyph = state === 'pending' ? '◷' : state === 'read' ? '✓✓' : '✓';
  return (
    <span
      className={`msg-state msg-state-${state}`}
      data-testid="msg-state"
      data-state={state}
      title={t(`delivery.${state}`)}
      aria-label={t(`delivery.${state}`)}
    >
      {glyph}
    </span>
  );
}

/** A message's content by kind; a kind this app does not know shows its text. */
function MessageBody({ m }: { m: Message }) {
  const { t } = useI18n();
  switch (m.kind) {
    case 'image':
    case 'file':
    case 'voice':
      return <AttachmentView m={m} />;
    case 'card':
      return m.card ? (
        <CardView card={m.card} />
      ) : (
        <span>{m.text || t('card.unknown', { type: '' })}</span>
      );
    default:
      return <LinkifiedText text={m.text ?? ''} />;
  }
}
