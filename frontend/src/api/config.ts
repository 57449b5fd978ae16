/**
 * `GET /api/config` of the signaling service: how this page signs in. It needs no token, so the
 * page reads it before anything else.
 */
import { z } from "zod";

export interface OidcConfig {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  /** Ends the sign-in page's own session; takes `client_id` and `logout_uri` (Cognito). */
  logoutEndpoint: string;
  clientId: string;
  scopes: string[];
  /** Path on this page's origin that the sign-in returns to. */
  redirectPath: string;
}

export type AuthConfig =
  | { auth: "none" }
  /** The cook enters the access token once. */
  | { auth: "token" }
  /** The cook signs in at the OAuth server; the page sends the ID token. */
  | { auth: "oidc"; oidc: OidcConfig };

const configSchema = z.discriminatedUnion("auth", [
  z.object({ auth: z.literal("none") }),
  z.object({ auth: z.literal("token") }),
  z.object({
    auth: z.literal("oidc"),
    oidc: z.object({
      authorization_endpoint: z.url(),
      token_endpoint: z.url(),
      revocation_endpoint: z.url(),
      logout_endpoint: z.url(),
      client_id: z.string().min(1),
      scopes: z.array(z.string()).min(1),
      redirect_path: z.string().startsWith("/"),
    }),
  }),
]);

/** The page's sign-in config; rejects with an Error saying what went wrong. */
export async function fetchAuthConfig(base: string, timeoutMs: number): Promise<AuthConfig> {
  const response = await fetch(`${base}/api/config`, {
    headers: { Accept: "application/json" },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`GET /api/config answered HTTP ${response.status}`);
  const parsed = configSchema.safeParse(await response.json());
  if (!parsed.success) {
    throw new Error(`GET /api/config: unexpected answer (${z.prettifyError(parsed.error)})`);
  }
  const config = parsed.data;
  if (config.auth !== "oidc") return config;
  const { oidc } = config;
  return {
    auth: "oidc",
    oidc: {
      authorizationEndpoint: oidc.authorization_endpoint,
      tokenEndpoint: oidc.token_endpoint,
      revocationEndpoint: oidc.revocation_endpoint,
      logoutEndpoint: oidc.logout_endpoint,
      clientId: oidc.client_id,
      scopes: oidc.scopes,
      redirectPath: oidc.redirect_path,
    },
  };
}
