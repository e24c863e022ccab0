import { useI18n } from '../../i18n';
import { useActions, useAppState } from '../../state/store';
import { useNoticeText } from './AgentSide';

/**
 * Notices above every view: conversations a supervisor took from me (the
 * conversation may have left my lists, so it is said here), and the away
 * the server set after I missed offers.
 */
export function Notices() {
  const { t } = useI18n();
  const state = useAppState();
  const { dismissNotice, select, setView, setStatus } = useActions();
  const text = useNoticeText();
  const notices = Object.values(state.sup.notices).filter(
    (n) => n.conversationId !== state.selectedId || state.view !== 'conversations',
  );
  if (notices.length === 0 && !state.sup.autoAway) return null;
  return (
    <div className="global-notices" data-testid="global-notices">
      {state.sup.autoAway && (
        <div className="banner banner-auto-away" role="alert" data-testid="auto-away-notice">
          <span className="banner-text">{t('notice.autoAway')}</span>
          <button
            type="button"
            className="btn btn-primary btn-small"
            data-testid="btn-go-online"
            disabled={state.conn.state !== 'online'}
            onClick={() => void setStatus('online')}
          >
            {t('notice.goOnline')}
          </button>
        </div>
      )}
      {notices.map((n) => (
        <div
          key={n.conversationId}
          className="banner banner-taken"
          role="status"
          data-testid="global-taken-notice"
          data-conversation-id={n.conversationId}
        >
          <button
            type="button"
            className="banner-link"
            onClick={() => {
              setView('conversations');
              select(n.conversationId);
            }}
          >
            {n.customer ? t('notice.of', { customer: n.customer, text: text(n) }) : text(n)}
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => dismissNotice(n.conversationId)}
          >
            {t('notice.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
