import type { Conversation } from '../../api/types';
import { useI18n } from '../../i18n';

/** Whole seconds left until expiresAt (server ms) at serverNow, never below 0. */
export function secondsLeft(expiresAt: number | undefined, serverNow: number): number {
  if (!expiresAt) return 0;
  return Math.max(0, Math.ceil((expiresAt - serverNow) / 1000));
}

interface BannerProps {
  conv: Conversation;
  /** The server's current time (unix ms), ticking. */
  serverNow: number;
  busy: 'idle' | 'accepting' | 'declining' | string;
  onAccept(): void;
  onDecline(): void;
  /** Opens the conversation (shown as the customer's name) to judge the offer first. */
  onOpen?(): void;
}

/**
 * The offer of a conversation to the signed-in agent, above the
 * conversation: who offers it, a countdown to its expiry, Accept and Decline.
 * It is shown while the conversation names this agent in offer_agent_id; the
 * server clears that when the offer is accepted, declined, expires or is
 * withdrawn, and the banner goes with it.
 */
export function OfferBanner({ conv, serverNow, busy, onAccept, onDecline, onOpen }: BannerProps) {
  const { t } = useI18n();
  const left = secondsLeft(conv.offer_expires_at, serverNow);
  const transfer = Boolean(conv.transfer_from_id);
  const from = conv.assignee_name || '';
  const title = transfer
    ? from
      ? t('offer.transfer', { name: from })
      : t('offer.transferAnon')
    : t('offer.routing');
  return (
    <div
      className={`banner banner-offer${left <= 10 ? ' banner-offer-urgent' : ''}`}
      role="alert"
      data-testid="offer-banner"
      data-conversation-id={conv.id}
      data-kind={transfer ? 'transfer' : 'routing'}
    >
      {onOpen && (
        <button
          type="button"
          className="offer-customer"
          data-testid="offer-open"
          title={t('offers.open')}
          onClick={onOpen}
        >
          {conv.customer_name || conv.customer_id || conv.id}
        </button>
      )}
      <span className="offer-title">{title}</span>
      <span
        className="offer-countdown"
        data-testid="offer-countdown"
        data-seconds={left}
        aria-live="off"
      >
        {left > 0 ? t('offer.expiresIn', { s: left }) : t('offer.expired')}
      </span>
      <span className="offer-actions">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="btn-accept"
          disabled={busy !== 'idle'}
          onClick={onAccept}
        >
          {busy === 'accepting' ? t('conv.accepting') : t('conv.accept')}
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="btn-decline"
          disabled={busy !== 'idle'}
          onClick={onDecline}
        >
          {busy === 'declining' ? t('offer.declining') : t('offer.decline')}
        </button>
      </span>
    </div>
  );
}

/** The compact form of an offer in the conversation list: a chip with the countdown. */
export function OfferChip({ conv, serverNow }: { conv: Conversation; serverNow: number }) {
  const { t } = useI18n();
  const left = secondsLeft(conv.offer_expires_at, serverNow);
  return (
    <span className="chip chip-offer" data-testid="conv-offer" data-seconds={left}>
      {t('offer.chip', { s: left })}
    </span>
  );
}
