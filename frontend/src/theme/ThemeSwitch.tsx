import { useI18n } from '../i18n';
import { THEME_PREFS, useTheme, type ThemePref } from './theme';

/** A select that picks the theme: follow the OS, light or dark. */
export function ThemeSwitch() {
  const { t } = useI18n();
  const { pref, theme, setPref } = useTheme();
  return (
    <select
      className="lang-switch theme-switch"
      data-testid="theme-switch"
      data-theme={theme}
      aria-label={t('theme.label')}
      value={pref}
      onChange={(e) => setPref(e.target.value as ThemePref)}
    >
      {THEME_PREFS.map((p) => (
        <option key={p} value={p}>
          {t(`theme.${p}`)}
        </option>
      ))}
    </select>
  );
}
