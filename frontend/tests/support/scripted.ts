/**
 * Scripted stand-ins for what jsdom lacks (microphone, RTCPeerConnection): each test drives a
 * connection attempt step by step. The real browser path is covered by the Playwright E2E tests.
 */
import { vi, type Mock } from "vitest";
import type { Attempt, AttemptCallbacks, OpenAttempt } from "../../src/session/attempt";
import type { ControllerDeps } from "../../src/session/controller";
import type { SessionFailure } from "../../src/session/errors";
import type { MachineConfig } from "../../src/session/machine";

export const testConfig: MachineConfig = {
  iceTimeoutMs: 10_000,
  maxAttempts: 4,
  backoffBaseMs: 1_000,
  backoffMaxMs: 8_000,
  disconnectGraceMs: 5_000,
};

export class ScriptedAttempt implements Attempt {
  readonly sent: string[] = [];
  closed = false;
  private channelOpen = false;
  readonly microphone: MediaStream;
  private readonly callbacks: AttemptCallbacks;

  constructor(microphone: MediaStream, callbacks: AttemptCallbacks) {
    this.microphone = microphone;
    this.callbacks = callbacks;
  }

  send(data: string): boolean {
    if (this.closed || !this.channelOpen) return false;
    this.sent.push(data);
    return true;
  }

  close(): void {
    this.closed = true;
  }

  /** Session created, offer answered, ICE connected and channel open. */
  connect(sessionId = "session-1"): void {
    this.callbacks.sessionCreated(sessionId);
    this.callbacks.answered();
    this.channelOpen = true;
    this.callbacks.connectionState("connected");
  }

  createSession(sessionId: string): void {
    this.callbacks.sessionCreated(sessionId);
  }

  answer(): void {
    this.callbacks.answered();
  }

  connection(value: "connected" | "disconnected" | "failed" | "closed"): void {
    this.callbacks.connectionState(value);
  }

  receive(data: string): void {
    this.callbacks.message(data);
  }

  fail(failure: SessionFailure): void {
    this.callbacks.failed(failure);
  }
}

export class ScriptedAttempts {
  readonly attempts: ScriptedAttempt[] = [];

  readonly open: OpenAttempt = (microphone, callbacks) => {
    const attempt = new ScriptedAttempt(microphone, callbacks);
    this.attempts.push(attempt);
    return attempt;
  };

  get last(): ScriptedAttempt {
    const attempt = this.attempts.at(-1);
    if (!attempt) throw new Error("no attempt was opened");
    return attempt;
  }
}

export function fakeMicrophone(): MediaStream {
  return { getTracks: () => [], getAudioTracks: () => [] } as unknown as MediaStream;
}

/** Controller dependencies whose microphone answers with `microphone()` (default: granted). */
export function scriptedDeps(
  attempts: ScriptedAttempts,
  microphone: () => Promise<MediaStream> = () => Promise.resolve(fakeMicrophone()),
  config: MachineConfig = testConfig,
): ControllerDeps & { releaseMicrophone: Mock<(stream: MediaStream) => void> } {
  return {
    config,
    acquireMicrophone: microphone,
    releaseMicrophone: vi.fn<(stream: MediaStream) => void>(),
    openAttempt: attempts.open,
  };
}
