/**
 * The page's sign-in: what `GET /api/config` asks for, the `Authorization` every signaling request
 * carries (it is the signaling client's `Credentials`), and what the page shows about it. React
 * reads it through `subscribe` / `getSnapshot`.
 *
 * - none: nothing to do.
 * - token: the cook enters the access token once; it stays in the tab (auth/storage.ts).
 * - oidc: "Sign in" sends the cook to the hosted sign-in page (authorization code flow with PKCE,
 *   auth/oidc.ts); back here, the code is traded for tokens, kept in the tab. The ID token is
 *   renewed with the refresh token shortly before it expires, and when signaling refuses it.
 */
import { fetchAuthConfig, type AuthConfig } from "../api/config";
import { SignalingError, type Credentials } from "../api/signaling";
import { newPendingSignIn, OidcClient, TokenError, type OidcTokens } from "./oidc";
import { SignInStorage } from "./storage";

export type AuthMode = "none" | "token" | "oidc";

export interface AuthState {
  /** null until `GET /api/config` has answered (or failed). */
  mode: AuthMode | null;
  signedIn: boolean;
  /** oidc: the signed-in cook's email, when the ID token has one. */
  email: string | null;
  /** Why the cook has to sign in (again), or why signing in failed; null when all is well. */
  notice: string | null;
}

/** The parts of the browser window the sign-in uses. */
export interface AuthPage {
  storage: Storage;
  /** The page's address now. */
  url: () => string;
  /** Leaves for another page (the sign-in page). */
  assign: (url: string) => void;
  /** Changes the address bar without loading (takes the used code out of it). */
  replace: (url: string) => void;
}

export function browserPage(): AuthPage {
  return {
    storage: window.sessionStorage,
    url: () => window.location.href,
    assign: (url) => {
      window.location.assign(url);
    },
    replace: (url) => {
      window.history.replaceState(window.history.state, "", url);
    },
  };
}

export interface AuthSettings {
  apiBase: string;
  requestTimeoutMs: number;
}

/** The ID token is renewed this long before it expires, so no request carries a stale one. */
export const RENEW_BEFORE_EXPIRY_MS = 60_000;

const notices = {
  expired: "Your sign-in has expired. Sign in again.",
  refused: "Sous did not accept your sign-in. Sign in again.",
  tokenRefused: "Sous did not accept that access token. Enter it again.",
  insecure: "Signing in needs a secure page: open Sous over https (or on localhost).",
};

const bearer = (token: string) => `Bearer ${token}`;

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class AuthSession implements Credentials {
  private state: AuthState = { mode: null, signedIn: false, email: null, notice: null };
  private readonly listeners = new Set<() => void>();
  private loading: Promise<void> | null = null;
  /** `GET /api/config` failed: no sign-in until signaling refuses a request. */
  private configMissing = false;
  private oidc: OidcClient | null = null;
  private tokens: OidcTokens | null = null;
  private accessToken: string | null = null;
  private renewal: Promise<OidcTokens | null> | null = null;
  /** An ID token renewed because signaling refused the previous one; refused too, it is over. */
  private renewedAfterRefusal: string | null = null;

  private readonly settings: AuthSettings;
  private readonly page: AuthPage;
  private readonly storage: SignInStorage;

  constructor(settings: AuthSettings, page: AuthPage) {
    this.settings = settings;
    this.page = page;
    this.storage = new SignInStorage(page.storage);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): AuthState => this.state;

  private update(next: Partial<AuthState>): void {
    this.state = { ...this.state, ...next };
    for (const listener of this.listeners) listener();
  }

  /** Reads the config and completes a sign-in the page has just come back from; runs once. */
  start(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<void> {
    let config: AuthConfig;
    try {
      config = await fetchAuthConfig(this.settings.apiBase, this.settings.requestTimeoutMs);
      this.configMissing = false;
    } catch (error) {
      console.warn("Sous: could not read the sign-in config; going on without sign-in", error);
      this.configMissing = true;
      config = { auth: "none" };
    }
    switch (config.auth) {
      case "none":
        this.update({ mode: "none", signedIn: false, email: null });
        return;
      case "token":
        this.accessToken = this.storage.accessToken();
        this.update({ mode: "token", signedIn: this.accessToken !== null, email: null });
        return;
      case "oidc":
        this.oidc = new OidcClient(
          config.oidc,
          new URL(this.page.url()).origin,
          this.settings.requestTimeoutMs,
        );
        this.tokens = this.storage.tokens();
        this.update({
          mode: "oidc",
          signedIn: this.tokens !== null,
          email: this.tokens?.email ?? null,
        });
        await this.completeSignIn(this.oidc);
    }
  }

  /** Back from the sign-in page with `?code=…&state=…` (or `?error=…`): trade the code. */
  private async completeSignIn(oidc: OidcClient): Promise<void> {
    const url = new URL(this.page.url());
    const params = url.searchParams;
    const state = params.get("state");
    const code = params.get("code");
    const error = params.get("error");
    if (state === null || (code === null && error === null)) return;
    const pending = this.storage.takePending();
    // A code works once: out of the address bar, so a reload or a bookmark does not replay it.
    this.page.replace(url.pathname + url.hash);
    if (error !== null) {
      const why = params.get("error_description") ?? error;
      this.update({ notice: `Signing in did not work: ${why}. Try again.` });
    } else if (pending?.state !== state) {
      this.update({
        notice: "Signing in did not work: the answer was not for this tab. Try again.",
      });
    } else if (code !== null) {
      try {
        this.saveTokens(await oidc.exchangeCode(code, pending.verifier));
      } catch (failure) {
        this.update({ notice: `Signing in did not work: ${reason(failure)}. Try again.` });
      }
    }
  }

  /** oidc: off to the sign-in page, with a fresh PKCE verifier and state kept in the tab. */
  async signIn(): Promise<void> {
    await this.start();
    if (this.oidc === null) return;
    const pending = newPendingSignIn();
    let url: string;
    try {
      url = await this.oidc.authorizationUrl(pending);
    } catch {
      // crypto.subtle exists only in secure contexts.
      this.update({ notice: notices.insecure });
      return;
    }
    this.storage.savePending(pending);
    this.page.assign(url);
  }

  /** token: the access token the cook entered. */
  enterToken(token: string): void {
    const value = token.trim();
    if (this.state.mode !== "token" || value === "") return;
    this.accessToken = value;
    this.storage.saveAccessToken(value);
    this.update({ signedIn: true, notice: null });
  }

  /** Forgets the credentials; oidc also revokes the refresh token and signs out at the server. */
  signOut(): void {
    if (this.state.mode === "token") {
      this.accessToken = null;
      this.storage.saveAccessToken(null);
      this.update({ signedIn: false, notice: null });
    } else if (this.state.mode === "oidc" && this.oidc !== null) {
      const refreshToken = this.tokens?.refreshToken ?? null;
      this.dropTokens(null);
      if (refreshToken !== null) this.oidc.revoke(refreshToken);
      this.page.assign(this.oidc.logoutUrl());
    }
  }

  async authorization(): Promise<string | null> {
    await this.start();
    if (this.state.mode === "token") return this.currentAuthorization();
    if (this.state.mode !== "oidc" || this.tokens === null) return null;
    if (this.tokens.expiresAt - Date.now() > RENEW_BEFORE_EXPIRY_MS)
      return bearer(this.tokens.idToken);
    const renewed = await this.renew(notices.expired);
    return renewed && bearer(renewed.idToken);
  }

  currentAuthorization(): string | null {
    if (this.state.mode === "token") return this.accessToken && bearer(this.accessToken);
    if (this.state.mode === "oidc") return this.tokens && bearer(this.tokens.idToken);
    return null;
  }

  async rejected(authorization: string | null): Promise<boolean> {
    await this.start();
    if (this.configMissing) {
      // Signaling wants a sign-in after all: read how (the page then offers it).
      this.loading = this.load();
      await this.loading;
      return false;
    }
    const current = this.currentAuthorization();
    if (current !== null && current !== authorization) return true; // renewed meanwhile
    if (this.state.mode === "token" && current !== null) {
      this.accessToken = null;
      this.storage.saveAccessToken(null);
      this.update({ signedIn: false, notice: notices.tokenRefused });
    }
    if (this.state.mode !== "oidc" || this.tokens === null) return false;
    if (this.tokens.idToken === this.renewedAfterRefusal) {
      this.dropTokens(notices.refused);
      return false;
    }
    try {
      const renewed = await this.renew(notices.refused);
      this.renewedAfterRefusal = renewed?.idToken ?? null;
      return renewed !== null;
    } catch {
      return false; // the sign-in service is not answering; the request fails as it is
    }
  }

  /** New tokens from the refresh token; one renewal at a time, however many requests wait. */
  private renew(noticeIfRefused: string): Promise<OidcTokens | null> {
    this.renewal ??= this.refreshTokens(noticeIfRefused).finally(() => {
      this.renewal = null;
    });
    return this.renewal;
  }

  private async refreshTokens(noticeIfRefused: string): Promise<OidcTokens | null> {
    const refreshToken = this.tokens?.refreshToken ?? null;
    if (refreshToken === null || this.oidc === null) {
      this.dropTokens(noticeIfRefused);
      return null;
    }
    try {
      const tokens = await this.oidc.refresh(refreshToken);
      this.saveTokens(tokens);
      return tokens;
    } catch (error) {
      if (error instanceof TokenError && !error.refused) {
        // Not the cook's fault: the request fails like an unreachable server, and is retried.
        throw new SignalingError(null, null, `Renewing your sign-in failed: ${error.message}`);
      }
      this.dropTokens(noticeIfRefused);
      return null;
    }
  }

  private saveTokens(tokens: OidcTokens): void {
    this.tokens = tokens;
    this.storage.saveTokens(tokens);
    this.update({ signedIn: true, email: tokens.email, notice: null });
  }

  private dropTokens(notice: string | null): void {
    this.tokens = null;
    this.storage.saveTokens(null);
    this.update({ signedIn: false, email: null, notice });
  }
}
