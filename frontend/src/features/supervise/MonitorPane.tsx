import { Eye, EyeOff } from 'lucide-react';
import { useState } from 'react';
import type { ApiError } from '../../api';
import type { Conversation } from '../../api/types';
import { useI18n } from '../../i18n';
import { hasJoined } from '../../state/selectors';
import { useActions, useAppState } from '../../state/store';
import { isMonitoring } from '../../state/supervision';
import { TransferDialog } from '../transfer/TransferDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { WhisperComposer } from './WhisperComposer';

type Confirm = 'join' | 'leave' | 'takeOver' | null;

/**
 * A supervisor's tools on a conversation someone else works: a silent
 * monitor with the agent's live draft, a whisper to the agent, and the
 * visible steps (join, leave, take over, reassign), each confirmed first.
 */
export function MonitorPane({ conv }: { conv: Conversation }) {
  const { t, tError } = useI18n();
  const state = useAppState();
  const actions = useActions();
  const me = state.session?.user.id;
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [reassignOpen, setReassignOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const monitoring = isMonitoring(state.sup, conv.id, me);
  const joined = hasJoined(conv, me);
  const worked = conv.state === 'active' || conv.state === 'waiting_customer';
  const agent = conv.assignee_name || conv.assignee_id || t('monitor.theAgent');
  const draft = state.sup.drafts[conv.id];
  const online = state.conn.state === 'online';

  const toggleMonitor = async () => {
    setBusy(true);
    setError(null);
    const err = await actions.monitor(conv.id, !monitoring);
    setBusy(false);
    setError(err);
  };

  return (
    <section
      className={`monitor-pane${monitoring ? ' monitor-pane-on' : ''}`}
      data-testid="monitor-pane"
      data-monitoring={monitoring}
      aria-label={t('monitor.title')}
    >
      <div className="monitor-head">
        <span className="monitor-title">{t('monitor.title')}</span>
        <span className="monitor-state" data-testid="monitor-state">
          {monitoring ? t('monitor.active') : t('monitor.idle')}
        </span>
        <span className="monitor-actions">
          <button
            type="button"
            className={`btn btn-small ${monitoring ? 'btn-secondary' : 'btn-primary'}`}
            data-testid="btn-monitor"
            aria-pressed={monitoring}
            disabled={busy || !online}
            onClick={() => void toggleMonitor()}
          >
            {monitoring ? (
              <EyeOff size={14} aria-hidden="true" />
            ) : (
              <Eye size={14} aria-hidden="true" />
            )}
            <span>{monitoring ? t('monitor.off') : t('monitor.on')}</span>
          </button>
          {worked && !joined && (
            <button
              type="button"
              className="btn btn-ghost btn-small"
              data-testid="btn-join"
              disabled={!online}
              onClick={() => setConfirm('join')}
            >
              {t('monitor.join')}
            </button>
          )}
          {joined && (
            <button
              type="button"
              className="btn btn-ghost btn-small"
              data-testid="btn-leave"
              disabled={!online}
              onClick={() => setConfirm('leave')}
            >
              {t('monitor.leave')}
            </button>
          )}
          {worked && conv.assignee_id && conv.assignee_id !== me && (
            <button
              type="button"
              className="btn btn-ghost btn-small"
              data-testid="btn-take-over"
              disabled={!online}
              onClick={() => setConfirm('takeOver')}
            >
              {t('monitor.takeOver')}
            </button>
          )}
          <button
            type="button"
            className="btn btn-ghost btn-small"
            data-testid="btn-reassign"
            disabled={!online}
            onClick={() => setReassignOpen(true)}
          >
            {t('monitor.reassign')}
          </button>
        </span>
      </div>
      {error && (
        <div className="monitor-error" role="alert" data-testid="monitor-error">
          {tError(error)}
        </div>
      )}
      {joined && (
        <div className="monitor-joined" data-testid="monitor-joined">
          {t('monitor.joined')}
        </div>
      )}
      {monitoring && worked && (
        <div className="monitor-draft" data-testid="monitor-draft" aria-live="polite">
          {draft && draft.text ? (
            <>
              <span className="monitor-draft-who">
                {t('monitor.typing', { name: draft.sender.name || agent, text: '' })}
              </span>
              <span className="monitor-draft-text" data-testid="monitor-draft-text">
                {draft.text}
              </span>
            </>
          ) : (
            <span className="monitor-draft-idle">{t('monitor.notTyping', { name: agent })}</span>
          )}
        </div>
      )}
      {worked && (
        <WhisperComposer
          agentName={agent}
          disabled={!online}
          onSend={(text, id) => actions.sendWhisper(conv.id, text, id)}
        />
      )}
      {confirm && (
        <ConfirmDialog
          testId={`confirm-${confirm}`}
          title={t(`confirm.${confirm}.title`)}
          body={t(`confirm.${confirm}.body`, { agent })}
          confirmLabel={t(`confirm.${confirm}.ok`)}
          onClose={() => setConfirm(null)}
          onConfirm={() =>
            confirm === 'join'
              ? actions.join(conv.id)
              : confirm === 'leave'
                ? actions.leave(conv.id)
                : actions.takeOver(conv.id)
          }
        />
      )}
      {reassignOpen && (
        <TransferDialog
          mode="reassign"
          conversationId={conv.id}
          me={conv.assignee_id}
          onClose={() => setReassignOpen(false)}
          onTransfer={(target, note) => actions.reassign(conv.id, target, note)}
        />
      )}
    </section>
  );
}
