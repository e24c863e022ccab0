import { memo, useLayoutEffect, useRef } from 'react';
import type { Message } from '../../api/types';
import { LinkifiedText } from '../../components/LinkifiedText';
import { useI18n, type I18n } from '../../i18n';
import { formatTime } from '../../i18n/format';
import { isPending, type SendError } from '../../state/messages';

/** How close to the bottom (px) still counts as "following" new messages. */
const FOLLOW_SLACK = 80;

/** The messages of one conversation, oldest first; keeps the newest in view. */
export function Transcript({
  messages,
  failed = noFailures,
  myId,
}: {
  messages: readonly Message[];
  /** Pending messages the server refused, by client_msg_id. */
  failed?: Readonly<Record<string, SendError>>;
  myId?: string;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [messages, failed]);

  const onScroll = () => {
    const el = ref.current;
    if (el) following.current = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK;
  };

  return (
    <div
      className="transcript"
      data-testid="transcript"
      ref={ref}
      onScroll={onScroll}
      role="log"
      aria-label={t('conv.transcript')}
      aria-live="polite"
    >
      {messages.length === 0 && <div className="transcript-empty">{t('conv.noMessages')}</div>}
      {messages.map((m) =>
        m.kind === 'event' ? (
          <EventLine key={key(m)} m={m} />
        ) : (
          <Bubble
            key={key(m)}
            m={m}
            mine={myId !== undefined && m.sender.id === myId}
            failure={isPending(m) ? failed[m.client_msg_id] : undefined}
          />
        ),
      )}
    </div>
  );
}

const noFailures: Readonly<Record<string, SendError>> = {};

function key(m: Message): string {
  // A pending message keeps its key when it becomes sent, so it does not remount.
  return m.client_msg_id ? `c:${m.client_msg_id}` : `s:${m.seq}`;
}

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
      return reason ? t('event.handoffReason', { reason }) : t('event.handoff');
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
}

const Bubble = memo(function Bubble({ m, mine, failure }: BubbleProps) {
  const { t, tMaybe, tError, lang } = useI18n();
  const role = m.sender.role;
  const side = role === 'customer' ? 'in' : 'out';
  const pending = isPending(m) && !failure;
  const internal = m.visibility === 'internal';
  const name = m.sender.name || tMaybe(`role.${role}`, t('msg.unknownSender'));
  return (
    <div
      className={`msg msg-${side} msg-role-${role}${mine ? ' msg-mine' : ''}${
        pending ? ' msg-pending' : ''
      }${internal ? ' msg-internal' : ''}${failure ? ' msg-failed' : ''}`}
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
        <span className="msg-time">
          {pending ? t('msg.pending') : formatTime(m.created_at, lang)}
        </span>
      </div>
      <div className="msg-bubble">
        <LinkifiedText text={m.text ?? ''} />
      </div>
      {failure && (
        <div className="msg-error" role="alert">
          {t('msg.failed', { reason: tError(failure) })}
        </div>
      )}
    </div>
  );
});
