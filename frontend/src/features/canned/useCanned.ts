import { useCallback, useEffect, useMemo, useState } from 'react';
import { cannedList, onCannedChanged, onConnState, toApiError, type ApiError } from '../../api';
import { cannedResponses, type CannedResponse as PersonalCanned } from '../../api/files';
import type { CannedChange, SharedCanned } from '../../api/types';
import { applyCannedChange, mergeCanned, type CannedItem } from './model';

/** The shared canned responses as loaded: the list stays current with the pushes. */
export type SharedState =
  | { status: 'loading'; list: SharedCanned[] }
  | { status: 'ready'; list: SharedCanned[] }
  | { status: 'failed'; list: SharedCanned[]; error: ApiError };

/**
 * Loads the shared canned responses on mount, and again each time the
 * connection comes back online (the pushes sent meanwhile were lost with
 * it), and applies every canned:changed push to them. The pushes that
 * arrive while a list is on its way are applied to it when it comes,
 * unless it already holds a newer version of the response.
 */
export function useSharedCanned(): SharedState & { apply(c: CannedChange): void } {
  const [state, setState] = useState<SharedState>({ status: 'loading', list: [] });
  useEffect(() => {
    let live = true;
    let loads = 0;
    let early: CannedChange[] = [];
    const load = () => {
      const n = ++loads;
      early = [];
      cannedList().then(
        (list) => {
          // Only the newest load lands.
          if (!live || n !== loads) return;
          const fresh = early.reduce((l, c) => {
            const had = l.find((r) => r.id === c.response.id);
            return had && had.updated_at > c.response.updated_at ? l : applyCannedChange(l, c);
          }, list);
          setState({ status: 'ready', list: fresh });
        },
        (err: unknown) => {
          if (!live || n !== loads) return;
          setState((s) => ({ status: 'failed', list: s.list, error: toApiError(err) }));
        },
      );
    };
    const offChange = onCannedChanged((c) => {
      early.push(c);
      setState((s) => ({ ...s, list: applyCannedChange(s.list, c) }));
    });
    let online: boolean | null = null;
    const offConn = onConnState((cs) => {
      const now = cs.state === 'online';
      if (now && online === false) load();
      online = now;
    });
    load();
    return () => {
      live = false;
      offChange();
      offConn();
    };
  }, []);
  // An edit's answer, applied at once; its push, arriving too, changes nothing more.
  const apply = useCallback(
    (c: CannedChange) => setState((s) => ({ ...s, list: applyCannedChange(s.list, c) })),
    [],
  );
  return { ...state, apply };
}

/** Loads the agent's personal canned responses once per mount. */
function usePersonalCanned(): PersonalCanned[] {
  const [list, setList] = useState<PersonalCanned[]>([]);
  useEffect(() => {
    let live = true;
    cannedResponses().then(
      (l) => live && setList(l),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return list;
}

/** The "/" menu's items: the shared responses, kept current, then the personal ones. */
export function useCanned(): CannedItem[] {
  const shared = useSharedCanned().list;
  const personal = usePersonalCanned();
  return useMemo(() => mergeCanned(shared, personal), [shared, personal]);
}
