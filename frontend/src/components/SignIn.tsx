import { useState, type SyntheticEvent } from "react";
import type { AuthState } from "../auth/session";
import "./SignIn.css";

interface Props {
  auth: AuthState;
  onSignIn: () => void;
  onToken: (token: string) => void;
}

/** In place of the talk button while this server wants a sign-in the page does not have. */
export function SignIn({ auth, onSignIn, onToken }: Props) {
  const [token, setToken] = useState("");

  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    onToken(token);
  };

  return (
    <div className="sign-in" data-testid="sign-in" data-mode={auth.mode}>
      <h2>Sign in to talk to Sous</h2>
      {auth.notice ? (
        <p className="sign-in-notice" role="alert">
          {auth.notice}
        </p>
      ) : null}
      {auth.mode === "oidc" ? (
        <>
          <p>This Sous server is for signed-in cooks.</p>
          <button type="button" onClick={onSignIn}>
            Sign in
          </button>
        </>
      ) : (
        <form onSubmit={submit}>
          <p>This Sous server asks for an access token. Whoever runs it can give you one.</p>
          <input
            type="password"
            aria-label="Access token"
            placeholder="Access token"
            autoComplete="off"
            value={token}
            onChange={(event) => {
              setToken(event.target.value);
            }}
          />
          <button type="submit" disabled={token.trim() === ""}>
            Sign in
          </button>
        </form>
      )}
    </div>
  );
}
