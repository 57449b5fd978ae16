/**
 * What the sign-in keeps in the tab's sessionStorage: the pending sign-in while the cook is at the
 * sign-in page, the tokens, or the access token. sessionStorage survives reloads and the trip to
 * the sign-in page but not the tab, and no other tab sees it. Unreadable entries count as absent.
 */
import { z } from "zod";
import type { OidcTokens, PendingSignIn } from "./oidc";

const keys = {
  pending: "sous.signIn.pending",
  tokens: "sous.signIn.tokens",
  accessToken: "sous.signIn.accessToken",
} as const;

const pendingSchema = z.object({ state: z.string(), verifier: z.string() });

const tokensSchema = z.object({
  idToken: z.string(),
  refreshToken: z.string().nullable(),
  expiresAt: z.number(),
  email: z.string().nullable(),
});

export class SignInStorage {
  private readonly storage: Storage;

  constructor(storage: Storage) {
    this.storage = storage;
  }

  private read<T>(key: string, schema: z.ZodType<T>): T | null {
    const raw = this.storage.getItem(key);
    if (raw === null) return null;
    try {
      const parsed = schema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON: dropped below like any other unreadable entry.
    }
    this.storage.removeItem(key);
    return null;
  }

  private write(key: string, value: unknown): void {
    if (value === null) this.storage.removeItem(key);
    else this.storage.setItem(key, JSON.stringify(value));
  }

  savePending(pending: PendingSignIn): void {
    this.write(keys.pending, pending);
  }

  /** The pending sign-in, removed as it is read: each one is answered once. */
  takePending(): PendingSignIn | null {
    const pending = this.read(keys.pending, pendingSchema);
    this.write(keys.pending, null);
    return pending;
  }

  tokens(): OidcTokens | null {
    return this.read(keys.tokens, tokensSchema);
  }

  saveTokens(tokens: OidcTokens | null): void {
    this.write(keys.tokens, tokens);
  }

  accessToken(): string | null {
    return this.read(keys.accessToken, z.string().min(1));
  }

  saveAccessToken(token: string | null): void {
    this.write(keys.accessToken, token);
  }
}
