import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../api';
import { useServerNow } from '../../hooks/useServerNow';
import { useI18n } from '../../i18n';
import { selectOffers } from '../../state/selectors';
import { useActions, useAppState } from '../../state/store';
import { OfferBanner } from './OfferBanner';

type Busy = 'idle' | 'accepting' | 'declining';

/**
 * Every offer to the agent, above every view (whatever tab, conversation or
 * the floor is on screen), with Accept and Decline and the countdown: an
 * offer must not expire unseen. Accepting opens the conversation. The
 * sound, the notification and the taskbar's attention go with it
 * (features/alerts, app/notify.go).
 */
export function GlobalOffers() {
  const { t } = useI18n();
  const state = useAppState();
  const offers = selectOffers(state).sort(
    (a, b) => (a.offer_expires_at ?? 0) - (b.offer_expires_at ?? 0) || a.id.localeCompare(b.id),
  );
  if (offers.length === 0) return null;
  return (
    <section className="global-offers" aria-label={t('offers.label')} data-testid="global-offers">
      {offers.map((c) => (
        <GlobalOffer key={c.id} id={c.id} />
      ))}
    </section>
  );
}

function GlobalOffer({ id }: { id: string }) {
  const state = useAppState();
  const actions = useActions();
  const serverNow = useServerNow(1000);
  const [busy, setBusy] = useState<Busy>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  const { tError } = useI18n();
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  const conv = state.conversations[id];
  if (!conv) return null;
  const open = () => {
    actions.setView('conversations');
    actions.select(id);
  };
  const run = async (kind: Busy, call: () => Promise<ApiError | null>) => {
    setBusy(kind);
    setError(null);
    const err = await call();
    if (!live.current) return;
    setBusy('idle');
    setError(err);
  };
  return (
    <>
      <OfferBanner
        conv={conv}
        serverNow={serverNow}
        busy={busy}
        onOpen={open}
        onAccept={() => {
          // The accepted conversation opens at once; the banner goes with the offer.
          open();
          void run('accepting', () => actions.accept(id));
        }}
        onDecline={() => void run('declining', () => actions.decline(id))}
      />
      {error && (
        <div className="banner banner-error" role="alert" data-testid="offer-error">
          {tError(error)}
        </div>
      )}
    </>
  );
}
