/** `GET /api/config` over real HTTP: the three sign-in modes and answers the page cannot use. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchAuthConfig } from "../../src/api/config";
import { json, TestServer } from "../support/httpServer";

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});

afterAll(async () => {
  await server.close();
});

const oidcAnswer = {
  auth: "oidc",
  oidc: {
    authorization_endpoint: "https://sous.auth.example/oauth2/authorize",
    token_endpoint: "https://sous.auth.example/oauth2/token",
    revocation_endpoint: "https://sous.auth.example/oauth2/revoke",
    logout_endpoint: "https://sous.auth.example/logout",
    client_id: "web-client",
    scopes: ["openid", "email"],
    redirect_path: "/",
  },
};

describe("fetchAuthConfig", () => {
  it.each(["none", "token"])("reads auth=%s", async (auth) => {
    server.handler = (_req, res) => {
      json(res, 200, { auth, oidc: null });
    };
    expect(await fetchAuthConfig(server.base, 2_000)).toEqual({ auth });
    expect(server.seen.at(-1)).toMatchObject({ method: "GET", url: "/api/config" });
  });

  it("reads the sign-in endpoints of auth=oidc", async () => {
    server.handler = (_req, res) => {
      json(res, 200, oidcAnswer);
    };
    expect(await fetchAuthConfig(server.base, 2_000)).toEqual({
      auth: "oidc",
      oidc: {
        authorizationEndpoint: "https://sous.auth.example/oauth2/authorize",
        tokenEndpoint: "https://sous.auth.example/oauth2/token",
        revocationEndpoint: "https://sous.auth.example/oauth2/revoke",
        logoutEndpoint: "https://sous.auth.example/logout",
        clientId: "web-client",
        scopes: ["openid", "email"],
        redirectPath: "/",
      },
    });
  });

  it("refuses an answer it cannot sign in with", async () => {
    server.handler = (_req, res) => {
      json(res, 200, { ...oidcAnswer, oidc: { ...oidcAnswer.oidc, token_endpoint: "nowhere" } });
    };
    await expect(fetchAuthConfig(server.base, 2_000)).rejects.toThrow("unexpected answer");
  });

  it("reports an error status", async () => {
    server.handler = (_req, res) => {
      json(res, 502, { detail: "bad gateway" });
    };
    await expect(fetchAuthConfig(server.base, 2_000)).rejects.toThrow("HTTP 502");
  });
});
