import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../api';
import { I18nProvider } from '../../i18n';
import { format, type MessageKey } from '../../i18n';
import { en } from '../../i18n/en';
import { eventText } from '../conversation/Transcript';
import { CardView, cardActionText } from './CardView';

function show(card: Card) {
  render(
    <I18nProvider lang="en">
      <CardView card={card} />
    </I18nProvider>,
  );
  return screen.getByTestId('msg-card');
}

describe('cards', () => {
  it('renders a product card', () => {
    const el = show({
      type: 'product',
      version: 1,
      data: {
        sku: 'K-1',
        title: 'Kettle',
        price: '19.90',
        currency: 'CNY',
        url: 'https://shop.example/k1',
      },
    });
    expect(el).toHaveAttribute('data-card-type', 'product');
    expect(el).toHaveTextContent('Kettle');
    expect(el).toHaveTextContent('19.90 CNY');
    expect(screen.getByRole('button', { name: 'Open' })).toBeInTheDocument();
  });

  it('renders an order status card with items and eta', () => {
    const el = show({
      type: 'order_status',
      version: 1,
      data: {
        order_no: 'SO-1',
        status: 'shipped',
        items: [{ name: 'Kettle', qty: 2 }],
        eta: '2026-12-01',
      },
    });
    expect(el).toHaveTextContent('Order SO-1');
    expect(el).toHaveTextContent('Shipped');
    expect(el).toHaveTextContent('Kettle × 2');
    expect(el).toHaveTextContent('Expected 2026-12-01');
  });

  it('renders a rating form', () => {
    const el = show({
      type: 'rating_form',
      version: 1,
      data: { question: 'How did we do?', scale: 5 },
    });
    expect(el).toHaveAttribute('data-card-type', 'rating_form');
    expect(el).toHaveTextContent('How did we do?');
    expect(el).toHaveTextContent('☆☆☆☆☆');
  });

  it('shows the fallback of an unknown type or version', () => {
    expect(show({ type: 'coupon', version: 1, data: {}, fallback: '10% off' })).toHaveTextContent(
      '10% off',
    );
  });

  it('shows card actions as readable lines', () => {
    const t = (k: MessageKey, p?: Record<string, string | number>) => format(en, k, p);
    const cases: [Parameters<typeof cardActionText>[0], string][] = [
      [
        {
          actor: 'Wang',
          card_type: 'rating_form',
          action: 'submit',
          values: { score: 4, comment: 'fast' },
        },
        'Wang rated 4/5 on the rating form · “fast”',
      ],
      [
        { actor: 'Wang', card_type: 'product', action: 'buy', values: { qty: 2 } },
        'Wang chose to buy ×2',
      ],
      [{ actor: 'Wang', card_type: 'product', action: 'view' }, 'Wang: view on a product card'],
    ];
    for (const [ev, want] of cases) expect(cardActionText(ev, t)).toBe(want);
  });

  it('names card_action events in the transcript', () => {
    const t = (k: MessageKey, p?: Record<string, string | number>) => format(en, k, p);
    const m = {
      conversation_id: 'c1',
      seq: 9,
      client_msg_id: '',
      sender: { role: 'customer' },
      kind: 'event',
      visibility: 'public',
      created_at: 1,
      event: {
        type: 'card_action',
        actor: 'Wang',
        card_seq: 4,
        card_type: 'rating_form',
        action: 'submit',
        values: { score: 5 },
      },
    };
    expect(eventText(m, t, (_k, fallback) => fallback)).toBe('Wang rated 5/5 on the rating form');
  });
});
