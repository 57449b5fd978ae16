/**
 * The examples of docs/events.md, read from the file itself so the frontend is tested against the
 * same contract the services are: each `<!-- example: NAME -->` followed by a ```json block.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const docPath = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/events.md");

function readExamples(): Map<string, string> {
  const text = readFileSync(docPath, "utf8");
  const pattern = /<!-- example: ([\w.]+) -->\s*```json\s*\n([\s\S]*?)\n```/g;
  const examples = new Map<string, string>();
  for (const match of text.matchAll(pattern)) {
    const [, name, json] = match;
    if (name !== undefined && json !== undefined) examples.set(name, json.trim());
  }
  return examples;
}

export const examples = readExamples();

/** The raw JSON text of one example, as it would arrive on the data channel. */
export function example(name: string): string {
  const json = examples.get(name);
  if (json === undefined) throw new Error(`docs/events.md has no example named ${name}`);
  return json;
}

/** One example parsed, with fields overridden (for variations of the documented event). */
export function exampleWith(name: string, overrides: Record<string, unknown>): string {
  return JSON.stringify({
    ...(JSON.parse(example(name)) as Record<string, unknown>),
    ...overrides,
  });
}

/** Names of the data-channel examples the agent sends (section 2 of the doc). */
export const agentExampleNames = [
  "transcript",
  "state",
  "tool_call",
  "tool_result",
  "timer",
  "metrics",
  "error",
  "session",
];
