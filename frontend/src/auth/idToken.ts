/**
 * What the page reads from an ID token: when it expires and whose it is. The signature is not
 * checked here: the token came straight from the token endpoint over HTTPS, and signaling
 * verifies it on every request.
 */
import { z } from "zod";

export interface IdTokenClaims {
  /** Milliseconds since the epoch, like `Date.now()`. */
  expiresAt: number;
  email: string | null;
}

const claimsSchema = z.object({ exp: z.number(), email: z.string().optional() });

function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The claims of a JWT; throws an Error when it is not one or has no `exp`. */
export function readIdToken(token: string): IdTokenClaims {
  const payload = token.split(".")[1];
  if (payload === undefined) throw new Error("the ID token is not a JWT");
  let claims: unknown;
  try {
    claims = JSON.parse(decodeBase64Url(payload));
  } catch {
    throw new Error("the ID token's claims are not readable");
  }
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) throw new Error("the ID token has no expiry (exp)");
  return { expiresAt: parsed.data.exp * 1000, email: parsed.data.email ?? null };
}
