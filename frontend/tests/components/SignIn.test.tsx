// @vitest-environment jsdom
/**
 * Signing in on the page (SignIn in place of the talk button, Account in the top bar), with the
 * config and the sign-in service over real HTTP (tests/support/signInServer.ts).
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { App } from "../../src/App";
import { AuthSession } from "../../src/auth/session";
import { defaultSettings } from "../../src/config";
import { inSeconds, TestPage } from "../support/authPage";
import { ScriptedAttempts, scriptedDeps } from "../support/scripted";
import { CLIENT_ID, EMAIL, SignInServer } from "../support/signInServer";

let server: SignInServer;
let page: TestPage;
let attempts: ScriptedAttempts;

beforeAll(async () => {
  server = await SignInServer.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  page = new TestPage();
  attempts = new ScriptedAttempts();
});

afterEach(() => {
  sessionStorage.clear();
});

function renderApp(mode: "token" | "oidc") {
  server.mode = mode;
  const auth = new AuthSession({ apiBase: server.base, requestTimeoutMs: 2_000 }, page);
  const deps = scriptedDeps(attempts);
  render(<App settings={defaultSettings} auth={auth} makeDeps={() => deps} />);
}

const signInPanel = () => screen.findByRole("heading", { name: "Sign in to talk to Sous" });

describe("signing in on the page", () => {
  it("offers the hosted sign-in instead of the talk button, and goes there", async () => {
    renderApp("oidc");
    await signInPanel();
    expect(screen.queryByRole("button", { name: "Start talking" })).toBeNull();
    await userEvent.setup().click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => {
      expect(page.visited).toHaveLength(1);
    });
    const url = new URL(page.visited[0] ?? "");
    expect(`${url.origin}${url.pathname}`).toBe(`${server.base}/oauth2/authorize`);
    expect(url.searchParams.get("client_id")).toBe(CLIENT_ID);
  });

  it("ignores the space bar until the cook is signed in", async () => {
    renderApp("oidc");
    await signInPanel();
    fireEvent.keyDown(document.body, { key: " ", code: "Space" });
    expect(attempts.attempts).toHaveLength(0);
    expect(page.visited).toHaveLength(0);
  });

  it("takes the access token once, then shows the talk button and a way to sign out", async () => {
    renderApp("token");
    await signInPanel();
    const user = userEvent.setup();
    const submit = screen.getByRole("button", { name: "Sign in" });
    expect(submit).toBeDisabled();
    await user.type(screen.getByLabelText("Access token"), "kitchen-token{Enter}");
    expect(await screen.findByRole("button", { name: "Start talking" })).toBeInTheDocument();
    expect(screen.getByTestId("account")).toHaveTextContent("Access token set");
    expect(sessionStorage.getItem("sous.signIn.accessToken")).toBe('"kitchen-token"');
    await user.click(screen.getByRole("button", { name: "Sign out" }));
    await signInPanel();
    expect(screen.queryByTestId("account")).toBeNull();
  });

  it("shows who is signed in; signing out ends the voice session first", async () => {
    const tokens = server.issueTokens();
    sessionStorage.setItem(
      "sous.signIn.tokens",
      JSON.stringify({
        idToken: tokens.idToken,
        refreshToken: tokens.refreshToken,
        expiresAt: inSeconds(3600) * 1000,
        email: EMAIL,
      }),
    );
    renderApp("oidc");
    expect(await screen.findByTestId("account")).toHaveTextContent(EMAIL);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Start talking" }));
    await waitFor(() => {
      expect(attempts.attempts).toHaveLength(1);
    });
    act(() => {
      attempts.last.connect("s1");
    });
    await user.click(screen.getByRole("button", { name: "Sign out" }));
    expect(attempts.last.closed).toBe(true);
    expect(page.visited.at(-1)).toContain(`${server.base}/logout?client_id=${CLIENT_ID}`);
    await signInPanel();
  });

  it("says why signing in did not work", async () => {
    page.address = "https://sous.example/?error=access_denied&state=stale";
    renderApp("oidc");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Signing in did not work: access_denied. Try again.",
    );
  });
});
