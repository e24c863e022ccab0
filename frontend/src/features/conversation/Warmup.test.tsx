import { act, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../i18n';
import { installFakeWails } from '../../test/fakeWails';
import { ConversationWarmup, WARMUP_DELAY_MS, WARMUP_MS } from './Warmup';

function renderWarmup(props: { ready: boolean; open: boolean }) {
  const r = render(
    <I18nProvider lang="en">
      <ConversationWarmup {...props} />
    </I18nProvider>,
  );
  const rerender = (p: { ready: boolean; open: boolean }) =>
    r.rerender(
      <I18nProvider lang="en">
        <ConversationWarmup {...p} />
      </I18nProvider>,
    );
  return { ...r, rerender };
}

async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

describe('ConversationWarmup', () => {
  beforeEach(() => {
    installFakeWails();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws the conversation view once, hidden, after the list has items', async () => {
    const { container, rerender } = renderWarmup({ ready: false, open: false });
    await advance(WARMUP_DELAY_MS * 2);
    expect(container.querySelector('.conv-warmup')).toBeNull();
    rerender({ ready: true, open: false });
    await advance(WARMUP_DELAY_MS);
    const warm = container.querySelector('.conv-warmup');
    expect(warm).not.toBeNull();
    expect(warm).toHaveAttribute('aria-hidden', 'true');
    expect(warm).toHaveAttribute('inert');
    expect(warm!.querySelector('[data-testid="transcript"]')).not.toBeNull();
    expect(warm!.querySelector('[data-testid="composer-input"]')).not.toBeNull();
    await advance(WARMUP_MS);
    expect(container.querySelector('.conv-warmup')).toBeNull();
    await advance(WARMUP_DELAY_MS + WARMUP_MS);
    expect(container.querySelector('.conv-warmup')).toBeNull();
  });

  it('gives way to an open conversation', async () => {
    const { container, rerender } = renderWarmup({ ready: true, open: false });
    await advance(WARMUP_DELAY_MS);
    expect(container.querySelector('.conv-warmup')).not.toBeNull();
    rerender({ ready: true, open: true });
    expect(container.querySelector('.conv-warmup')).toBeNull();
    rerender({ ready: true, open: false });
    await advance(WARMUP_DELAY_MS + WARMUP_MS);
    expect(container.querySelector('.conv-warmup')).toBeNull();
  });

  it('is skipped when a conversation opens first', async () => {
    const { container, rerender } = renderWarmup({ ready: true, open: true });
    rerender({ ready: true, open: false });
    await advance(WARMUP_DELAY_MS + WARMUP_MS);
    expect(container.querySelector('.conv-warmup')).toBeNull();
  });
});
