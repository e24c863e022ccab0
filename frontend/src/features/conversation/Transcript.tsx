import { memo, useLayoutEffect, useRef } from 'react';
import type { Message } from '../../api/types';
import { LinkifiedText } from '../../components/LinkifiedText';
import { useI18n } from '../../i18n';
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

const EventLine = memo(function EventLine({ m }: { m: Message }) {
  const { t, lang } = useI18n();
  const ev = m.event;
  const actor = ev?.actor || m.sender.name || '';
  let text: string;
  switch (ev?.type) {
    case 'opened':
      text = t('event.opened');
      break;
    case 'handoff':
      text = ev.reason ? t('event.handoffReason', { reason: ev.reason }) : t('event.handoff');
      break;
    case 'assigned':
      text = actor ? t('event.assigned', { actor }) : t('event.assignedAnon');
      break;
    case 'resolved':
      if (ev.reason === 'no_reply') text = t('event.resolvedNoReply');
      else text = actor ? t('event.resolved', { actor }) : t('event.resolvedAnon');
      break;
    case 'waiting':
      text = t('event.waiting');
      break;
    case 'resumed':
      text = t('event.resumed');
      break;
    case 'closed':
      text = t('event.closed');
      break;
    case 'reopened':
      text = t('event.reopened');
      break;
    case 'transferred':
      text = ev.reason ? t('event.transferredReason', { reason: ev.reason }) : t('event.transferred');
      break;
    case 'handed_back':
      text = t('event.handedBack');
      break;
    default:
      text = m.text || t('event.other', { type: ev?.type ?? '' });
  }
  return (
    <div className={`event-line event-${ev?.type ?? 'other'}`} {...msgAttrs(m)}>
      <span className="event-text">{text}</span>
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
    >
      <div className="msg-head">
        <span className="msg-sender">{name}</span>
        {role === 'bot' && <span className="chip chip-bot">{t('role.bot')}</span>}
        {internal && <span className="chip chip-internal">{t('msg.internal')}</span>}
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
