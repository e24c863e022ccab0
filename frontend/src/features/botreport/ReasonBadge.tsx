import { useI18n } from '../../i18n';

/**
 * Why a question is in the report (unsure, handed over, asked again,
 * unhelpful), with how many of a group's questions when n is given.
 */
export function ReasonBadge({ reason, n }: { reason: string; n?: number }) {
  const { tMaybe } = useI18n();
  const label = tMaybe(`botreport.reason.${reason}`, reason);
  return (
    <span
      className={`badge reason-badge reason-${reason}`}
      data-testid="reason-badge"
      data-reason={reason}
    >
      {n !== undefined ? `${label} ×${n}` : label}
    </span>
  );
}
