import { useState } from 'react';
import type { HandoffPacket } from '../../api/types';
import { handoffReasonText, useI18n } from '../../i18n';

/** The collected facts, in the order they are shown. */
const COLLECTED_ORDER = ['order_no', 'email', 'phone'];

/** Orders the collected facts: the known ones first, then the rest by name. */
export function orderedCollected(c: Record<string, string> | undefined): [string, string][] {
  const rank = (k: string) => {
    const i = COLLECTED_ORDER.indexOf(k);
    return i < 0 ? COLLECTED_ORDER.length : i;
  };
  return Object.entries(c ?? {})
    .filter(([, v]) => v !== '')
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The bot's confidence (0–1) as a whole percentage. */
export function confidencePercent(confidence: number): number {
  if (!Number.isFinite(confidence)) return 0;
  return Math.round(Math.max(0, Math.min(1, confidence)) * 100);
}

/**
 * The intent's label in the UI language ("zh-CN" reads "zh"), else in the
 * other language; '' when the packet has none.
 */
export function intentLabel(label: Record<string, string> | undefined, lang: string): string {
  if (!label) return '';
  const mine = lang.startsWith('zh') ? 'zh' : 'en';
  return label[mine] || label[mine === 'zh' ? 'en' : 'zh'] || '';
}

/**
 * What the bot handed over, pinned above the transcript: why (the trigger,
 * translated, and the reason in the bot's words), what the customer wanted
 * (intent and the bot's confidence), the facts it collected and its summary,
 * so the agent never has to ask the customer again. It shares the column with
 * the transcript without taking its room (a long packet scrolls inside), and
 * folds to its heading line.
 */
export function HandoffPacketView({ packet }: { packet: HandoffPacket }) {
  const { t, tMaybe, lang } = useI18n();
  const [open, setOpen] = useState(true);
  const collected = orderedCollected(packet.collected);
  const trigger = tMaybe(`trigger.${packet.trigger}`, packet.trigger || t('trigger.other'));
  return (
    <section
      className={`packet${open ? '' : ' packet-folded'}`}
      data-testid="handoff-packet"
      data-open={open}
      aria-label={t('packet.title')}
    >
      <div className="packet-head">
        <span className="packet-title">{t('packet.title')}</span>
        <span
          className="chip chip-trigger"
          data-testid="packet-trigger"
          data-trigger={packet.trigger}
        >
          {trigger}
        </span>
        {packet.reason &&
          packet.reason !== packet.trigger &&
          handoffReasonText(packet.reason, tMaybe) !== trigger && (
            <span className="packet-reason" data-testid="packet-reason">
              {handoffReasonText(packet.reason, tMaybe)}
            </span>
          )}
        <button
          type="button"
          className="btn btn-ghost btn-small packet-toggle"
          data-testid="packet-toggle"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t('packet.fold') : t('packet.unfold')}
        </button>
      </div>
      {open && (
        <dl className="packet-grid">
          {packet.intent && (
            <div className="packet-field" data-testid="packet-intent">
              <dt>{t('packet.intent')}</dt>
              <dd>
                {intentLabel(packet.intent_label, lang) ? (
                  <>
                    <span className="packet-intent" data-testid="packet-intent-label">
                      {intentLabel(packet.intent_label, lang)}
                    </span>
                    <span className="packet-intent-id">{packet.intent}</span>
                  </>
                ) : (
                  <span className="packet-intent">{packet.intent}</span>
                )}
                <span className="packet-confidence" data-testid="packet-confidence">
                  {t('packet.confidence')} {confidencePercent(packet.confidence)}%
                </span>
              </dd>
            </div>
          )}
          {!packet.intent && packet.confidence > 0 && (
            <div className="packet-field">
              <dt>{t('packet.confidence')}</dt>
              <dd data-testid="packet-confidence">{confidencePercent(packet.confidence)}%</dd>
            </div>
          )}
          {collected.length > 0 && (
            <div className="packet-field" data-testid="packet-collected">
              <dt>{t('packet.collected')}</dt>
              <dd>
                {collected.map(([k, v]) => (
                  <span key={k} className="packet-fact" data-key={k}>
                    <span className="packet-fact-label">{tMaybe(`ext.${k}`, k)}</span>{' '}
                    <span className="packet-fact-value">{v}</span>
                  </span>
                ))}
              </dd>
            </div>
          )}
          {packet.previous_agent_name && (
            <div className="packet-field" data-testid="packet-previous-agent">
              <dt>{t('packet.previousAgent')}</dt>
              <dd>{packet.previous_agent_name}</dd>
            </div>
          )}
          {packet.summary && (
            <div className="packet-field packet-field-wide" data-testid="packet-summary">
              <dt>{t('packet.summary')}</dt>
              <dd>
                {packet.summary}
                {packet.customer_messages > 0 && (
                  <span className="packet-counts" data-testid="packet-counts">
                    {' '}
                    {t('packet.counts', {
                      messages: String(packet.customer_messages),
                      answered: String(packet.bot_answered),
                      unsure: String(packet.bot_unsure),
                    })}
                  </span>
                )}
              </dd>
            </div>
          )}
        </dl>
      )}
    </section>
  );
}
