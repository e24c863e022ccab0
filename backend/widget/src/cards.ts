// Card messages: the types and versions of protocol/cards.go the widget
// knows, drawn from their data; anything else (an unknown type or version,
// or data that does not fit) shows the card's plain-text fallback. Every
// value is written as text, never HTML, and links only ever go to http(s).

import { format, type Strings } from './i18n';
import { renderText } from './linkify';
import { CardAction, CardType, MAX_RATING_COMMENT_RUNES, type Card } from './protocol';

/** CardActionState is one of the customer's actions on a card, stored or still sending. */
export interface CardActionState {
  action: string;
  values?: Record<string, unknown>;
  pending: boolean;
}

/** CardContext is what a card needs from the view. */
export interface CardContext {
  doc: Document;
  s: Strings;
  locale: 'zh' | 'en';
  /** act sends an action on the card; false when it could not be queued. */
  act(action: string, values?: Record<string, unknown>): boolean;
  /** openURL opens a product page. */
  openURL(url: string): void;
}

/** CardView is a drawn card that follows the customer's actions on it. */
export interface CardView {
  el: HTMLElement;
  update(actions: readonly CardActionState[]): void;
}

interface ProductV1 {
  sku: string;
  title: string;
  price: string;
  currency: string;
  image_url?: string;
  url?: string;
}

interface OrderStatusV1 {
  order_no: string;
  status: string;
  items?: Array<{ name: string; qty: number }>;
  eta?: string;
}

interface RatingFormV1 {
  question: string;
  scale: number;
  comment_allowed?: boolean;
}

/** renderCard draws a card message. */
export function renderCard(ctx: CardContext, card: Card | undefined, text: string): CardView {
  const type = typeof card?.type === 'string' ? card.type : '';
  const data = card?.data;
  if (card?.version === 1) {
    if (type === CardType.Product && isProduct(data)) return productCard(ctx, data);
    if (type === CardType.OrderStatus && isOrderStatus(data)) return orderCard(ctx, data);
    if (type === CardType.RatingForm && isRatingForm(data)) return ratingCard(ctx, data);
  }
  return fallbackCard(ctx, type, card?.fallback || text);
}

function shell(ctx: CardContext, type: string): HTMLElement {
  const el = ctx.doc.createElement('div');
  el.className = `sb-mcard sb-mcard--${type.replace(/[^a-z0-9_]/gi, '') || 'unknown'}`;
  el.dataset.testid = 'sb-card';
  el.dataset.cardType = type;
  return el;
}

function node<K extends keyof HTMLElementTagNameMap>(
  ctx: CardContext,
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = ctx.doc.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function actionButton(ctx: CardContext, action: string, label: string, primary = false): HTMLButtonElement {
  const b = node(ctx, 'button', primary ? 'sb-button sb-mcard-action' : 'sb-button sb-button--ghost sb-mcard-action', label);
  b.type = 'button';
  b.dataset.testid = 'sb-card-action';
  b.dataset.action = action;
  return b;
}

function fallbackCard(ctx: CardContext, type: string, text: string): CardView {
  const el = shell(ctx, type);
  const p = node(ctx, 'p', 'sb-mcard-fallback');
  p.dataset.testid = 'sb-card-fallback';
  renderText(p, text);
  el.appendChild(p);
  return { el, update: () => {} };
}

function productCard(ctx: CardContext, d: ProductV1): CardView {
  const s = ctx.s;
  const el = shell(ctx, CardType.Product);
  if (d.image_url && webURL(d.image_url)) {
    const img = node(ctx, 'img', 'sb-mcard-image');
    img.src = d.image_url;
    img.alt = d.title;
    img.loading = 'lazy';
    img.referrerPolicy = 'no-referrer';
    el.appendChild(img);
  }
  const body = node(ctx, 'div', 'sb-mcard-body');
  body.append(
    node(ctx, 'p', 'sb-mcard-title', d.title),
    node(ctx, 'p', 'sb-mcard-price', formatPrice(d.price, d.currency, ctx.locale)),
  );
  const actions = node(ctx, 'div', 'sb-mcard-actions');
  const url = d.url && webURL(d.url) ? d.url : '';
  let viewBtn: HTMLButtonElement | null = null;
  if (url) {
    viewBtn = actionButton(ctx, CardAction.View, s.cardView);
    viewBtn.addEventListener('click', () => {
      ctx.openURL(url);
      ctx.act(CardAction.View);
    });
    actions.appendChild(viewBtn);
  }
  const buyBtn = actionButton(ctx, CardAction.Buy, s.cardBuy, true);
  buyBtn.addEventListener('click', () => {
    buyBtn.disabled = true;
    if (!ctx.act(CardAction.Buy, { qty: 1 })) buyBtn.disabled = false;
  });
  actions.appendChild(buyBtn);
  const status = node(ctx, 'p', 'sb-mcard-status');
  status.setAttribute('role', 'status');
  status.hidden = true;
  body.append(actions, status);
  el.appendChild(body);
  return {
    el,
    update(list) {
      const buy = list.find((a) => a.action === CardAction.Buy);
      buyBtn.disabled = !!buy;
      const text = buy ? (buy.pending ? s.cardSending : s.cardBuySent) : '';
      status.textContent = text;
      status.hidden = text === '';
    },
  };
}

function orderCard(ctx: CardContext, d: OrderStatusV1): CardView {
  const s = ctx.s;
  const el = shell(ctx, CardType.OrderStatus);
  const body = node(ctx, 'div', 'sb-mcard-body');
  const head = node(ctx, 'div', 'sb-mcard-head');
  const badge = node(ctx, 'span', 'sb-mcard-badge', s.orderStatus[d.status] ?? d.status);
  badge.dataset.status = d.status;
  head.append(node(ctx, 'p', 'sb-mcard-title', format(s.cardOrderNo, { no: d.order_no })), badge);
  body.appendChild(head);
  if (d.items?.length) {
    const ul = node(ctx, 'ul', 'sb-mcard-items');
    ul.setAttribute('aria-label', s.cardOrderItems);
    for (const it of d.items) {
      const li = node(ctx, 'li', 'sb-mcard-item');
      li.append(node(ctx, 'span', 'sb-mcard-item-name', it.name), node(ctx, 'span', 'sb-mcard-item-qty', `× ${it.qty}`));
      ul.appendChild(li);
    }
    body.appendChild(ul);
  }
  if (d.eta) body.appendChild(node(ctx, 'p', 'sb-mcard-eta', format(s.cardEta, { date: d.eta })));
  el.appendChild(body);
  return { el, update: () => {} };
}

function ratingCard(ctx: CardContext, d: RatingFormV1): CardView {
  const s = ctx.s;
  const el = shell(ctx, CardType.RatingForm);
  const form = node(ctx, 'form', 'sb-mcard-body');
  form.noValidate = true;
  form.appendChild(node(ctx, 'p', 'sb-mcard-title', d.question));
  let score = 0;
  const stars = node(ctx, 'div', 'sb-stars');
  stars.setAttribute('role', 'group');
  stars.setAttribute('aria-label', s.ratingStars);
  const starBtns: HTMLButtonElement[] = [];
  for (let n = 1; n <= d.scale; n++) {
    const b = node(ctx, 'button', 'sb-star sb-mcard-star', '★');
    b.type = 'button';
    b.dataset.testid = 'sb-card-star';
    b.dataset.score = String(n);
    b.title = format(s.ratingStar, { n });
    b.setAttribute('aria-label', b.title);
    b.addEventListener('click', () => {
      score = n;
      paint();
    });
    starBtns.push(b);
    stars.appendChild(b);
  }
  form.appendChild(stars);
  let comment: HTMLTextAreaElement | null = null;
  if (d.comment_allowed) {
    comment = node(ctx, 'textarea', 'sb-field sb-mcard-comment');
    comment.dataset.testid = 'sb-card-comment';
    comment.rows = 2;
    comment.maxLength = MAX_RATING_COMMENT_RUNES;
    comment.placeholder = s.cardRatingComment;
    comment.setAttribute('aria-label', s.cardRatingComment);
    form.appendChild(comment);
  }
  const submit = actionButton(ctx, CardAction.Submit, s.cardRatingSubmit, true);
  submit.type = 'submit';
  const status = node(ctx, 'p', 'sb-mcard-status');
  status.setAttribute('role', 'status');
  status.hidden = true;
  form.append(submit, status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (score < 1 || sent) return;
    const values: Record<string, unknown> = { score };
    const text = comment?.value.trim() ?? '';
    if (text) values.comment = text;
    ctx.act(CardAction.Submit, values);
  });
  el.appendChild(form);

  let sent = false;
  const paint = () => {
    for (const b of starBtns) {
      const n = Number(b.dataset.score);
      b.classList.toggle('sb-star--on', n <= score);
      b.setAttribute('aria-pressed', String(n === score));
      b.disabled = sent;
    }
    if (comment) comment.disabled = sent;
    submit.disabled = sent || score === 0;
  };
  paint();
  return {
    el,
    update(list) {
      const done = list.find((a) => a.action === CardAction.Submit);
      sent = !!done;
      if (done && typeof done.values?.score === 'number') score = done.values.score;
      submit.hidden = sent;
      const text = done ? (done.pending ? s.cardSending : format(s.cardRatingDone, { n: score })) : '';
      status.textContent = text;
      status.hidden = text === '';
      paint();
    },
  };
}

/** formatPrice keeps the decimal string as sent and adds the currency's symbol. */
export function formatPrice(price: string, currency: string, locale: 'zh' | 'en'): string {
  try {
    const parts = new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en', {
      style: 'currency',
      currency,
    }).formatToParts(0);
    const sym = parts.find((p) => p.type === 'currency')?.value;
    if (sym && sym !== currency) return `${sym}${price}`;
  } catch {
    // An unknown currency code: show the code.
  }
  return `${price} ${currency}`;
}

function webURL(u: string): boolean {
  try {
    const p = new URL(u).protocol;
    return p === 'http:' || p === 'https:';
  } catch {
    return false;
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): v is string {
  return typeof v === 'string';
}

function isProduct(d: unknown): d is ProductV1 {
  return isObj(d) && str(d.sku) && str(d.title) && str(d.price) && str(d.currency) &&
    (d.image_url === undefined || str(d.image_url)) && (d.url === undefined || str(d.url));
}

function isOrderStatus(d: unknown): d is OrderStatusV1 {
  return isObj(d) && str(d.order_no) && str(d.status) && (d.eta === undefined || str(d.eta)) &&
    (d.items === undefined || d.items === null ||
      (Array.isArray(d.items) && d.items.every((i) => isObj(i) && str(i.name) && typeof i.qty === 'number')));
}

function isRatingForm(d: unknown): d is RatingFormV1 {
  return isObj(d) && str(d.question) && typeof d.scale === 'number' && d.scale >= 1 && d.scale <= 10 &&
    (d.comment_allowed === undefined || typeof d.comment_allowed === 'boolean');
}
