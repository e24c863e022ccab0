// The desktop alerts, mounted once in App: the offer alarm and the message
// sound, the view report that lets the Go side decide which messages need a
// notification, the window-size report, and opening a clicked notification's
// conversation. Notifications, the badge and the window's attention requests
// are the Go side's (app/notify.go); this renders nothing.

import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import * as desktop from '../../api/desktop';
import { useI18n } from '../../i18n';
import { isSupervisor, selectAssists, selectOffers } from '../../state/selectors';
import { useActions, useAppState } from '../../state/store';
import { OfferAlarm, type OfferItem } from './offerAlarm';
import { playSound } from './sound';

/** How long the window must stay still before its size is saved. */
export const RESIZE_SAVE_MS = 800;

/** Plays the alert sounds and reports the view; renders nothing. */
export function Alerts(): null {
  const state = useAppState();
  const { select } = useActions();
  const { lang } = useI18n();

  const offset = state.conn.clock_offset_ms ?? 0;
  const offsetRef = useRef(offset);
  useLayoutEffect(() => {
    offsetRef.current = offset;
  }, [offset]);

  const alarm = useRef<OfferAlarm | null>(null);
  useEffect(() => {
    const a = new OfferAlarm({
      play: () => playSound('offer'),
      serverNow: () => Date.now() + offsetRef.current,
    });
    alarm.current = a;
    return () => {
      a.stop();
      alarm.current = null;
    };
  }, []);

  // The offers as a stable key, so the alarm hears of changes only.
  const offersKey = selectOffers(state)
    .map((c) => `${c.id}|${c.offer_expires_at ?? 0}`)
    .sort()
    .join(',');
  useEffect(() => {
    const items: OfferItem[] = offersKey
      ? offersKey.split(',').map((s) => {
          const [id = '', exp = '0'] = s.split('|');
          return { id, expiresAt: Number(exp) || undefined };
        })
      : [];
    alarm.current?.update(items);
  }, [offersKey]);

  // A request for help sounds until a supervisor answers it (or the agent
  // lowers it): the same repeating alarm as an offer, with its own sound.
  const assistAlarm = useRef<OfferAlarm | null>(null);
  useEffect(() => {
    const a = new OfferAlarm({ play: () => playSound('assist'), serverNow: () => Date.now() });
    assistAlarm.current = a;
    return () => {
      a.stop();
      assistAlarm.current = null;
    };
  }, []);
  const assistsKey = isSupervisor(state.session?.user)
    ? selectAssists(state)
        .map((a) => a.conversation_id)
        .join(',')
    : '';
  useEffect(() => {
    assistAlarm.current?.update(assistsKey ? assistsKey.split(',').map((id) => ({ id })) : []);
  }, [assistsKey]);

  useEffect(() => desktop.onUnseenMessage(() => playSound('message')), []);
  useEffect(() => desktop.onNotificationOpen((n) => select(n.conversation_id)), [select]);

  const focused = useWindowFocus();
  const selectedId = state.selectedId ?? '';
  const signedIn = state.session !== null;
  useEffect(() => {
    if (signedIn) desktop.setView({ conversation_id: selectedId, focused, lang });
  }, [signedIn, selectedId, focused, lang]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onResize = () => {
      clearTimeout(timer);
      timer = setTimeout(desktop.windowChanged, RESIZE_SAVE_MS);
    };
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      clearTimeout(timer);
    };
  }, []);

  return null;
}

/** Whether the window has the focus, kept current. */
function useWindowFocus(): boolean {
  const [focused, setFocused] = useState(() => document.hasFocus());
  useEffect(() => {
    const update = () => setFocused(document.visibilityState === 'visible' && document.hasFocus());
    const blur = () => setFocused(false);
    window.addEventListener('focus', update);
    window.addEventListener('blur', blur);
    document.addEventListener('visibilitychange', update);
    return () => {
      window.removeEventListener('focus', update);
      window.removeEventListener('blur', blur);
      document.removeEventListener('visibilitychange', update);
    };
  }, []);
  return focused;
}
