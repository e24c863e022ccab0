import { LifeBuoy } from 'lucide-react';
import type { AssistPush } from '../../api/types';
import { useI18n } from '../../i18n';
import { isSupervisor, selectAssists } from '../../state/selectors';
import { useActions, useAppState } from '../../state/store';

/**
 * The open requests for help of the supervisor's teams, above every view:
 * each names the agent and the customer; Answer opens the conversation and
 * monitors it, which answers the request. Their sound repeats until then
 * (features/alerts).
 */
export function AssistAlerts() {
  const { t } = useI18n();
  const state = useAppState();
  const answer = useAnswerAssist();
  if (!isSupervisor(state.session?.user)) return null;
  const assists = selectAssists(state);
  if (assists.length === 0) return null;
  return (
    <section className="assist-alerts" aria-label={t('assist.alerts')} data-testid="assist-alerts">
      {assists.map((a) => (
        <div
          key={a.conversation_id}
          className="banner banner-assist"
          role="alert"
          data-testid="assist-alert"
          data-conversation-id={a.conversation_id}
        >
          <LifeBuoy size={16} aria-hidden="true" />
          <span className="banner-text">
            {t('assist.from', {
              agent: a.agent.name || a.agent.id || '?',
              customer: a.customer_name || a.conversation_id,
            })}
          </span>
          <button
            type="button"
            className="btn btn-primary btn-small"
            data-testid="btn-assist-answer"
            title={t('assist.answerHint')}
            disabled={state.conn.state !== 'online'}
            onClick={() => answer(a)}
          >
            {t('assist.answer')}
          </button>
        </div>
      ))}
    </section>
  );
}

/** Answers a request for help: opens its conversation and starts monitoring it. */
export function useAnswerAssist(): (a: AssistPush) => void {
  const { openFloorConversation, monitor } = useActions();
  return (a) => {
    openFloorConversation(
      {
        id: a.conversation_id,
        customer_name: a.customer_name ?? '',
        state: 'active',
        team: a.team,
        awaiting_ms: 0,
        first_response_ms: 0,
        responded: false,
      },
      { id: a.agent.id ?? '', name: a.agent.name ?? '' },
    );
    void monitor(a.conversation_id, true);
  };
}
