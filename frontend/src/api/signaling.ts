/**
 * The signaling service's HTTP API (docs/signaling.md), called with relative URLs. Every failure
 * becomes a `SignalingError` that keeps the HTTP status and the service's `detail` message. Every
 * request carries the `Authorization` header its `Credentials` give (auth/session.ts).
 */
import { z } from "zod";

export interface CandidateInit {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}

export interface CreatedSession {
  sessionId: string;
  iceServers: RTCIceServer[];
  expiresAt: string;
}

export interface AgentCandidates {
  candidates: CandidateInit[];
  complete: boolean;
}

const iceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

const createdSchema = z.object({
  session_id: z.string().min(1),
  ice_servers: z.array(iceServerSchema).default([]),
  expires_at: z.string().default(""),
});

const answerSchema = z.object({ sdp: z.string().min(1), type: z.literal("answer") });

const candidateSchema = z.object({
  candidate: z.string(),
  sdpMid: z.string().nullable().default(null),
  sdpMLineIndex: z.number().int().nullable().default(null),
});

const candidatesSchema = z.object({
  candidates: z.array(candidateSchema),
  complete: z.boolean(),
});

const errorBodySchema = z.object({ detail: z.unknown() });

export class SignalingError extends Error {
  override readonly name = "SignalingError";
  /** HTTP status, or null when no answer came back (network down, timeout). */
  readonly status: number | null;
  /** The service's own `detail` message, when it sent one. */
  readonly detail: string | null;

  constructor(status: number | null, detail: string | null, message: string) {
    super(message);
    this.status = status;
    this.detail = detail;
  }
}

function detailText(detail: unknown): string | null {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    const messages = detail
      .map((d: unknown) =>
        typeof d === "object" && d !== null && "msg" in d ? String(d.msg) : null,
      )
      .filter((m): m is string => m !== null);
    return messages.length > 0 ? messages.join("; ") : null;
  }
  return null;
}

async function errorFrom(response: Response, what: string): Promise<SignalingError> {
  let detail: string | null = null;
  try {
    const body = errorBodySchema.safeParse(await response.json());
    detail = body.success ? detailText(body.data.detail) : null;
  } catch {
    // Not JSON: a proxy or load balancer answered, not the signaling service.
  }
  return new SignalingError(
    response.status,
    detail,
    `${what} failed with HTTP ${response.status}${detail ? `: ${detail}` : ""}`,
  );
}

/** Where the `Authorization` header of signaling requests comes from. */
export interface Credentials {
  /** The header for the next request (renewed first if it is about to expire), or null. */
  authorization: () => Promise<string | null>;
  /** The header as it is now, without waiting: for the request sent as the page goes away. */
  currentAuthorization: () => string | null;
  /**
   * Signaling refused `authorization` (401/403). True when there is a different one to retry
   * with; false when the cook has to sign in again.
   */
  rejected: (authorization: string | null) => Promise<boolean>;
}

/** For a signaling service without sign-in. */
export const anonymous: Credentials = {
  authorization: () => Promise.resolve(null),
  currentAuthorization: () => null,
  rejected: () => Promise.resolve(false),
};

/** A refused request is sent once more, with renewed credentials. */
const MAX_TRIES_WHEN_REFUSED = 2;

function isRefusal(status: number): boolean {
  return status === 401 || status === 403;
}

export class SignalingClient {
  /** URL prefix of the API, "" for the page's own origin. */
  private readonly base: string;
  /** Longest wait for one request; an agent's cold start may take a while. */
  private readonly requestTimeoutMs: number;
  private readonly credentials: Credentials;

  constructor(base: string, requestTimeoutMs: number, credentials: Credentials = anonymous) {
    this.base = base;
    this.requestTimeoutMs = requestTimeoutMs;
    this.credentials = credentials;
  }

  private url(path: string): string {
    return `${this.base}/api/sessions${path}`;
  }

  /**
   * One request. A refusal (401/403) is reported to the credentials, and the request is sent
   * once more if they have a different authorization to try.
   */
  private async request(
    what: string,
    path: string,
    init: RequestInit & { signal?: AbortSignal },
  ): Promise<Response> {
    for (let tries = 1; ; tries++) {
      const authorization = await this.credentials.authorization();
      const response = await this.send(what, path, init, authorization);
      if (response.ok) return response;
      const retry = isRefusal(response.status) && (await this.credentials.rejected(authorization));
      if (!retry || tries >= MAX_TRIES_WHEN_REFUSED) throw await errorFrom(response, what);
    }
  }

  private async send(
    what: string,
    path: string,
    init: RequestInit & { signal?: AbortSignal },
    authorization: string | null,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await fetch(this.url(path), {
        ...init,
        signal,
        headers: {
          Accept: "application/json",
          ...(init.body ? { "Content-Type": "application/json" } : {}),
          ...(authorization !== null && { Authorization: authorization }),
        },
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      const reason = timeout.aborted
        ? `no answer within ${this.requestTimeoutMs / 1000} s`
        : "network error";
      throw new SignalingError(null, null, `${what} failed: ${reason}`);
    }
  }

  private async json<T>(what: string, response: Response, schema: z.ZodType<T>): Promise<T> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new SignalingError(response.status, null, `${what}: the answer is not JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new SignalingError(
        response.status,
        null,
        `${what}: unexpected answer (${z.prettifyError(parsed.error)})`,
      );
    }
    return parsed.data;
  }

  async createSession(signal?: AbortSignal): Promise<CreatedSession> {
    const what = "Creating a session";
    const response = await this.request(what, "", {
      method: "POST",
      body: "{}",
      ...(signal && { signal }),
    });
    const body = await this.json(what, response, createdSchema);
    return {
      sessionId: body.session_id,
      iceServers: body.ice_servers.map((s) => ({
        urls: s.urls,
        ...(s.username !== undefined && { username: s.username }),
        ...(s.credential !== undefined && { credential: s.credential }),
      })),
      expiresAt: body.expires_at,
    };
  }

  async sendOffer(
    sessionId: string,
    sdp: string,
    signal?: AbortSignal,
  ): Promise<{ sdp: string; type: "answer" }> {
    const what = "Sending the offer";
    const response = await this.request(what, `/${encodeURIComponent(sessionId)}/offer`, {
      method: "POST",
      body: JSON.stringify({ sdp, type: "offer" }),
      ...(signal && { signal }),
    });
    return this.json(what, response, answerSchema);
  }

  async addCandidate(
    sessionId: string,
    candidate: CandidateInit,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.request("Sending a network candidate", `/${encodeURIComponent(sessionId)}/ice`, {
      method: "POST",
      body: JSON.stringify(candidate),
      ...(signal && { signal }),
    });
  }

  async agentCandidates(sessionId: string, signal?: AbortSignal): Promise<AgentCandidates> {
    const what = "Fetching the agent's network candidates";
    const response = await this.request(what, `/${encodeURIComponent(sessionId)}/ice`, {
      method: "GET",
      ...(signal && { signal }),
    });
    return this.json(what, response, candidatesSchema);
  }

  /**
   * Ends the session. `keepalive` lets the request outlive the page, so closing the tab still
   * frees the agent; it is sent at once with the credentials as they are (a page going away
   * cannot wait for a renewal), and failures are ignored (the session's idle TTL is the backstop).
   */
  closeSession(sessionId: string): Promise<void> {
    const authorization = this.credentials.currentAuthorization();
    return fetch(this.url(`/${encodeURIComponent(sessionId)}`), {
      method: "DELETE",
      keepalive: true,
      ...(authorization !== null && { headers: { Authorization: authorization } }),
    }).then(
      () => undefined,
      () => undefined,
    );
  }
}
