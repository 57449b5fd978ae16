import { useEffect, useRef } from "react";

/** Plays the agent's voice. The Start click counts as the gesture browsers want for autoplay. */
export function AgentAudio({ stream }: { stream: MediaStream | null }) {
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const element = audio.current;
    if (!element) return;
    element.srcObject = stream;
    if (stream)
      element.play().catch((error: unknown) => {
        console.warn("Sous: the agent's voice could not start playing", error);
      });
  }, [stream]);
  return <audio ref={audio} data-testid="agent-audio" autoPlay hidden />;
}
