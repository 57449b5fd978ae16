/**
 * One real HTTP server on 127.0.0.1 playing both sides of a sign-in: the signaling service
 * (`GET /api/config` and the session API, which checks the bearer token) and an OAuth server
 * with Cognito's endpoints that checks what Cognito checks: the client, the callback URL, PKCE
 * (S256 of the verifier against the challenge), single-use codes and refresh tokens.
 */
import { createHash, randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { idToken, inSeconds } from "./authPage";
import { json, TestServer, type SeenRequest } from "./httpServer";

export const CLIENT_ID = "sous-web-client";
export const EMAIL = "cook@example.com";
export const SESSION_ID = "s".repeat(43);

interface IssuedCode {
  challenge: string;
  redirectUri: string;
}

export class SignInServer {
  readonly http: TestServer;
  /** What `GET /api/config` says. */
  mode: "none" | "token" | "oidc" = "oidc";
  /** The static token signaling accepts in `token` mode. */
  accessToken = "kitchen-token";
  /** Callback URLs of the client (Cognito compares the redirect_uri exactly). */
  callbackUrls = ["https://sous.example/"];
  idTokenLifetimeSeconds = 3600;
  /** New refresh token with every refresh (Cognito's rotation), or the same one kept. */
  rotateRefreshTokens = false;
  /** ID tokens signaling refuses although the OAuth server issued them (say, clock skew). */
  readonly refusedIdTokens = new Set<string>();
  readonly revokedRefreshTokens = new Set<string>();
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Set<string>();
  private readonly idTokens = new Set<string>();

  private constructor(http: TestServer) {
    this.http = http;
    http.handler = (request, response) => {
      this.handle(request, response);
    };
  }

  static async start(): Promise<SignInServer> {
    return new SignInServer(await TestServer.start());
  }

  get base(): string {
    return this.http.base;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** Tokens as the code grant would give them, for a test that starts signed in. */
  issueTokens(lifetimeSeconds = this.idTokenLifetimeSeconds): {
    idToken: string;
    refreshToken: string;
  } {
    const token = idToken({
      sub: "cook-1",
      aud: CLIENT_ID,
      email: EMAIL,
      exp: inSeconds(lifetimeSeconds),
      jti: randomUUID(),
    });
    const refreshToken = `refresh-${randomUUID()}`;
    this.idTokens.add(token);
    this.refreshTokens.add(refreshToken);
    return { idToken: token, refreshToken };
  }

  /** The hosted sign-in page: checks the request, the cook signs in, back to the page. */
  authorize(authorizationUrl: string): string {
    const url = new URL(authorizationUrl);
    const params = url.searchParams;
    const expected = {
      origin: this.base,
      pathname: "/oauth2/authorize",
      response_type: "code",
      client_id: CLIENT_ID,
      code_challenge_method: "S256",
      scope: "openid email",
    };
    const actual = {
      origin: url.origin,
      pathname: url.pathname,
      response_type: params.get("response_type"),
      client_id: params.get("client_id"),
      code_challenge_method: params.get("code_challenge_method"),
      scope: params.get("scope"),
    };
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new Error(`bad authorization request: ${JSON.stringify(actual)}`);
    }
    const redirectUri = params.get("redirect_uri") ?? "";
    if (!this.callbackUrls.includes(redirectUri)) throw new Error("redirect_mismatch");
    const code = randomUUID();
    this.codes.set(code, { challenge: params.get("code_challenge") ?? "", redirectUri });
    const back = new URL(redirectUri);
    back.search = new URLSearchParams({ code, state: params.get("state") ?? "" }).toString();
    return back.href;
  }

  oidcConfig() {
    return {
      authorization_endpoint: `${this.base}/oauth2/authorize`,
      token_endpoint: `${this.base}/oauth2/token`,
      revocation_endpoint: `${this.base}/oauth2/revoke`,
      logout_endpoint: `${this.base}/logout`,
      client_id: CLIENT_ID,
      scopes: ["openid", "email"],
      redirect_path: "/",
    };
  }

  /** Requests to `path` (query ignored), in order. */
  requestsTo(path: string): SeenRequest[] {
    return this.http.requestsTo(path);
  }

  private handle(request: SeenRequest, response: ServerResponse): void {
    const path = request.url.split("?")[0] ?? "";
    if (path === "/api/config") {
      json(response, 200, {
        auth: this.mode,
        oidc: this.mode === "oidc" ? this.oidcConfig() : null,
      });
    } else if (path.startsWith("/api/sessions")) {
      this.signaling(request, response);
    } else if (path === "/oauth2/token") {
      this.token(new URLSearchParams(request.body), response);
    } else if (path === "/oauth2/revoke") {
      const revoked = new URLSearchParams(request.body).get("token") ?? "";
      this.refreshTokens.delete(revoked);
      this.revokedRefreshTokens.add(revoked);
      json(response, 200, {});
    } else {
      json(response, 404, { detail: "Not Found" });
    }
  }

  private signaling(request: SeenRequest, response: ServerResponse): void {
    const token = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
    const admitted =
      this.mode === "none" ||
      (this.mode === "token" && token === this.accessToken) ||
      (this.mode === "oidc" && this.idTokens.has(token) && !this.refusedIdTokens.has(token));
    if (!admitted) {
      json(response, 401, { detail: "Invalid bearer token: Signature has expired." });
    } else if (request.method === "POST" && request.url === "/api/sessions") {
      json(response, 201, { session_id: SESSION_ID, ice_servers: [], expires_at: "" });
    } else {
      response.writeHead(204).end();
    }
  }

  private token(form: URLSearchParams, response: ServerResponse): void {
    const grant = form.get("grant_type");
    const valid =
      form.get("client_id") === CLIENT_ID &&
      (grant === "authorization_code" ? this.codeIsGood(form) : this.refreshIsGood(form));
    if (!valid) {
      json(response, 400, { error: "invalid_grant" });
      return;
    }
    const tokens = this.issueTokens();
    // Refresh grants hand out a new refresh token only when rotating (and retire the old one).
    const newRefreshToken = grant === "authorization_code" || this.rotateRefreshTokens;
    if (newRefreshToken) this.refreshTokens.delete(form.get("refresh_token") ?? "");
    else this.refreshTokens.delete(tokens.refreshToken);
    json(response, 200, {
      id_token: tokens.idToken,
      access_token: "access",
      ...(newRefreshToken && { refresh_token: tokens.refreshToken }),
      expires_in: this.idTokenLifetimeSeconds,
      token_type: "Bearer",
    });
  }

  /** A code this server issued, unused, for this redirect_uri, with the matching verifier. */
  private codeIsGood(form: URLSearchParams): boolean {
    const code = form.get("code") ?? "";
    const issued = this.codes.get(code);
    this.codes.delete(code); // single use, even when the grant fails
    const verifier = form.get("code_verifier") ?? "";
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    return issued?.redirectUri === form.get("redirect_uri") && issued.challenge === challenge;
  }

  private refreshIsGood(form: URLSearchParams): boolean {
    return (
      form.get("grant_type") === "refresh_token" &&
      this.refreshTokens.has(form.get("refresh_token") ?? "")
    );
  }
}
