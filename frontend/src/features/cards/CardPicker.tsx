import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Card } from '../../api';
import { useI18n } from '../../i18n';

const ORDER_STATUSES = [
  'pending',
  'paid',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
] as const;

/** A small form to send a product card or an order status card. */
export function CardPicker({ onSend, onClose }: { onSend(card: Card): void; onClose(): void }) {
  const { t } = useI18n();
  const [type, setType] = useState<'product' | 'order_status'>('product');
  const [f, setF] = useState<Record<string, string>>({ currency: 'CNY', status: 'shipped' });
  const set = (k: string) => (e: { target: { value: string } }) =>
    setF((cur) => ({ ...cur, [k]: e.target.value }));
  const val = (k: string) => (f[k] ?? '').trim();
  const ok =
    type === 'product'
      ? val('sku') !== '' &&
        val('title') !== '' &&
        /^\d+(\.\d{1,4})?$/.test(val('price')) &&
        /^[A-Z]{3}$/.test(val('currency'))
      : val('order_no') !== '' && val('status') !== '';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ok) return;
    const data: Record<string, unknown> =
      type === 'product'
        ? { sku: val('sku'), title: val('title'), price: val('price'), currency: val('currency') }
        : { order_no: val('order_no'), status: val('status') };
    if (type === 'product' && val('url')) data.url = val('url');
    if (type === 'order_status' && val('eta')) data.eta = val('eta');
    onSend({ type, version: 1, data });
  };

  const field = (k: string, label: string, props: Record<string, string> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input data-testid={`card-${k}`} value={f[k] ?? ''} onChange={set(k)} {...props} />
    </label>
  );

  return (
    <form
      className="card-picker"
      data-testid="card-picker"
      onSubmit={submit}
      aria-label={t('card.send')}
    >
      <div className="card-picker-tabs" role="tablist">
        {(['product', 'order_status'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={type === k}
            data-testid={`card-type-${k}`}
            className={`btn btn-small${type === k ? ' btn-primary' : ' btn-ghost'}`}
            onClick={() => setType(k)}
          >
            {k === 'product' ? t('card.pickProduct') : t('card.pickOrder')}
          </button>
        ))}
      </div>
      {type === 'product' ? (
        <>
          {field('sku', t('card.sku'))}
          {field('title', t('card.title'))}
          {field('price', t('card.price'), { inputMode: 'decimal', placeholder: '19.90' })}
          {field('currency', t('card.currency'))}
          {field('url', t('card.url'), { type: 'url' })}
        </>
      ) : (
        <>
          {field('order_no', t('card.orderNo'))}
          <label className="field">
            <span>{t('card.status')}</span>
            <select data-testid="card-status" value={f.status} onChange={set('status')}>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`card.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          {field('eta', t('card.etaField'), { type: 'date' })}
        </>
      )}
      <div className="card-picker-bar">
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose}>
          {t('card.cancel')}
        </button>
        <button
          type="submit"
          className="btn btn-primary btn-small"
          data-testid="card-submit"
          disabled={!ok}
        >
          {t('card.submit')}
        </button>
      </div>
    </form>
  );
}
