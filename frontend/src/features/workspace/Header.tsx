import { Info } from 'lucide-react';
import { useState } from 'react';
import type { ApiError } from '../../api';
import { AGENT_STATUSES, type AgentStatus } from '../../api/types';
import { LangSwitch } from '../../components/LangSwitch';
import { useI18n } from '../../i18n';
import { isSupervisor, selectAssists } from '../../state/selectors';
import { useActions, useAppState } from '../../state/store';
import { ThemeSwitch } from '../../theme/ThemeSwitch';
import { AboutDialog } from '../about/About';
import { SearchIcon } from '../search/SearchIcon';
import { runCommand } from '../shortcuts/commands';

/** The top bar: product, signed-in agent, connection state, language, theme, shortcuts, sign out. */
export function Header() {
  const { t, tMaybe } = useI18n();
  const { session, conn } = useAppState();
  const { signOut } = useActions();
  const user = session?.user;
  const [aboutOpen, setAboutOpen] = useState(false);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-tagline">{t('app.tagline')}</span>
      </div>
      {isSupervisor(user) && <ViewSwitch />}
      <div className="header-right">
        <span
          className={`conn-pill conn-${conn.state}`}
          data-testid="conn-state"
          data-state={conn.state}
          title={conn.error || undefined}
        >
          <span className="conn-dot" aria-hidden="true" />
          {t(`conn.${conn.state}`)}
          {(conn.pending ?? 0) > 0 && (
            <span className="conn-pending" data-testid="conn-pending">
              {' · '}
              {t('conn.pending', { n: String(conn.pending) })}
            </span>
          )}
        </span>
        {user && <StatusSwitch />}
        {user && (
          <span className="header-user" data-testid="header-user">
            <span className="header-user-name">{user.name || user.id}</span>
            <span className="header-user-role">{tMaybe(`role.${user.role}`, user.role)}</span>
          </span>
        )}
        <button
          type="button"
          className="btn btn-ghost header-icon-btn"
          data-testid="message-search-open"
          title={t('search.open')}
          aria-label={t('search.open')}
          onClick={() => runCommand('searchMessages')}
        >
          <SearchIcon />
        </button>
        <LangSwitch />
        <ThemeSwitch />
        <button
          type="button"
          className="btn btn-ghost header-icon-btn"
          data-testid="shortcuts-open"
          title={t('shortcuts.open')}
          aria-label={t('shortcuts.open')}
          onClick={() => runCommand('help')}
        >
          ?
        </button>
        <button
          type="button"
          className="btn btn-ghost header-icon-btn"
          data-testid="about-open"
          title={t('about.open')}
          aria-label={t('about.open')}
          onClick={() => setAboutOpen(true)}
        >
          <Info size={16} aria-hidden="true" />
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          data-testid="sign-out"
          onClick={() => void signOut()}
        >
          {t('header.signOut')}
        </button>
      </div>
      {aboutOpen && <AboutDialog onClose={() => setAboutOpen(false)} />}
    </header>
  );
}

function isAgentStatus(v: string): v is AgentStatus {
  return (AGENT_STATUSES as readonly string[]).includes(v);
}

/**
 * The agent's routing status: online (receives offers), away or offline.
 * Changing it needs the server, so it is disabled while disconnected; the
 * app sets it again by itself after a reconnect.
 */
export function StatusSwitch() {
  const { t, tError } = useI18n();
  const { conn } = useAppState();
  const { setStatus } = useActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const status = conn.status && isAgentStatus(conn.status) ? conn.status : 'online';
  const change = async (next: string) => {
    if (!isAgentStatus(next) || next === status) return;
    setBusy(true);
    setError(null);
    const err = await setStatus(next);
    setBusy(false);
    setError(err);
  };
  return (
    <span className={`status-switch status-switch-${status}`}>
      <span className={`status-dot status-${status}`} aria-hidden="true" />
      <select
        className="status-select"
        data-testid="status-switch"
        data-status={status}
        aria-label={t('status.label')}
        value={status}
        disabled={busy || conn.state !== 'online'}
        title={error ? tError(error) : undefined}
        aria-invalid={error ? true : undefined}
        onChange={(e) => void change(e.target.value)}
      >
        {AGENT_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </select>
    </span>
  );
}

/**
 * A supervisor's switch between the conversations, the floor (Alt+F), the
 * floor's with the number of agents asking for help, the bot report and the
 * canned responses editor.
 */
export function ViewSwitch() {
  const { t } = useI18n();
  const state = useAppState();
  const { setView } = useActions();
  const assists = selectAssists(state).length;
  return (
    <nav className="view-switch" aria-label={t('view.label')}>
      <button
        type="button"
        className={`view-tab${state.view === 'conversations' ? ' view-tab-active' : ''}`}
        data-testid="view-conversations"
        aria-pressed={state.view === 'conversations'}
        onClick={() => setView('conversations')}
      >
        {t('view.conversations')}
      </button>
      <button
        type="button"
        className={`view-tab${state.view === 'floor' ? ' view-tab-active' : ''}`}
        data-testid="view-floor"
        aria-pressed={state.view === 'floor'}
        title="Alt+F"
        onClick={() => setView('floor')}
      >
        {t('view.floor')}
        {assists > 0 && (
          <span
            className="view-badge"
            data-testid="view-floor-assists"
            aria-label={t('view.floorAssists', { n: assists })}
          >
            {assists}
          </span>
        )}
      </button>
      <button
        type="button"
        className={`view-tab${state.view === 'botreport' ? ' view-tab-active' : ''}`}
        data-testid="view-botreport"
        aria-pressed={state.view === 'botreport'}
        onClick={() => setView('botreport')}
      >
        {t('view.botReport')}
      </button>
      <button
        type="button"
        className={`view-tab${state.view === 'canned' ? ' view-tab-active' : ''}`}
        data-testid="view-canned"
        aria-pressed={state.view === 'canned'}
        title={t('view.cannedTitle')}
        onClick={() => setView('canned')}
      >
        {t('view.canned')}
      </button>
    </nav>
  );
}
