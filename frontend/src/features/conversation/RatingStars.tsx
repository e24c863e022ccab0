import { useI18n } from '../../i18n';

/** The customer's rating as five stars and their comment; nothing when unrated. */
export function RatingStars({
  rating,
  comment,
  testId = 'conv-rating',
}: {
  rating: number | undefined;
  comment?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const score = Math.max(0, Math.min(5, Math.round(rating ?? 0)));
  if (score === 0) return null;
  const label = t('conv.rating', { score });
  return (
    <span className="rating" data-testid={testId} data-score={score} title={label}>
      <span className="rating-stars" role="img" aria-label={label}>
        {'★'.repeat(score)}
        <span className="rating-stars-off">{'☆'.repeat(5 - score)}</span>
      </span>
      {comment && <span className="rating-comment">“{comment}”</span>}
    </span>
  );
}
