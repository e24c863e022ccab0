import { LangSwitch } from '../../components/LangSwitch';
import { useI18n } from '../../i18n';
import { useActions, useAppState } from '../../state/store';

/** The top bar: product, signed-in agent, connection state, language, sign out. */
export function Header() {
  const { t, tMaybe } = useI18n();
  const { session, conn } = useAppState();
  const { signOut } = useActions();
  const user = session?.user;
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-tagline">{t('app.tagline')}</span>
      </div>
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
        {user && (
          <span className="header-user" data-testid="header-user">
            <span className="header-user-name">{user.name || user.id}</span>
            <span className="header-user-role">{tMaybe(`role.${user.role}`, user.role)}</span>
          </span>
        )}
        <LangSwitch />
        <button
          type="button"
          className="btn btn-ghost"
          data-testid="sign-out"
          onClick={() => void signOut()}
        >
          {t('header.signOut')}
        </button>
      </div>
    </header>
  );
}
