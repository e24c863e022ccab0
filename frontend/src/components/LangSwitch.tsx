import { LockBadge } from '../features/policy/LockBadge';
import { LANGS, useI18n, type Lang } from '../i18n';

/** A select that switches the UI language; disabled when the administrator locked it. */
export function LangSwitch() {
  const { lang, langLocked, setLang, t } = useI18n();
  return (
    <span className="lang-switch-wrap">
      <select
        className="lang-switch"
        data-testid="lang-switch"
        aria-label={t('lang.label')}
        title={langLocked ? t('policy.locked') : undefined}
        value={lang}
        disabled={langLocked}
        onChange={(e) => setLang(e.target.value as Lang)}
      >
        {LANGS.map((l) => (
          <option key={l} value={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
      {langLocked && <LockBadge testId="lang-lock" />}
    </span>
  );
}
