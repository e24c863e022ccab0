import { Eye, LifeBuoy } from 'lucide-react';
import { useState } from 'react';
import type { ApiError } from '../../api';
import type { Conversation } from '../../api/types';
import { useI18n } from '../../i18n';
import { useActions, useAppState } from '../../state/store';
import { monitorsOf, type Notice } from '../../state/supervision';
import { WhisperComposer } from './WhisperComposer';

/** "Monitored by Sam": shown to the agent while supervisors monitor their conversation. */
export function MonitoredBadge({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const state = useAppState();
  const others = monitorsOf(state.sup, conversationId, state.session?.user.id);
  if (others.length === 0) return null;
  const names = others.map((m) => m.name || m.id || '').join(', ');
  return (
    <span className="chip chip-monitored" data-testid="monitored-by" role="status">
      <Eye size={12} aria-hidden="true" />
      {t('monitor.by', { names })}
    </span>
  );
}

/**
 * The agent's Assist me toggle: raises a request for a supervisor's help
 * with the conversation (it shows as raised until answered or lowered).
 */
export function AssistButton({
  conv,
  onError,
}: {
  conv: Conversation;
  onError(err: ApiError | null): void;
}) {
  const { t } = useI18n();
  const { assist } = useActions();
  const online = useAppState().conn.state === 'online';
  const [busy, setBusy] = useState(false);
  const raised = Boolean(conv.assist_at);
  const toggle = async () => {
    setBusy(true);
    const err = await assist(conv.id, !raised);
    setBusy(false);
    onError(err);
  };
  return (
    <button
      type="button"
      className={`btn btn-small ${raised ? 'btn-assist-raised' : 'btn-ghost'}`}
      data-testid="btn-assist"
      aria-pressed={raised}
      title={raised ? t('assist.lowerHint') : t('assist.raiseHint')}
      disabled={busy || !online}
      onClick={() => void toggle()}
    >
      <LifeBuoy size={14} aria-hidden="true" />
      <span>{raised ? t('assist.raised') : t('assist.me')}</span>
    </button>
  );
}

/** The words of a notice: who took the conversation, and how. */
export function useNoticeText(): (n: Notice) => string {
  const { t } = useI18n();
  return (n) => t(`notice.${n.kind}`, { name: n.name || '?' });
}

/** The notice in the conversation itself that a supervisor took it from me. */
export function TakenNotice({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const state = useAppState();
  const { dismissNotice } = useActions();
  const text = useNoticeText();
  const n = state.sup.notices[conversationId];
  if (!n) return null;
  return (
    <div
      className="banner banner-taken"
      role="status"
      data-testid="taken-notice"
      data-kind={n.kind}
    >
      <span className="banner-text">{text(n)}</span>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        onClick={() => dismissNotice(conversationId)}
      >
        {t('notice.dismiss')}
      </button>
    </div>
  );
}

/**
 * The agent's answer to their monitors: a whisper box, folded until asked
 * for, shown while supervisors monitor the conversation.
 */
export function AgentWhisper({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const state = useAppState();
  const { sendWhisper } = useActions();
  const [open, setOpen] = useState(false);
  const others = monitorsOf(state.sup, conversationId, state.session?.user.id);
  if (others.length === 0) return null;
  const names = others.map((m) => m.name || m.id || '').join(', ');
  return (
    <div className="agent-whisper">
      <button
        type="button"
        className="btn btn-ghost btn-small agent-whisper-toggle"
        data-testid="agent-whisper-toggle"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {t('whisper.to', { names })}
      </button>
      {open && (
        <WhisperComposer
          agentName={names}
          disabled={state.conn.state !== 'online'}
          onSend={(text, id) => sendWhisper(conversationId, text, id)}
        />
      )}
    </div>
  );
}
