import type { AuthState } from "../auth/session";

interface Props {
  auth: AuthState;
  onSignOut: () => void;
}

/** Who is signed in, and the way out; nothing when this server has no sign-in. */
export function Account({ auth, onSignOut }: Props) {
  if (!auth.signedIn) return null;
  return (
    <div className="account" data-testid="account">
      <span className="account-name">
        {auth.mode === "oidc" ? (auth.email ?? "Signed in") : "Access token set"}
      </span>
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </div>
  );
}
