// The managed policy as React state: read once at start (a policy change
// applies at the next start), nothing locked until it has arrived.

import { createContext, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { NO_POLICY, policy as readPolicy, type PolicyState } from '../../api/policy';

const PolicyContext = createContext<PolicyState>(NO_POLICY);

/** Reads the managed policy and provides it; `value` fixes it (tests). */
export function PolicyProvider({ children, value }: { children: ReactNode; value?: PolicyState }) {
  const [state, setState] = useState<PolicyState>(value ?? NO_POLICY);

  useEffect(() => {
    if (value) return;
    let live = true;
    readPolicy().then(
      (p) => live && setState(p),
      (err: unknown) => console.warn('reading the managed policy failed', err),
    );
    return () => {
      live = false;
    };
  }, [value]);

  return <PolicyContext.Provider value={value ?? state}>{children}</PolicyContext.Provider>;
}

/** Returns the managed policy (nothing locked outside a {@link PolicyProvider}). */
export function usePolicy(): PolicyState {
  return useContext(PolicyContext);
}
