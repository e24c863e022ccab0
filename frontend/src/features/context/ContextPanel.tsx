import { useCallback, useMemo, type ReactNode } from 'react';
import type { Conversation, Message, PastConversation } from '../../api/types';
import { LinkifiedText } from '../../components/LinkifiedText';
import { StateBadge } from '../../components/StateBadge';
import { handoffReasonText, useI18n } from '../../i18n';
import { formatDateTime, formatTime } from '../../i18n/format';
import type { ContextStatus } from '../../state/reducer';
import { selectSelected } from '../../state/selectors';
import { useActions, useAppState } from '../../state/store';
import { RatingStars } from '../conversation/RatingStars';
import { mergeMessageExt, type ExtMention } from './messageExt';
import { NotesSection, type AddNote } from './NotesSection';
import { TagsSection, type SetTags } from './TagsSection';

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
  'left_message',
  'contact',
] as const;

const rank = new Map<string, number>(KNOWN_EXT_KEYS.map((k, i) => [k, i]));

/** Identifiers read better in a monospace font. */
const MONO: ReadonlySet<string> = new Set(['order_no', 'user_id', 'ticket_no', 'sku']);

/** Fields whose value is a flag: "true" and "false" are shown as yes and no. */
const FLAGS: ReadonlySet<string> = new Set(['left_message']);

/** Orders ext keys: known keys first in their order, then the rest by name. */
function compareKeys(a: string, b: string): number {
  const ra = rank.get(a) ?? Infinity;
  const rb = rank.get(b) ?? Infinity;
  return ra !== rb ? ra - rb : a.localeCompare(b);
}

/** Orders ext entries: known keys first in their order, then the rest by name. */
export function orderedExt(ext: Record<string, string> | undefined): [string, string][] {
  return Object.entries(ext ?? {}).sort(([a], [b]) => compareKeys(a, b));
}

/** The right column: who the customer is and what the page told us. */
export function ContextPanel() {
  const state = useAppState();
  const { openMessage, setTags, addCustomerNote } = useActions();
  const conv = selectSelected(state);
  const convId = conv?.id;
  const messages = conv ? state.messages[conv.id]?.items : undefined;
  const onJump = useCallback(
    (seq: number) => {
      const m = messages?.find((x) => x.seq === seq);
      if (conv && m) openMessage(conv, m);
    },
    [conv, messages, openMessage],
  );
  const onSetTags = useCallback<SetTags>(
    (add, remove) => setTags(convId ?? '', add, remove),
    [convId, setTags],
  );
  const onAddNote = useCallback<AddNote>(
    (text) => addCustomerNote(convId ?? '', text),
    [convId, addCustomerNote],
  );
  return (
    <aside className="context-panel" data-testid="context-panel">
      {conv ? (
        <ContextDetails
          key={conv.id}
          conv={conv}
          context={state.contexts[conv.id]}
          messages={messages}
          onJump={onJump}
          onSetTags={onSetTags}
          onAddNote={onAddNote}
        />
      ) : (
        <EmptyContext />
      )}
    </aside>
  );
}

function EmptyContext() {
  const { t } = useI18n();
  return <div className="context-empty">{t('ctx.empty')}</div>;
}

/**
 * The context of one conversation: the customer (with their profile once
 * the context has loaded), the conversation's tags, the notes agents keep
 * about the customer, the conversation, every business field (those the
 * server keeps for the customer and this conversation's, then those the
 * loaded messages carried), and the customer's previous conversations.
 * The panel keys it by conversation, so a half-typed tag or note does not
 * follow the agent to another one.
 */
export function ContextDetails({
  conv,
  context,
  messages,
  onJump,
  onSetTags,
  onAddNote,
}: {
  conv: Conversation;
  context?: ContextStatus;
  messages?: readonly Message[];
  /** Scrolls the transcript to the message of seq (a business field's source). */
  onJump?(seq: number): void;
  /** Changes the conversation's tags; without it they are read-only. */
  onSetTags?: SetTags;
  /** Writes a note about the customer; without it the notes are read-only. */
  onAddNote?: AddNote;
}) {
  const { t, tMaybe, tError, lang } = useI18n();
  const data = context?.status === 'loaded' ? context.data : null;
  // Verified fields (vouched for by the site's signed identity token) win
  // over the page's unverified ones of the same key.
  const verified = { ...(data?.verified ?? {}), ...(conv.verified ?? {}) };
  const ext = orderedExt({ ...(data?.ext ?? {}), ...(conv.ext ?? {}), ...verified });
  const signedIn = Object.keys(verified).length > 0;
  const none = t('ctx.none');
  const profile = data?.customer;
  return (
    <>
      <section className="ctx-section">
        <h3 className="ctx-heading">{t('ctx.title')}</h3>
        <dl className="ctx-list">
          <Field
            k="customer_name"
            label={t('ctx.customer_name')}
            mark={signedIn ? <VerifiedMark verified /> : undefined}
          >
            {conv.customer_name || none}
          </Field>
          <Field k="customer_id" label={t('ctx.customer_id')} mono>
            {conv.customer_id || none}
          </Field>
          {profile && profile.created_at > 0 && (
            <Field k="customer_since" label={t('ctx.customer_since')}>
              {formatDateTime(profile.created_at, lang)}
            </Field>
          )}
          {profile && profile.conversations > 0 && (
            <Field k="customer_conversations" label={t('ctx.conversations')}>
              {profile.conversations}
            </Field>
          )}
        </dl>
        {context?.status === 'loading' && <p className="ctx-none">{t('ctx.loading')}</p>}
        {context?.status === 'failed' && (
          <p className="ctx-none" role="status">
            {t('ctx.failed', { reason: tError(context) })}
          </p>
        )}
      </section>
      <TagsSection tags={conv.tags ?? []} onSetTags={onSetTags} />
      {data && <NotesSection notes={data.notes ?? []} onAdd={onAddNote} />}
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
            {conv.handoff_reason ? handoffReasonText(conv.handoff_reason, tMaybe) : none}
          </Field>
          <Field k="created_at" label={t('ctx.created_at')}>
            {formatDateTime(conv.created_at, lang) || none}
          </Field>
          {(conv.rating ?? 0) > 0 && (
            <Field k="rating" label={t('ctx.rating')}>
              <RatingStars rating={conv.rating} comment={conv.rating_comment} testId="ctx-rating" />
            </Field>
          )}
        </dl>
      </section>
      <section className="ctx-section">
        <h3 className="ctx-heading">{t('ctx.business')}</h3>
        {ext.length === 0 ? (
          <p className="ctx-none">{t('ctx.noExt')}</p>
        ) : (
          <dl className="ctx-list">
            {ext.map(([k, v]) => (
              <Field
                key={k}
                k={k}
                group="ext"
                label={tMaybe(`ext.${k}`, k)}
                mono={MONO.has(k)}
                mark={<VerifiedMark verified={k in verified} />}
              >
                <ExtValue k={k} value={v} />
              </Field>
            ))}
          </dl>
        )}
      </section>
      {messages && <MessageExt messages={messages} onJump={onJump} />}
      {data && <PreviousConversations previous={data.previous ?? []} />}
    </>
  );
}

/** A business field's value: links are clickable, flags read as yes or no. */
function ExtValue({ k, value }: { k: string; value: string }) {
  const { t } = useI18n();
  if (FLAGS.has(k) && (value === 'true' || value === 'false')) {
    return <>{t(value === 'true' ? 'ctx.yes' : 'ctx.no')}</>;
  }
  return <LinkifiedText text={value} />;
}

/**
 * The business fields the loaded messages carried, merged: each key's
 * newest value with the time of its message, and below it the values it
 * had before (a customer who gave two order numbers shows both).
 */
function MessageExt({
  messages,
  onJump,
}: {
  messages: readonly Message[];
  onJump?(seq: number): void;
}) {
  const { t, tMaybe } = useI18n();
  const fields = useMemo(
    () => mergeMessageExt(messages).sort((a, b) => compareKeys(a.key, b.key)),
    [messages],
  );
  if (fields.length === 0) return null;
  return (
    <section className="ctx-section" data-testid="ctx-message-ext">
      <h3 className="ctx-heading">{t('ctx.messageExt')}</h3>
      <dl className="ctx-list">
        {fields.map((f) => (
          <Field
            key={f.key}
            k={f.key}
            group="message-ext"
            label={tMaybe(`ext.${f.key}`, f.key)}
            mono={MONO.has(f.key)}
          >
            <MentionLine k={f.key} mention={f} onJump={onJump} />
            {f.earlier.length > 0 && (
              <ul className="ctx-earlier" aria-label={t('ctx.extEarlier')}>
                {f.earlier.map((e) => (
                  <li key={e.value} className="ctx-earlier-item" data-testid="ctx-earlier">
                    <MentionLine k={f.key} mention={e} onJump={onJump} />
                  </li>
                ))}
              </ul>
            )}
          </Field>
        ))}
      </dl>
    </section>
  );
}

/**
 * A value and, muted after it, when the message that gave it was written:
 * with onJump, a button that shows that message in the transcript.
 */
function MentionLine({
  k,
  mention,
  onJump,
}: {
  k: string;
  mention: ExtMention;
  onJump?(seq: number): void;
}) {
  const { t, lang } = useI18n();
  const when = formatTime(mention.at, lang);
  const time = when && (
    <time
      className="ctx-mention-time"
      data-testid="ctx-mention-time"
      dateTime={new Date(mention.at).toISOString()}
      title={t('ctx.extFrom', { time: formatDateTime(mention.at, lang) })}
    >
      {when}
    </time>
  );
  return (
    <span className="ctx-mention">
      <span className="ctx-mention-value">
        <ExtValue k={k} value={mention.value} />
      </span>
      {time && onJump && mention.seq > 0 ? (
        <button
          type="button"
          className="ctx-mention-jump"
          data-testid="ctx-mention-jump"
          aria-label={t('ctx.extShow', { time: formatDateTime(mention.at, lang) })}
          onClick={() => onJump(mention.seq)}
        >
          {time}
        </button>
      ) : (
        time
      )}
    </span>
  );
}

function PreviousConversations({ previous }: { previous: readonly PastConversation[] }) {
  const { t, tMaybe, lang } = useI18n();
  return (
    <section className="ctx-section">
      <h3 className="ctx-heading">{t('ctx.previous')}</h3>
      {previous.length === 0 ? (
        <p className="ctx-none">{t('ctx.noPrevious')}</p>
      ) : (
        <ul className="prev-list">
          {previous.map((p) => (
            <li
              key={p.id}
              className="prev-conv"
              data-testid="previous-conv"
              data-conversation-id={p.id}
              data-state={p.state}
            >
              <div className="prev-row">
                <StateBadge state={p.state} />
                {p.team && <span className="chip">{tMaybe(`team.${p.team}`, p.team)}</span>}
                <time className="prev-time">
                  {formatDateTime(p.updated_at || p.created_at, lang)}
                </time>
              </div>
              {p.assignee_name && (
                <div className="prev-assignee">
                  {t('ctx.previousBy', { name: p.assignee_name })}
                </div>
              )}
              {p.last_text && <div className="prev-text">{p.last_text}</div>}
              {(p.rating ?? 0) > 0 && <RatingStars rating={p.rating} testId="previous-rating" />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * Whether a field is vouched for by the site (its signed identity token) or
 * only passed by the page, which anyone can make say anything.
 */
function VerifiedMark({ verified }: { verified: boolean }) {
  const { t } = useI18n();
  return verified ? (
    <span className="ctx-mark ctx-verified" data-testid="ctx-verified" title={t('ctx.verifiedTitle')}>
      ✓ {t('ctx.verified')}
    </span>
  ) : (
    <span className="ctx-mark ctx-unverified" data-testid="ctx-unverified" title={t('ctx.unverifiedTitle')}>
      {t('ctx.unverified')}
    </span>
  );
}

interface FieldProps {
  k: string;
  label: string;
  group?: 'conversation' | 'ext' | 'message-ext';
  mono?: boolean;
  /** Shown after the label: whether the value is verified. */
  mark?: ReactNode;
  children: ReactNode;
}

function Field({ k, label, group = 'conversation', mono, mark, children }: FieldProps) {
  return (
    <div className="ctx-field" data-testid="ctx-field" data-key={k} data-group={group}>
      <dt className="ctx-label">
        <span className="ctx-label-text">{label}</span>
        {mark}
      </dt>
      <dd className={`ctx-value${mono ? ' ctx-mono' : ''}`}>{children}</dd>
    </div>
  );
}
