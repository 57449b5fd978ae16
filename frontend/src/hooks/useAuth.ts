import { useEffect, useSyncExternalStore } from "react";
import type { AuthSession, AuthState } from "../auth/session";

/** The sign-in as React sees it; reads the config (and finishes a sign-in) on mount. */
export function useAuth(auth: AuthSession): AuthState {
  useEffect(() => {
    void auth.start();
  }, [auth]);
  return useSyncExternalStore(auth.subscribe, auth.getSnapshot);
}
