/**
 * The signaling service's HTTP API (docs/signaling.md), called with relative URLs. Every failure
 * becomes a `SignalingError` that keeps the HTTP status and the service's `detail` message.
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

export class SignalingClient {
  /** URL prefix of the API, "" for the page's own origin. */
  private readonly base: string;
  /** Longest wait for one request; an agent's cold start may take a while. */
  private readonly requestTimeoutMs: number;

  constructor(base: string, requestTimeoutMs: number) {
    this.base = base;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  private url(path: string): string {
    return `${this.base}/api/sessions${path}`;
  }

  private async request(
    what: string,
    path: string,
    init: RequestInit & { signal?: AbortSignal },
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        ...init,
        signal,
        headers: {
          Accept: "application/json",
          ...(init.body ? { "Content-Type": "application/json" } : {}),
        },
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      const reason = timeout.aborted
        ? `no answer within ${this.requestTimeoutMs / 1000} s`
        : "network error";
      throw new SignalingError(null, null, `${what} failed: ${reason}`);
    }
    if (!response.ok) throw await errorFrom(response, what);
    return response;
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
   * frees the agent; failures are ignored (the session's idle TTL is the backstop).
   */
  closeSession(sessionId: string): Promise<void> {
    return fetch(this.url(`/${encodeURIComponent(sessionId)}`), {
      method: "DELETE",
      keepalive: true,
    }).then(
      () => undefined,
      () => undefined,
    );
  }
}
