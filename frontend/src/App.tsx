import type { AuthSession } from "./auth/session";
import { Account } from "./components/Account";
import { AgentAudio } from "./components/AgentAudio";
import { AskBox } from "./components/AskBox";
import { Latency } from "./components/Latency";
import { SessionError } from "./components/SessionError";
import { SignIn } from "./components/SignIn";
import { StatusLine } from "./components/StatusLine";
import { TalkButton } from "./components/TalkButton";
import { TimerAlert } from "./components/TimerAlert";
import { Timers } from "./components/Timers";
import { ToolCards } from "./components/ToolCards";
import { Transcript } from "./components/Transcript";
import type { Credentials } from "./api/signaling";
import type { Settings } from "./config";
import { useAuth } from "./hooks/useAuth";
import { useNow } from "./hooks/useNow";
import { useSpaceShortcut } from "./hooks/useSpaceShortcut";
import { useTimerAlerts } from "./hooks/useTimerAlerts";
import { useVoiceSession } from "./hooks/useVoiceSession";
import type { ControllerDeps } from "./session/controller";
import { isActive, isConnected } from "./session/machine";
import "./App.css";

/** How often countdowns redraw; under a second so they never skip a number. */
const COUNTDOWN_REFRESH_MS = 250;

interface Props {
  settings: Settings;
  /** The sign-in this server asks for (GET /api/config); its credentials go on every request. */
  auth: AuthSession;
  /** The browser's microphone and WebRTC unless given (tests script them). */
  makeDeps?: (settings: Settings, credentials: Credentials) => ControllerDeps;
}

const doNothing = () => undefined;

export function App({ settings, auth, makeDeps }: Props) {
  const signIn = useAuth(auth);
  const voice = useVoiceSession(settings, auth, makeDeps);
  const { session, conversation } = voice;
  const now = useNow(COUNTDOWN_REFRESH_MS, conversation.timers.length > 0);
  const alerts = useTimerAlerts(conversation.timers, now);
  const active = isActive(session.phase);
  const needsSignIn = signIn.mode !== null && signIn.mode !== "none" && !signIn.signedIn;

  const start = () => {
    alerts.unlockSound();
    voice.start();
  };
  const signOut = () => {
    // First, so the session's DELETE still carries the credentials.
    voice.stop();
    auth.signOut();
  };
  useSpaceShortcut(active ? voice.stop : needsSignIn ? doNothing : start);

  return (
    <div className="app">
      <TimerAlert ringing={alerts.ringing} onDismiss={voice.dismissTimer} />
      <header className="topbar">
        <h1 className="brand">
          Sous <span className="brand-tag">your voice sous-chef</span>
        </h1>
        <div className="topbar-end">
          <Latency metrics={conversation.metrics} />
          <Account auth={signIn} onSignOut={signOut} />
        </div>
      </header>
      <main className="layout">
        <div className="column main-column">
          <section className="panel control" aria-label="Voice">
            {needsSignIn && !active ? (
              <SignIn
                auth={signIn}
                onSignIn={() => void auth.signIn()}
                onToken={(token) => {
                  auth.enterToken(token);
                }}
              />
            ) : (
              <>
                <TalkButton phase={session.phase} onStart={start} onStop={voice.stop} />
                <div className="control-text">
                  <StatusLine session={session} maxAttempts={settings.maxAttempts} />
                </div>
                {session.phase === "error" && session.failure ? (
                  <SessionError failure={session.failure} onRetry={start} />
                ) : null}
              </>
            )}
          </section>
          <Transcript feed={conversation.feed}>
            <AskBox
              enabled={isConnected(session.phase)}
              maxLength={settings.maxTextLength}
              onSend={voice.sendText}
            />
          </Transcript>
        </div>
        <div className="column side-column">
          <Timers
            timers={conversation.timers}
            now={now}
            onCancel={voice.cancelTimer}
            onDismiss={voice.dismissTimer}
          />
          <ToolCards tools={conversation.tools} />
        </div>
      </main>
      <AgentAudio stream={voice.remoteStream} />
    </div>
  );
}
