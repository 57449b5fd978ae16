/**
 * One connection attempt in the browser: a signaling session, an `RTCPeerConnection` carrying
 * the microphone and the agent's voice, the `events` data channel (created here, ordered), and
 * trickle ICE both ways. It reports what happens through callbacks and never calls them again
 * once closed; closing deletes the session (with `keepalive`, so it also works on page unload).
 */
import type { CandidateInit, SignalingClient } from "../api/signaling";
import { failureFromError, type SessionFailure } from "./errors";
import type { ConnectionStateValue } from "./machine";

export interface AttemptCallbacks {
  sessionCreated: (sessionId: string) => void;
  /** The agent's answer is applied: ICE checks run from here on. */
  answered: () => void;
  /** `connected` means ICE and DTLS are up and the data channel is open. */
  connectionState: (value: ConnectionStateValue) => void;
  message: (data: unknown) => void;
  remoteStream: (stream: MediaStream) => void;
  failed: (failure: SessionFailure) => void;
}

export interface Attempt {
  /** Sends one data-channel message; false when the channel is not open. */
  send: (data: string) => boolean;
  close: () => void;
}

export type OpenAttempt = (microphone: MediaStream, callbacks: AttemptCallbacks) => Attempt;

export interface AttemptSettings {
  candidatePollMs: number;
}

export const EVENTS_CHANNEL = "events";

/** The `a=candidate:` lines of an SDP, as they appear in trickled candidates. */
function sdpCandidates(sdp: string): Set<string> {
  const lines = sdp.split(/\r?\n/).filter((line) => line.startsWith("a=candidate:"));
  return new Set(lines.map((line) => line.slice(2)));
}

class WebRtcAttempt implements Attempt {
  private readonly abort = new AbortController();
  private peer: RTCPeerConnection | null = null;
  private channel: RTCDataChannel | null = null;
  private sessionId: string | null = null;
  private closed = false;
  private lastReported: ConnectionStateValue | null = null;
  /** Client candidates are posted one after the other, in the order ICE found them. */
  private candidateQueue: Promise<void> = Promise.resolve();
  /** Chromium may report one candidate twice; the agent needs it once. */
  private readonly postedCandidates = new Set<string>();
  private pollTimer: ReturnType<typeof setTimeout> | null = null;

  private readonly client: SignalingClient;
  private readonly settings: AttemptSettings;
  private readonly microphone: MediaStream;
  private readonly callbacks: AttemptCallbacks;

  constructor(
    client: SignalingClient,
    settings: AttemptSettings,
    microphone: MediaStream,
    callbacks: AttemptCallbacks,
  ) {
    this.client = client;
    this.settings = settings;
    this.microphone = microphone;
    this.callbacks = callbacks;
    void this.run();
  }

  /** A method, not a field read, so checks after an `await` are not narrowed away. */
  private isClosed(): boolean {
    return this.closed;
  }

  send(data: string): boolean {
    if (this.isClosed() || this.channel?.readyState !== "open") return false;
    this.channel.send(data);
    return true;
  }

  close(): void {
    if (this.isClosed()) return;
    this.closed = true;
    this.abort.abort();
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.channel?.close();
    this.peer?.close();
    if (this.sessionId !== null) void this.client.closeSession(this.sessionId);
  }

  private fail(error: unknown): void {
    if (!this.isClosed()) this.callbacks.failed(failureFromError(error));
  }

  private async run(): Promise<void> {
    try {
      const session = await this.client.createSession(this.abort.signal);
      this.sessionId = session.sessionId;
      if (this.isClosed()) {
        void this.client.closeSession(session.sessionId);
        return;
      }
      this.callbacks.sessionCreated(session.sessionId);
      const peer = this.createPeer(session.iceServers);
      await peer.setLocalDescription(await peer.createOffer());
      const offer = peer.localDescription;
      if (this.isClosed() || offer === null) return;
      const answer = await this.client.sendOffer(session.sessionId, offer.sdp, this.abort.signal);
      if (this.isClosed()) return;
      await peer.setRemoteDescription(answer);
      if (this.isClosed()) return;
      this.callbacks.answered();
      this.pollAgentCandidates(session.sessionId, sdpCandidates(answer.sdp));
    } catch (error) {
      this.fail(error);
    }
  }

  private createPeer(iceServers: RTCIceServer[]): RTCPeerConnection {
    const peer = new RTCPeerConnection({ iceServers });
    this.peer = peer;
    for (const track of this.microphone.getAudioTracks()) peer.addTrack(track, this.microphone);
    const channel = peer.createDataChannel(EVENTS_CHANNEL, { ordered: true });
    this.channel = channel;
    channel.onopen = () => {
      this.reportConnection();
    };
    channel.onclose = () => {
      this.report("closed");
    };
    channel.onmessage = (event: MessageEvent) => {
      if (!this.isClosed()) this.callbacks.message(event.data);
    };
    peer.ontrack = (event) => {
      if (!this.isClosed())
        this.callbacks.remoteStream(event.streams[0] ?? new MediaStream([event.track]));
    };
    peer.onicecandidate = (event) => {
      this.postCandidate(event.candidate);
    };
    peer.onconnectionstatechange = () => {
      this.reportConnection();
    };
    return peer;
  }

  private reportConnection(): void {
    const state = this.peer?.connectionState;
    if (state === "connected") {
      // Audio alone is not enough: the page needs the events channel too.
      if (this.channel?.readyState === "open") this.report("connected");
    } else if (state === "disconnected" || state === "failed" || state === "closed") {
      this.report(state);
    }
  }

  private report(value: ConnectionStateValue): void {
    if (this.isClosed() || this.lastReported === value) return;
    this.lastReported = value;
    this.callbacks.connectionState(value);
  }

  private postCandidate(candidate: RTCIceCandidate | null): void {
    const sessionId = this.sessionId;
    if (sessionId === null || this.isClosed()) return;
    // A null candidate ends gathering: the agent learns it as an empty candidate string.
    const init: CandidateInit = {
      candidate: candidate?.candidate ?? "",
      sdpMid: candidate?.sdpMid ?? "0",
      sdpMLineIndex: candidate?.sdpMLineIndex ?? 0,
    };
    if (this.postedCandidates.has(init.candidate)) return;
    this.postedCandidates.add(init.candidate);
    this.candidateQueue = this.candidateQueue.then(async () => {
      if (this.isClosed()) return;
      try {
        await this.client.addCandidate(sessionId, init, this.abort.signal);
      } catch (error) {
        const failure = failureFromError(error);
        // One rejected candidate is not fatal (others may work); a vanished session is.
        if (failure.cause === "session-gone") this.fail(error);
        else if (!this.isClosed())
          console.warn("Sous: a network candidate was not accepted", error);
      }
    });
  }

  private pollAgentCandidates(sessionId: string, known: Set<string>): void {
    const poll = async () => {
      this.pollTimer = null;
      if (this.isClosed() || this.lastReported === "connected") return;
      let complete = false;
      try {
        const answer = await this.client.agentCandidates(sessionId, this.abort.signal);
        complete = answer.complete;
        for (const candidate of answer.candidates) {
          if (this.isClosed() || known.has(candidate.candidate)) continue;
          known.add(candidate.candidate);
          await this.peer?.addIceCandidate(candidate);
        }
      } catch (error) {
        const failure = failureFromError(error);
        if (failure.cause === "session-gone") {
          this.fail(error);
          return;
        }
        // Otherwise keep trying; the ICE timeout bounds how long.
      }
      if (!complete && !this.isClosed()) {
        this.pollTimer = setTimeout(() => void poll(), this.settings.candidatePollMs);
      }
    };
    void poll();
  }
}

/** Opens attempts against the signaling API with the browser's own WebRTC. */
export function webRtcAttempts(client: SignalingClient, settings: AttemptSettings): OpenAttempt {
  return (microphone, callbacks) => new WebRtcAttempt(client, settings, microphone, callbacks);
}
