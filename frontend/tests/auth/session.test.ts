// @vitest-environment jsdom
/**
 * The page's sign-in over real HTTP (tests/support/signInServer.ts plays signaling and Cognito):
 * the redirect round trip, tokens kept in the tab's sessionStorage across reloads, renewal, sign
 * out, and what happens when signaling answers 401.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SignalingClient, SignalingError } from "../../src/api/signaling";
import { AuthSession } from "../../src/auth/session";
import { failureFromError } from "../../src/session/errors";
import { inSeconds, TestPage } from "../support/authPage";
import { EMAIL, SESSION_ID, SignInServer } from "../support/signInServer";

let server: SignInServer;
let page: TestPage;

beforeAll(async () => {
  server = await SignInServer.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.mode = "oidc";
  page = new TestPage();
});

afterEach(() => {
  sessionStorage.clear();
  server.refusedIdTokens.clear();
});

/** A page load: a new AuthSession on the same tab (same sessionStorage, same address). */
async function loadPage(): Promise<AuthSession> {
  const auth = new AuthSession({ apiBase: server.base, requestTimeoutMs: 2_000 }, page);
  await auth.start();
  return auth;
}

/** Sign in through the hosted page and come back, as a cook would. */
async function signInRoundTrip(): Promise<AuthSession> {
  const before = await loadPage();
  await before.signIn();
  const authorizationUrl = page.visited.at(-1) ?? "";
  page.address = server.authorize(authorizationUrl);
  return loadPage();
}

/** Stored tokens as an earlier page load would have left them. */
function storeTokens(lifetimeSeconds: number, withRefreshToken = true) {
  const tokens = server.issueTokens(lifetimeSeconds);
  sessionStorage.setItem(
    "sous.signIn.tokens",
    JSON.stringify({
      idToken: tokens.idToken,
      refreshToken: withRefreshToken ? tokens.refreshToken : null,
      expiresAt: inSeconds(lifetimeSeconds) * 1000,
      email: EMAIL,
    }),
  );
  return tokens;
}

describe("no sign-in and a static token", () => {
  it("sends nothing when the server has no sign-in", async () => {
    server.mode = "none";
    const auth = await loadPage();
    expect(auth.getSnapshot()).toMatchObject({ mode: "none", signedIn: false });
    expect(await auth.authorization()).toBeNull();
  });

  it("asks for the access token once and keeps it in the tab", async () => {
    server.mode = "token";
    const first = await loadPage();
    expect(first.getSnapshot()).toMatchObject({ mode: "token", signedIn: false });
    first.enterToken("  kitchen-token ");
    expect(first.getSnapshot().signedIn).toBe(true);
    const reloaded = await loadPage();
    expect(reloaded.getSnapshot().signedIn).toBe(true);
    expect(await reloaded.authorization()).toBe("Bearer kitchen-token");
    reloaded.signOut();
    expect(reloaded.getSnapshot().signedIn).toBe(false);
    expect((await loadPage()).getSnapshot().signedIn).toBe(false);
  });
});

describe("signing in with the code flow and PKCE", () => {
  it("goes to the hosted page and comes back signed in, with the code out of the address", async () => {
    const auth = await signInRoundTrip();
    expect(auth.getSnapshot()).toEqual({
      mode: "oidc",
      signedIn: true,
      email: EMAIL,
      notice: null,
    });
    expect(page.address).toBe("https://sous.example/");
    expect(await auth.authorization()).toMatch(/^Bearer ey/);
    expect(sessionStorage.getItem("sous.signIn.pending")).toBeNull();
    // A reload keeps the sign-in and does not spend the code again.
    const exchanges = server.requestsTo("/oauth2/token").length;
    expect((await loadPage()).getSnapshot().signedIn).toBe(true);
    expect(server.requestsTo("/oauth2/token")).toHaveLength(exchanges);
  });

  it("refuses an answer that belongs to another sign-in (state mismatch)", async () => {
    const auth = await loadPage();
    await auth.signIn();
    const forged = new URL(server.authorize(page.visited.at(-1) ?? ""));
    forged.searchParams.set("state", "someone-elses-state");
    page.address = forged.href;
    const exchanges = server.requestsTo("/oauth2/token").length;
    const back = await loadPage();
    expect(back.getSnapshot()).toMatchObject({ signedIn: false });
    expect(back.getSnapshot().notice).toContain("not for this tab");
    expect(server.requestsTo("/oauth2/token")).toHaveLength(exchanges);
  });

  it("shows why the sign-in page sent the cook back without a code", async () => {
    const auth = await loadPage();
    await auth.signIn();
    const state = new URL(page.visited.at(-1) ?? "").searchParams.get("state") ?? "";
    page.address = `https://sous.example/?error=access_denied&error_description=User+is+disabled&state=${state}`;
    const back = await loadPage();
    expect(back.getSnapshot()).toMatchObject({ signedIn: false });
    expect(back.getSnapshot().notice).toBe("Signing in did not work: User is disabled. Try again.");
    expect(page.address).toBe("https://sous.example/");
  });

  it("signs out: revokes the refresh token and ends the hosted page's session", async () => {
    const auth = await signInRoundTrip();
    const stored = JSON.parse(sessionStorage.getItem("sous.signIn.tokens") ?? "{}") as {
      refreshToken: string;
    };
    auth.signOut();
    expect(auth.getSnapshot().signedIn).toBe(false);
    expect(sessionStorage.getItem("sous.signIn.tokens")).toBeNull();
    expect(page.visited.at(-1)).toBe(
      `${server.base}/logout?client_id=sous-web-client&logout_uri=https%3A%2F%2Fsous.example%2F`,
    );
    await expect.poll(() => server.revokedRefreshTokens.has(stored.refreshToken)).toBe(true);
  });
});

describe("keeping the ID token fresh", () => {
  it("renews a token about to expire once, however many requests wait for it", async () => {
    const old = storeTokens(30);
    const auth = await loadPage();
    const refreshes = server.requestsTo("/oauth2/token").length;
    const headers = await Promise.all([auth.authorization(), auth.authorization()]);
    expect(headers[0]).toBe(headers[1]);
    expect(headers[0]).not.toBe(`Bearer ${old.idToken}`);
    expect(server.requestsTo("/oauth2/token")).toHaveLength(refreshes + 1);
    expect(auth.getSnapshot()).toMatchObject({ signedIn: true, email: EMAIL });
  });

  it("uses a token with time left as it is", async () => {
    const fresh = storeTokens(600);
    const auth = await loadPage();
    expect(await auth.authorization()).toBe(`Bearer ${fresh.idToken}`);
  });

  it("asks the cook to sign in again when the token expired and cannot be renewed", async () => {
    storeTokens(-10, false);
    const auth = await loadPage();
    expect(await auth.authorization()).toBeNull();
    expect(auth.getSnapshot()).toMatchObject({
      signedIn: false,
      notice: "Your sign-in has expired. Sign in again.",
    });
  });

  it("asks the cook to sign in again when the refresh token is refused", async () => {
    const tokens = storeTokens(10);
    // Revoked in the meantime, say by signing out in another tab.
    await fetch(`${server.base}/oauth2/revoke`, {
      method: "POST",
      body: new URLSearchParams({ token: tokens.refreshToken, client_id: "sous-web-client" }),
    });
    const auth = await loadPage();
    expect(await auth.authorization()).toBeNull();
    expect(auth.getSnapshot()).toMatchObject({
      signedIn: false,
      notice: "Your sign-in has expired. Sign in again.",
    });
    expect(sessionStorage.getItem("sous.signIn.tokens")).toBeNull();
  });

  it("drops tokens it cannot read", async () => {
    sessionStorage.setItem("sous.signIn.tokens", "{not json");
    const auth = await loadPage();
    expect(auth.getSnapshot().signedIn).toBe(false);
    expect(sessionStorage.getItem("sous.signIn.tokens")).toBeNull();
  });
});

describe("the signaling client with these credentials", () => {
  const clientFor = (auth: AuthSession) => new SignalingClient(server.base, 2_000, auth);

  async function failure(promise: Promise<unknown>): Promise<SignalingError> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof SignalingError) return error;
      throw error;
    }
    throw new Error("expected the request to fail");
  }

  it("sends the ID token on every request, the page-hide DELETE included", async () => {
    const auth = await signInRoundTrip();
    const header = await auth.authorization();
    const client = clientFor(auth);
    const first = server.http.seen.length;
    const created = await client.createSession();
    await client.addCandidate(created.sessionId, { candidate: "", sdpMid: "0", sdpMLineIndex: 0 });
    await client.closeSession(created.sessionId);
    const sent = server.http.seen.slice(first);
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /api/sessions",
      `POST /api/sessions/${SESSION_ID}/ice`,
      `DELETE /api/sessions/${SESSION_ID}`,
    ]);
    for (const request of sent) expect(request.headers.authorization).toBe(header);
  });

  it("renews a refused token and sends the request once more", async () => {
    const auth = await signInRoundTrip();
    const refused = await auth.authorization();
    server.refusedIdTokens.add(refused?.replace("Bearer ", "") ?? "");
    const first = server.http.seen.length;
    await clientFor(auth).createSession();
    const creates = server.http.seen.slice(first).filter((r) => r.url === "/api/sessions");
    expect(creates).toHaveLength(2);
    expect(creates[0]?.headers.authorization).toBe(refused);
    expect(creates[1]?.headers.authorization).not.toBe(refused);
    expect(auth.getSnapshot().signedIn).toBe(true);
  });

  it("gives up after one renewal: not signed in, and the page asks to sign in again", async () => {
    const auth = await signInRoundTrip();
    const client = clientFor(auth);
    const refuseEverything = server.http.handler;
    server.http.handler = (request, response) => {
      if (request.url.startsWith("/api/sessions")) {
        response.writeHead(401, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ detail: "Invalid bearer token: Invalid audience." }));
      } else refuseEverything(request, response);
    };
    try {
      const error = await failure(client.createSession());
      expect(error.status).toBe(401);
      expect(failureFromError(error)).toEqual({
        cause: "not-signed-in",
        detail: "Invalid bearer token: Invalid audience.",
      });
      expect(auth.getSnapshot()).toMatchObject({
        signedIn: false,
        notice: "Sous did not accept your sign-in. Sign in again.",
      });
      // The next try fails at once, without asking the sign-in service again.
      const refreshes = server.requestsTo("/oauth2/token").length;
      await failure(client.createSession());
      expect(server.requestsTo("/oauth2/token")).toHaveLength(refreshes);
    } finally {
      server.http.handler = refuseEverything;
    }
  });

  it("forgets a refused static token without retrying", async () => {
    server.mode = "token";
    const auth = await loadPage();
    auth.enterToken("wrong-token");
    const first = server.http.seen.length;
    const error = await failure(clientFor(auth).createSession());
    expect(error.status).toBe(401);
    expect(server.http.seen.slice(first).filter((r) => r.url === "/api/sessions")).toHaveLength(1);
    expect(auth.getSnapshot()).toMatchObject({
      signedIn: false,
      notice: "Sous did not accept that access token. Enter it again.",
    });
    expect(sessionStorage.getItem("sous.signIn.accessToken")).toBeNull();
  });

  it("learns that sign-in is needed when the config could not be read at first", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const serve = server.http.handler;
    server.http.handler = (request, response) => {
      if (request.url === "/api/config") response.writeHead(502).end();
      else serve(request, response);
    };
    const auth = await loadPage();
    expect(auth.getSnapshot().mode).toBe("none");
    server.http.handler = serve; // signaling is back, and it wants a sign-in
    const error = await failure(clientFor(auth).createSession());
    expect(error.status).toBe(401);
    expect(auth.getSnapshot()).toMatchObject({ mode: "oidc", signedIn: false });
  });
});
