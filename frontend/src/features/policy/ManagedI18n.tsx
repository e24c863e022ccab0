import type { ReactNode } from 'react';
import { I18nProvider, type Lang } from '../../i18n';
import { usePolicy } from './PolicyProvider';

/**
 * The UI language under the managed policy: an enforced Language locks the
 * switch to it; a recommended one is the language until the agent picks.
 */
export function ManagedI18nProvider({ children, lang }: { children: ReactNode; lang?: Lang }) {
  const { Language } = usePolicy();
  const managed = Language.source
    ? { language: Language.value, locked: Language.locked }
    : undefined;
  return (
    <I18nProvider lang={lang} managed={managed}>
      {children}
    </I18nProvider>
  );
}
