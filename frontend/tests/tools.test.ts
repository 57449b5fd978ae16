import { describe, expect, it } from "vitest";
import { parseAgentEvent } from "../src/protocol";
import { describeTool, type ToolActivity } from "../src/tools";
import { example } from "./support/eventsDoc";
import { eggNutrition, eggsTimer, lemonChicken, pancakes } from "./support/toolOutputs";

function activity(name: string, output: unknown, status: ToolActivity["status"] = "success") {
  return { id: "tu", name, input: {}, status, output };
}

describe("describeTool", () => {
  it("shows the documented conversion result large", () => {
    const parsed = parseAgentEvent(example("tool_result"));
    if (!parsed.ok || parsed.event.type !== "tool_result") throw new Error("bad example");
    const view = describeTool({ ...parsed.event, input: {} });
    expect(view).toEqual({
      kind: "conversion",
      title: "Conversion",
      result: "250 g",
      text: "2 cups of flour is about 250 g",
    });
  });

  it("says what is happening while a tool runs", () => {
    expect(describeTool(activity("search_recipes", null, "running"))).toEqual({
      kind: "pending",
      title: "Looking for recipes…",
    });
    expect(describeTool(activity("brand_new_tool", null, "running"))).toEqual({
      kind: "pending",
      title: "Running brand new tool…",
    });
  });

  it("lists recipe search results", () => {
    const view = describeTool(activity("search_recipes", { results: [lemonChicken, pancakes] }));
    expect(view.kind).toBe("recipes");
    if (view.kind === "recipes") {
      expect(view.recipes.map((r) => r.title)).toEqual(["Lemon Garlic Chicken", "Fluffy Pancakes"]);
    }
  });

  it("shows one opened recipe", () => {
    const view = describeTool(activity("get_recipe", lemonChicken));
    expect(view).toMatchObject({ kind: "recipe", recipe: { steps: lemonChicken.steps } });
  });

  it("shows nutrition facts", () => {
    expect(describeTool(activity("lookup_nutrition", eggNutrition))).toMatchObject({
      kind: "nutrition",
      facts: { calories_kcal: 143, food: "Egg, whole, raw, fresh" },
    });
  });

  it("sums up timer tools", () => {
    expect(describeTool(activity("set_timer", eggsTimer))).toMatchObject({
      kind: "timer",
      text: "Eggs timer set for 7 min",
    });
    expect(describeTool(activity("set_timer", { ...eggsTimer, label: "" }))).toMatchObject({
      text: "Timer set for 7 min",
    });
    expect(
      describeTool(activity("cancel_timer", { ...eggsTimer, status: "cancelled" })),
    ).toMatchObject({
      text: "Eggs timer cancelled",
    });
    expect(describeTool(activity("list_timers", { timers: [eggsTimer] }))).toMatchObject({
      text: "1 timer running",
    });
    expect(describeTool(activity("list_timers", { timers: [] }))).toMatchObject({
      text: "No timers running",
    });
  });

  it("shows a failed tool's message", () => {
    expect(
      describeTool(
        activity("convert_units", { message: "I don't know the unit 'cupz'." }, "error"),
      ),
    ).toEqual({ kind: "error", title: "Conversion", message: "I don't know the unit 'cupz'." });
    expect(describeTool(activity("convert_units", "boom", "error"))).toMatchObject({
      kind: "error",
      message: "That didn't work.",
    });
  });

  it("shows the message that replaced an output too large to send", () => {
    const trimmed = { message: "The result is too large to show here." };
    expect(describeTool(activity("get_recipe", trimmed))).toEqual({
      kind: "other",
      title: "Recipe",
      text: "The result is too large to show here.",
    });
  });

  it("falls back to a plain card for an answer of the wrong shape", () => {
    expect(describeTool(activity("convert_units", { grams: "lots" }))).toMatchObject({
      kind: "other",
    });
    expect(describeTool(activity("search_recipes", { results: "none" }))).toMatchObject({
      kind: "other",
    });
    expect(describeTool(activity("new_tool", { anything: 1 }))).toMatchObject({
      kind: "other",
      title: "new tool",
    });
  });
});
