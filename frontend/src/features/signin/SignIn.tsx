import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { LangSwitch } from '../../components/LangSwitch';
import { useI18n } from '../../i18n';
import { LockBadge } from '../policy/LockBadge';
import { usePolicy } from '../policy/PolicyProvider';
import { useActions, useAppState } from '../../state/store';

type Form = { status: 'idle' } | { status: 'submitting' } | { status: 'failed'; error: string };

/** The sign-in screen: server address, username and password. */
export function SignIn() {
  const { t, tError, tMaybe } = useI18n();
  const { defaultServerUrl, defaultUsername, endedReason } = useAppState();
  const { signIn } = useActions();
  const { ServerURL } = usePolicy();
  const [typed, setServer] = useState(defaultServerUrl);
  // A server the administrator locked is the only one signed in to.
  const serverLocked = ServerURL.locked && ServerURL.value !== '';
  const server = serverLocked ? ServerURL.value : typed;
  const [username, setUsername] = useState(defaultUsername);
  const [password, setPassword] = useState('');
  const [form, setForm] = useState<Form>({ status: 'idle' });
  const ids = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (form.status === 'submitting') return;
    if (!server.trim() || !username.trim() || !password) {
      setForm({ status: 'failed', error: t('signin.required') });
      return;
    }
    setForm({ status: 'submitting' });
    const err = await signIn(server.trim(), username.trim(), password);
    // On success the screen unmounts; only a failure needs local state.
    if (err) setForm({ status: 'failed', error: tError(err) });
  };

  const submitting = form.status === 'submitting';
  return (
    <div className="signin-screen">
      <div className="signin-topbar">
        <LangSwitch />
      </div>
      <form className="signin-card" onSubmit={submit} noValidate>
        <div className="signin-brand">
          <span className="brand-mark" aria-hidden="true" />
          <div>
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-tagline">{t('app.tagline')}</div>
          </div>
        </div>
        <h1 className="signin-title">{t('signin.title')}</h1>
        <p className="signin-subtitle">{t('signin.subtitle')}</p>
        {endedReason && form.status !== 'failed' && (
          <p className="notice" role="status">
            {t('signin.ended', { reason: tMaybe(`error.${endedReason}`, endedReason) })}
          </p>
        )}
        <label className="field" htmlFor={`${ids}-server`}>
          <span className="field-label">
            {t('signin.server')}
            {serverLocked && <LockBadge testId="signin-server-lock" />}
          </span>
          <input
            id={`${ids}-server`}
            data-testid="signin-server"
            type="url"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            placeholder={t('signin.serverHint')}
            value={server}
            onChange={(e) => setServer(e.target.value)}
            disabled={submitting || serverLocked}
            readOnly={serverLocked}
            title={serverLocked ? t('policy.locked') : undefined}
          />
        </label>
        <label className="field" htmlFor={`${ids}-user`}>
          <span className="field-label">{t('signin.username')}</span>
          <input
            id={`${ids}-user`}
            data-testid="signin-username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus={!defaultUsername}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            disabled={submitting}
          />
        </label>
        <label className="field" htmlFor={`${ids}-pass`}>
          <span className="field-label">{t('signin.password')}</span>
          <input
            id={`${ids}-pass`}
            data-testid="signin-password"
            type="password"
            autoComplete="current-password"
            autoFocus={Boolean(defaultUsername)}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            disabled={submitting}
          />
        </label>
        {form.status === 'failed' && (
          <p className="form-error" role="alert" data-testid="signin-error">
            {form.error}
          </p>
        )}
        <button
          className="btn btn-primary btn-block"
          type="submit"
          data-testid="signin-submit"
          disabled={submitting}
        >
          {submitting ? t('signin.submitting') : t('signin.submit')}
        </button>
      </form>
    </div>
  );
}
