import { Lock } from 'lucide-react';
import { useI18n } from '../../i18n';

/** The lock shown beside a control the administrator set. */
export function LockBadge({ testId }: { testId?: string }) {
  const { t } = useI18n();
  const label = t('policy.locked');
  return (
    <span className="lock-badge" title={label} aria-label={label} role="img" data-testid={testId}>
      <Lock size={12} aria-hidden="true" />
    </span>
  );
}
