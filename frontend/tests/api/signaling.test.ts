/**
 * The signaling client over real HTTP: a Node server on 127.0.0.1 answers the way the signaling
 * service documents (docs/signaling.md), or the way a proxy in front of it fails.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SignalingClient, SignalingError } from "../../src/api/signaling";

interface Seen {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
let seen: Seen[] = [];

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        contentType: req.headers["content-type"],
        body,
      };
      seen.push(request);
      handler(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  seen = [];
});

const client = () => new SignalingClient(base, 2_000);

async function failure(promise: Promise<unknown>): Promise<SignalingError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SignalingError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

describe("SignalingClient", () => {
  it("creates a session", async () => {
    handler = (_req, res) => {
      json(res, 201, {
        session_id: "x".repeat(43),
        ice_servers: [{ urls: ["turn:127.0.0.1:3478"], username: "u", credential: "p" }],
        expires_at: "2026-11-25T12:10:00Z",
      });
    };
    const session = await client().createSession();
    expect(session).toEqual({
      sessionId: "x".repeat(43),
      iceServers: [{ urls: ["turn:127.0.0.1:3478"], username: "u", credential: "p" }],
      expiresAt: "2026-11-25T12:10:00Z",
    });
    expect(seen).toMatchObject([
      { method: "POST", url: "/api/sessions", contentType: "application/json" },
    ]);
  });

  it("sends the offer and returns the answer", async () => {
    handler = (_req, res) => {
      json(res, 200, { sdp: "v=0\r\nanswer", type: "answer" });
    };
    const answer = await client().sendOffer("abc", "v=0\r\noffer");
    expect(answer).toEqual({ sdp: "v=0\r\nanswer", type: "answer" });
    expect(seen[0]).toMatchObject({ method: "POST", url: "/api/sessions/abc/offer" });
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ sdp: "v=0\r\noffer", type: "offer" });
  });

  it("trickles a candidate and reads the agent's", async () => {
    handler = (req, res) => {
      if (req.method === "POST") {
        res.writeHead(204).end();
      } else {
        json(res, 200, {
          candidates: [
            {
              candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host",
              sdpMid: "0",
              sdpMLineIndex: 0,
            },
          ],
          complete: true,
        });
      }
    };
    const candidate = {
      candidate: "candidate:9 1 udp 9 127.0.0.1 6000 typ host",
      sdpMid: "0",
      sdpMLineIndex: 0,
    };
    await client().addCandidate("abc", candidate);
    const agent = await client().agentCandidates("abc");
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual(candidate);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "POST /api/sessions/abc/ice",
      "GET /api/sessions/abc/ice",
    ]);
    expect(agent).toEqual({
      candidates: [
        { candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host", sdpMid: "0", sdpMLineIndex: 0 },
      ],
      complete: true,
    });
  });

  it("deletes the session and never throws doing it", async () => {
    handler = (_req, res) => {
      res.writeHead(204).end();
    };
    await client().closeSession("abc");
    expect(seen).toMatchObject([{ method: "DELETE", url: "/api/sessions/abc" }]);
    await expect(
      new SignalingClient("http://127.0.0.1:1", 500).closeSession("abc"),
    ).resolves.toBeUndefined();
  });

  it("escapes the session id in paths", async () => {
    handler = (_req, res) => {
      res.writeHead(204).end();
    };
    await client().addCandidate("a/b?c", { candidate: "", sdpMid: "0", sdpMLineIndex: 0 });
    expect(seen[0]?.url).toBe("/api/sessions/a%2Fb%3Fc/ice");
  });

  it("keeps the status and detail of an error", async () => {
    handler = (_req, res) => {
      json(res, 503, { detail: "No media agent is free right now; try again in a minute." });
    };
    const error = await failure(client().createSession());
    expect(error.status).toBe(503);
    expect(error.detail).toBe("No media agent is free right now; try again in a minute.");
    expect(error.message).toContain("HTTP 503");
  });

  it("reads FastAPI's validation detail", async () => {
    handler = (_req, res) => {
      json(res, 422, { detail: [{ loc: ["body", "sdp"], msg: "Field required" }] });
    };
    const error = await failure(client().sendOffer("abc", "v=0"));
    expect(error).toMatchObject({ status: 422, detail: "Field required" });
  });

  it("tells a proxy's error page from the service's own error", async () => {
    handler = (_req, res) => {
      res.writeHead(502, { "Content-Type": "text/html" }).end("<h1>Bad Gateway</h1>");
    };
    const error = await failure(client().createSession());
    expect(error).toMatchObject({ status: 502, detail: null });
  });

  it("reports a refused connection as no answer", async () => {
    const error = await failure(new SignalingClient("http://127.0.0.1:1", 2_000).createSession());
    expect(error.status).toBeNull();
    expect(error.message).toContain("network error");
  });

  it("gives up on a server that never answers", async () => {
    handler = () => undefined;
    const error = await failure(new SignalingClient(base, 300).createSession());
    expect(error.status).toBeNull();
    expect(error.message).toContain("no answer within 0.3 s");
  });

  it("rejects an answer of the wrong shape", async () => {
    handler = (_req, res) => {
      json(res, 200, { sdp: "v=0", type: "offer" });
    };
    const error = await failure(client().sendOffer("abc", "v=0"));
    expect(error.status).toBe(200);
    expect(error.message).toContain("unexpected answer");
  });

  it("stops waiting when the caller aborts, without calling it a server failure", async () => {
    handler = () => undefined;
    const abort = new AbortController();
    const pending = client().createSession(abort.signal);
    abort.abort();
    await expect(pending).rejects.not.toBeInstanceOf(SignalingError);
  });
});
