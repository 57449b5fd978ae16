/**
 * What a tool call looks like on a card. The outputs are the tools service's JSON responses
 * (docs/tools.md), forwarded by the agent in `tool_result` events; anything that does not match
 * the expected shape is shown as a plain card instead of breaking the page.
 */
import { z } from "zod";
import { capitalize, formatDuration } from "./format";

export const recipeSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  ingredients: z.array(z.string()).default([]),
  steps: z.array(z.string()).default([]),
  total_minutes: z.number().optional(),
  servings: z.number().optional(),
  tags: z.array(z.string()).default([]),
});
export type Recipe = z.infer<typeof recipeSchema>;

const searchOutput = z.object({ results: z.array(recipeSchema) });

const conversionOutput = z.object({ quantity: z.number(), unit: z.string(), text: z.string() });

const nutritionOutput = z.object({
  food: z.string(),
  grams: z.number(),
  calories_kcal: z.number(),
  protein_g: z.number(),
  fat_g: z.number(),
  carbohydrates_g: z.number(),
  fiber_g: z.number().optional(),
  sugar_g: z.number().optional(),
  sodium_mg: z.number().optional(),
  source: z.string().optional(),
});
export type Nutrition = z.infer<typeof nutritionOutput>;

export const toolTimerSchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  duration_seconds: z.number().nonnegative(),
  ends_at: z.string(),
  status: z.string(),
  remaining_seconds: z.number().optional(),
  session_id: z.string().optional(),
});
export type ToolTimer = z.infer<typeof toolTimerSchema>;

export const timerListSchema = z.object({ timers: z.array(toolTimerSchema) });

const errorOutput = z.object({ message: z.string() });

export type ToolStatus = "running" | "success" | "error";

/** One tool call and, once it arrived, its result. */
export interface ToolActivity {
  id: string;
  name: string;
  input: Record<string, unknown>;
  status: ToolStatus;
  output: unknown;
}

export type ToolCardView =
  | { kind: "pending"; title: string }
  | { kind: "error"; title: string; message: string }
  | { kind: "recipes"; title: string; recipes: Recipe[] }
  | { kind: "recipe"; title: string; recipe: Recipe }
  | { kind: "conversion"; title: string; result: string; text: string }
  | { kind: "nutrition"; title: string; facts: Nutrition }
  | { kind: "timer"; title: string; text: string }
  | { kind: "other"; title: string; text: string };

const runningTitles: Record<string, string> = {
  search_recipes: "Looking for recipes…",
  get_recipe: "Opening the recipe…",
  convert_units: "Converting…",
  lookup_nutrition: "Looking up nutrition…",
  set_timer: "Setting a timer…",
  list_timers: "Checking your timers…",
  cancel_timer: "Cancelling a timer…",
};

/** The words a cook would use for a tool, for card titles. */
export function toolTitle(name: string): string {
  switch (name) {
    case "search_recipes":
      return "Recipes";
    case "get_recipe":
      return "Recipe";
    case "convert_units":
      return "Conversion";
    case "lookup_nutrition":
      return "Nutrition";
    case "set_timer":
    case "list_timers":
    case "cancel_timer":
      return "Timers";
    default:
      return name.replace(/_/g, " ");
  }
}

function formatNumber(value: number): string {
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: value < 10 ? 2 : 1 }).format(
    value,
  );
}

function describeTimerResult(name: string, output: unknown): string | null {
  if (name === "list_timers") {
    const list = timerListSchema.safeParse(output);
    if (!list.success) return null;
    const count = list.data.timers.length;
    return count === 0 ? "No timers running" : `${count} timer${count === 1 ? "" : "s"} running`;
  }
  const timer = toolTimerSchema.safeParse(output);
  if (!timer.success) return null;
  const label = timer.data.label ? `${capitalize(timer.data.label)} timer` : "Timer";
  return name === "cancel_timer"
    ? `${label} cancelled`
    : `${label} set for ${formatDuration(timer.data.duration_seconds)}`;
}

function describeSuccess(activity: ToolActivity): ToolCardView | null {
  const title = toolTitle(activity.name);
  switch (activity.name) {
    case "search_recipes": {
      const parsed = searchOutput.safeParse(activity.output);
      return parsed.success ? { kind: "recipes", title, recipes: parsed.data.results } : null;
    }
    case "get_recipe": {
      const parsed = recipeSchema.safeParse(activity.output);
      return parsed.success ? { kind: "recipe", title, recipe: parsed.data } : null;
    }
    case "convert_units": {
      const parsed = conversionOutput.safeParse(activity.output);
      if (!parsed.success) return null;
      const { quantity, unit, text } = parsed.data;
      return { kind: "conversion", title, result: `${formatNumber(quantity)} ${unit}`, text };
    }
    case "lookup_nutrition": {
      const parsed = nutritionOutput.safeParse(activity.output);
      return parsed.success ? { kind: "nutrition", title, facts: parsed.data } : null;
    }
    case "set_timer":
    case "list_timers":
    case "cancel_timer": {
      const text = describeTimerResult(activity.name, activity.output);
      return text === null ? null : { kind: "timer", title, text };
    }
    default:
      return null;
  }
}

/** Turns a tool activity into what its card shows. */
export function describeTool(activity: ToolActivity): ToolCardView {
  const title = toolTitle(activity.name);
  if (activity.status === "running") {
    return { kind: "pending", title: runningTitles[activity.name] ?? `Running ${title}…` };
  }
  if (activity.status === "error") {
    const parsed = errorOutput.safeParse(activity.output);
    const message = parsed.success ? parsed.data.message : "That didn't work.";
    return { kind: "error", title, message };
  }
  const message = errorOutput.safeParse(activity.output);
  return (
    describeSuccess(activity) ?? {
      kind: "other",
      title,
      // The agent replaces an output too large for the data channel with a message.
      text: message.success
        ? message.data.message
        : "Done, but the answer had an unexpected shape.",
    }
  );
}
