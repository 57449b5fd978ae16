import type { TurnMetrics } from "../events";
import { formatLatency } from "../format";

const stageNames: Record<string, string> = {
  vad_ms: "end of speech",
  stt_ms: "speech to text",
  brain_ms: "thinking",
  tts_first_chunk_ms: "first words",
};

/** The last reply's latency, discreetly; the stages are in the tooltip. */
export function Latency({ metrics }: { metrics: TurnMetrics | null }) {
  if (metrics === null) return null;
  const stages = Object.entries(metrics.stages)
    .map(
      ([name, ms]) =>
        `${stageNames[name] ?? name.replace(/_ms$/, "").replace(/_/g, " ")} ${formatLatency(ms)}`,
    )
    .join(", ");
  return (
    <p className="latency" data-testid="latency" data-latency-ms={metrics.latencyMs} title={stages}>
      Reply in {formatLatency(metrics.latencyMs)}
    </p>
  );
}
