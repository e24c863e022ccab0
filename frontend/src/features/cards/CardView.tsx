import type { Card } from '../../api';
import { openExternal } from '../../api';
import { useI18n } from '../../i18n';

const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';

/** A card message: product, order status or rating form; the fallback text for anything else. */
export function CardView({ card }: { card: Card }) {
  const { t, tMaybe } = useI18n();
  const d = card.data ?? {};
  let body;
  if (card.version === 1 && card.type === 'product') {
    const url = str(d.url);
    body = (
      <div className="card-product">
        <div className="card-title">{str(d.title)}</div>
        <div className="card-price">
          {str(d.price)} {str(d.currency)}
        </div>
        <div className="card-meta">SKU {str(d.sku)}</div>
        {/^https?:\/\//.test(url) && (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => openExternal(url)}
          >
            {t('card.open')}
          </button>
        )}
      </div>
    );
  } else if (card.version === 1 && card.type === 'order_status') {
    const items = Array.isArray(d.items) ? (d.items as Record<string, unknown>[]) : [];
    const status = str(d.status);
    body = (
      <div className="card-order">
        <div className="card-title">{t('card.order', { no: str(d.order_no) })}</div>
        <div className={`card-status card-status-${status}`}>
          {tMaybe(`card.status.${status}`, status)}
        </div>
        {items.length > 0 && (
          <ul className="card-items">
            {items.map((it, i) => (
              <li key={i}>
                {str(it.name)} × {str(it.qty)}
              </li>
            ))}
          </ul>
        )}
        {str(d.eta) && <div className="card-meta">{t('card.eta', { eta: str(d.eta) })}</div>}
      </div>
    );
  } else if (card.version === 1 && card.type === 'rating_form') {
    const scale = typeof d.scale === 'number' ? d.scale : 5;
    body = (
      <div className="card-rating">
        <div className="card-title">{str(d.question)}</div>
        <div className="card-stars" aria-label={t('card.scale', { scale })}>
          {'☆'.repeat(scale)}
        </div>
        {d.comment_allowed === true && <div className="card-meta">{t('card.commentAllowed')}</div>}
      </div>
    );
  } else {
    body = (
      <div className="card-fallback">{card.fallback || t('card.unknown', { type: card.type })}</div>
    );
  }
  return (
    <div className="msg-card" data-testid="msg-card" data-card-type={card.type}>
      {body}
    </div>
  );
}

/** A card_action event as a line: who did what on which card. */
export function cardActionText(
  ev: { actor?: string; card_type?: string; action?: string; values?: Record<string, unknown> },
  t: (
    k: 'event.cardRated' | 'event.cardBuy' | 'event.cardAction',
    p?: Record<string, string | number>,
  ) => string,
): string {
  const actor = ev.actor || '';
  const v = ev.values ?? {};
  if (ev.card_type === 'rating_form' && ev.action === 'submit' && typeof v.score === 'number') {
    const comment = typeof v.comment === 'string' && v.comment ? ` · “${v.comment}”` : '';
    return t('event.cardRated', { actor, score: v.score }) + comment;
  }
  if (ev.card_type === 'product' && ev.action === 'buy') {
    return t('event.cardBuy', { actor, qty: typeof v.qty === 'number' ? v.qty : 1 });
  }
  return t('event.cardAction', { actor, action: ev.action ?? '', card: ev.card_type ?? '' });
}
