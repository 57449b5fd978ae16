/**
 * The voice session as React sees it: the connection state (session/machine.ts, run by
 * session/controller.ts), the conversation built from the agent's events (events.ts), and the
 * actions of the page. The session closes on Stop, on unmount and on `pagehide`.
 */
import { useCallback, useEffect, useReducer, useState, useSyncExternalStore } from "react";
import { SignalingClient, type Credentials } from "../api/signaling";
import type { Settings } from "../config";
import { conversationReducer, initialConversation, type ConversationState } from "../events";
import { cancelTimerMessage, textMessage } from "../protocol";
import { webRtcAttempts } from "../session/attempt";
import { VoiceSessionController, type ControllerDeps } from "../session/controller";
import { isConnected, type SessionState } from "../session/machine";
import { acquireMicrophone, releaseMicrophone } from "../session/microphone";

export interface VoiceSession {
  session: SessionState;
  conversation: ConversationState;
  remoteStream: MediaStream | null;
  start: () => void;
  stop: () => void;
  /** Sends a typed question; false when it could not be sent (not connected, empty, too long). */
  sendText: (text: string) => boolean;
  cancelTimer: (timerId: string) => void;
  dismissTimer: (timerId: string) => void;
}

/** The real browser pieces: microphone, WebRTC and the signaling API with these credentials. */
export function browserDeps(settings: Settings, credentials: Credentials): ControllerDeps {
  const client = new SignalingClient(settings.apiBase, settings.requestTimeoutMs, credentials);
  return {
    config: settings,
    acquireMicrophone,
    releaseMicrophone,
    openAttempt: webRtcAttempts(client, settings),
  };
}

export function useVoiceSession(
  settings: Settings,
  credentials: Credentials,
  makeDeps: (settings: Settings, credentials: Credentials) => ControllerDeps = browserDeps,
): VoiceSession {
  const [controller] = useState(() => new VoiceSessionController(makeDeps(settings, credentials)));
  const { session, remoteStream } = useSyncExternalStore(
    controller.subscribe,
    controller.getSnapshot,
  );
  const [conversation, dispatch] = useReducer(conversationReducer, settings, initialConversation);

  useEffect(
    () =>
      controller.onAgentEvent((event) => {
        dispatch({ type: "event", event, at: Date.now() });
      }),
    [controller],
  );

  useEffect(() => {
    if (session.sessionId !== null)
      dispatch({ type: "sessionStarted", sessionId: session.sessionId });
  }, [session.sessionId]);

  useEffect(() => {
    // pagehide fires on tab close, reload and navigation, also where unload does not (mobile).
    const onPageHide = () => {
      controller.stop();
    };
    window.addEventListener("pagehide", onPageHide);
    return () => {
      window.removeEventListener("pagehide", onPageHide);
      controller.stop();
    };
  }, [controller]);

  const connected = isConnected(session.phase);

  const sendText = useCallback(
    (text: string) => {
      const question = text.trim();
      if (!connected || question === "" || question.length > settings.maxTextLength) return false;
      if (!controller.send(textMessage(question))) return false;
      dispatch({ type: "textSent", text: question });
      return true;
    },
    [controller, connected, settings.maxTextLength],
  );

  const cancelTimer = useCallback(
    (timerId: string) => {
      const timer = conversation.timers.find((t) => t.id === timerId);
      if (!timer) return;
      // Only the session that set a timer can cancel it; one from an earlier session is just
      // taken off the screen (nobody would hear it ring anyway).
      const ownedHere = connected && timer.sessionId === session.sessionId;
      if (ownedHere && controller.send(cancelTimerMessage(timerId))) {
        dispatch({ type: "timerCancelRequested", id: timerId });
      } else {
        dispatch({ type: "timerDismissed", id: timerId });
      }
    },
    [controller, connected, conversation.timers, session.sessionId],
  );

  const dismissTimer = useCallback((timerId: string) => {
    dispatch({ type: "timerDismissed", id: timerId });
  }, []);

  const start = useCallback(() => {
    controller.start();
  }, [controller]);
  const stop = useCallback(() => {
    controller.stop();
  }, [controller]);

  return { session, conversation, remoteStream, start, stop, sendText, cancelTimer, dismissTimer };
}
