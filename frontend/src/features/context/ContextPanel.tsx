import type { ReactNode } from 'react';
import type { Conversation } from '../../api/types';
import { LinkifiedText } from '../../components/LinkifiedText';
import { StateBadge } from '../../components/StateBadge';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { selectSelected } from '../../state/selectors';
import { useAppState } from '../../state/store';

/** Business fields with a translated label, in the order they are shown. */
export const KNOWN_EXT_KEYS = [
  'source',
  'order_no',
  'user_id',
  'ticket_no',
  'vip',
  'email',
  'phone',
  'product',
  'sku',
  'referrer',
  'locale',
] as const;

const rank = new Map<string, number>(KNOWN_EXT_KEYS.map((k, i) => [k, i]));

/** Identifiers read better in a monospace font. */
const MONO: ReadonlySet<string> = new Set(['order_no', 'user_id', 'ticket_no', 'sku']);

/** Orders ext entries: known keys first in their order, then the rest by name. */
export function orderedExt(ext: Record<string, string> | undefined): [string, string][] {
  return Object.entries(ext ?? {}).sort(([a], [b]) => {
    const ra = rank.get(a) ?? Infinity;
    const rb = rank.get(b) ?? Infinity;
    return ra !== rb ? ra - rb : a.localeCompare(b);
  });
}

/** The right column: who the customer is and what the page told us. */
export function ContextPanel() {
  const state = useAppState();
  const conv = selectSelected(state);
  return (
    <aside className="context-panel" data-testid="context-panel">
      {conv ? <ContextDetails conv={conv} /> : <EmptyContext />}
    </aside>
  );
}

function EmptyContext() {
  const { t } = useI18n();
  return <div className="context-empty">{t('ctx.empty')}</div>;
}

/** The context of one conversation. */
export function ContextDetails({ conv }: { conv: Conversation }) {
  const { t, tMaybe, lang } = useI18n();
  const ext = orderedExt(conv.ext);
  const none = t('ctx.none');
  return (
    <>
      <section className="ctx-section">
        <h3 className="ctx-heading">{t('ctx.title')}</h3>
        <dl className="ctx-list">
          <Field k="customer_name" label={t('ctx.customer_name')}>
            {conv.customer_name || none}
          </Field>
          <Field k="customer_id" label={t('ctx.customer_id')} mono>
            {conv.customer_id || none}
          </Field>
        </dl>
      </section>
      <section className="ctx-section">
        <h3 className="ctx-heading">{t('ctx.conversation')}</h3>
        <dl className="ctx-list">
          <Field k="channel" label={t('ctx.channel')}>
            {conv.channel ? tMaybe(`channel.${conv.channel}`, conv.channel) : none}
          </Field>
          <Field k="state" label={t('ctx.state')}>
            <StateBadge state={conv.state} />
          </Field>
          <Field k="team" label={t('ctx.team')}>
            {conv.team ? tMaybe(`team.${conv.team}`, conv.team) : none}
          </Field>
          <Field k="assignee" label={t('ctx.assignee')}>
            {conv.assignee_name || conv.assignee_id || none}
          </Field>
          <Field k="handoff_reason" label={t('ctx.handoff_reason')}>
            {conv.handoff_reason || none}
          </Field>
          <Field k="created_at" label={t('ctx.created_at')}>
            {formatDateTime(conv.created_at, lang) || none}
          </Field>
        </dl>
      </section>
      <section className="ctx-section">
        <h3 className="ctx-heading">{t('ctx.business')}</h3>
        {ext.length === 0 ? (
          <p className="ctx-none">{t('ctx.noExt')}</p>
        ) : (
          <dl className="ctx-list">
            {ext.map(([k, v]) => (
              <Field key={k} k={k} group="ext" label={tMaybe(`ext.${k}`, k)} mono={MONO.has(k)}>
                <LinkifiedText text={v} />
              </Field>
            ))}
          </dl>
        )}
      </section>
    </>
  );
}

interface FieldProps {
  k: string;
  label: string;
  group?: 'conversation' | 'ext';
  mono?: boolean;
  children: ReactNode;
}

function Field({ k, label, group = 'conversation', mono, children }: FieldProps) {
  return (
    <div className="ctx-field" data-testid="ctx-field" data-key={k} data-group={group}>
      <dt className="ctx-label">{label}</dt>
      <dd className={`ctx-value${mono ? ' ctx-mono' : ''}`}>{children}</dd>
    </div>
  );
}
