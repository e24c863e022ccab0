import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../i18n';
import { RatingStars } from './RatingStars';

function renderStars(rating: number | undefined, comment?: string) {
  return render(
    <I18nProvider lang="en">
      <RatingStars rating={rating} comment={comment} />
    </I18nProvider>,
  );
}

describe('RatingStars', () => {
  it.each([
    [1, '★☆☆☆☆'],
    [3, '★★★☆☆'],
    [5, '★★★★★'],
  ])('shows %i as %s', (score, stars) => {
    renderStars(score);
    const r = screen.getByTestId('conv-rating');
    expect(r).toHaveAttribute('data-score', String(score));
    expect(r).toHaveTextContent(stars);
    expect(screen.getByRole('img')).toHaveAccessibleName(`Customer rating: ${score} of 5`);
  });

  it('shows the comment as text', () => {
    renderStars(2, '<b>slow</b>');
    expect(screen.getByTestId('conv-rating')).toHaveTextContent('“<b>slow</b>”');
    expect(screen.getByTestId('conv-rating').querySelector('b')).toBeNull();
  });

  it.each([0, undefined])('shows nothing for %s', (rating) => {
    renderStars(rating, 'ignored');
    expect(screen.queryByTestId('conv-rating')).toBeNull();
  });
});
