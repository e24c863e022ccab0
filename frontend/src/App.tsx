import { Alerts } from './features/alerts/Alerts';
import { ManagedI18nProvider } from './features/policy/ManagedI18n';
import { PolicyNotice } from './features/policy/PolicyNotice';
import { PolicyProvider } from './features/policy/PolicyProvider';
import { SignIn } from './features/signin/SignIn';
import { Workspace } from './features/workspace/Workspace';
import { useI18n, type Lang } from './i18n';
import { StoreProvider, useAppState } from './state/store';
import { ThemeProvider } from './theme/theme';

/** The whole UI: managed policy, language, theme and store around the current screen. */
export function App({ lang }: { lang?: Lang }) {
  return (
    <PolicyProvider>
      <ManagedI18nProvider lang={lang}>
        <ThemeProvider>
          <StoreProvider>
            <Alerts />
            <Screen />
            <PolicyNotice />
          </StoreProvider>
        </ThemeProvider>
      </ManagedI18nProvider>
    </PolicyProvider>
  );
}

function Screen() {
  const { t } = useI18n();
  const { boot, session } = useAppState();
  if (boot.status === 'loading') {
    return (
      <div className="splash" role="status">
        <span className="brand-mark" aria-hidden="true" />
        {t('app.loading')}
      </div>
    );
  }
  if (boot.status === 'failed' && !session) {
    // Without a boot state the sign-in form still works; say what went wrong.
    return (
      <>
        <div className="banner banner-error boot-error" role="alert">
          {t('app.bootFailed', { message: boot.message || boot.code })}
        </div>
        <SignIn />
      </>
    );
  }
  return session ? <Workspace /> : <SignIn />;
}
