// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../src/App";
import { AuthSession } from "../../src/auth/session";
import { defaultSettings } from "../../src/config";
import { TestPage } from "../support/authPage";
import { example, exampleWith } from "../support/eventsDoc";
import { fakeMicrophone, ScriptedAttempts, scriptedDeps } from "../support/scripted";
import { SignInServer } from "../support/signInServer";
import { eggNutrition, lemonChicken, pancakes } from "../support/toolOutputs";

let attempts: ScriptedAttempts;
/** Signaling's `GET /api/config`: this server has no sign-in. */
let signaling: SignInServer;

beforeAll(async () => {
  signaling = await SignInServer.start();
  signaling.mode = "none";
});

afterAll(async () => {
  await signaling.close();
});

beforeEach(() => {
  attempts = new ScriptedAttempts();
  document.title = "Sous";
});

afterEach(() => {
  vi.useRealTimers();
});

function renderApp(microphone?: () => Promise<MediaStream>) {
  const deps = scriptedDeps(attempts, microphone);
  const auth = new AuthSession(
    { apiBase: signaling.base, requestTimeoutMs: 2_000 },
    new TestPage(),
  );
  render(<App settings={defaultSettings} auth={auth} makeDeps={() => deps} />);
  return deps;
}

const stateText = () => screen.getByTestId("session-state");

async function startAndConnect(user = userEvent.setup()) {
  await user.click(screen.getByRole("button", { name: "Start talking" }));
  await waitFor(() => {
    expect(attempts.attempts).toHaveLength(1);
  });
  act(() => {
    attempts.last.connect("s1");
  });
  return user;
}

function receive(...messages: string[]) {
  act(() => {
    for (const message of messages) attempts.last.receive(message);
  });
}

describe("the main button and state", () => {
  it("goes from Ready to Connecting to Listening, then back on Stop", async () => {
    renderApp();
    expect(stateText()).toHaveTextContent("Ready");
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Start talking" }));
    expect(stateText()).toHaveTextContent("Connecting…");
    expect(stateText()).toHaveAttribute("data-state", "connecting");
    await waitFor(() => {
      expect(attempts.attempts).toHaveLength(1);
    });
    act(() => {
      attempts.last.connect();
    });
    expect(stateText()).toHaveTextContent("Listening");
    receive(example("state"));
    expect(stateText()).toHaveTextContent("Thinking…");
    await user.click(screen.getByRole("button", { name: "Stop" }));
    expect(stateText()).toHaveTextContent("Ready");
    expect(attempts.last.closed).toBe(true);
  });

  it("toggles with the space bar", () => {
    renderApp();
    fireEvent.keyDown(document.body, { key: " ", code: "Space" });
    expect(stateText()).toHaveTextContent("Connecting…");
    fireEvent.keyDown(document.body, { key: " ", code: "Space" });
    expect(stateText()).toHaveTextContent("Ready");
  });

  it("leaves the space bar alone while typing a question", async () => {
    renderApp();
    const user = await startAndConnect();
    const input = screen.getByRole("textbox", { name: "Type a question" });
    await user.type(input, "two cups of flour in grams");
    expect(input).toHaveValue("two cups of flour in grams");
    expect(stateText()).toHaveTextContent("Listening");
  });

  it("explains a blocked microphone and tries again", async () => {
    const microphone = vi
      .fn<() => Promise<MediaStream>>()
      .mockRejectedValueOnce(new DOMException("Permission denied", "NotAllowedError"))
      .mockResolvedValue(fakeMicrophone());
    renderApp(microphone);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Start talking" }));
    const alert = await screen.findByTestId("session-error");
    expect(alert).toHaveAttribute("data-cause", "permission-denied");
    expect(within(alert).getByRole("heading")).toHaveTextContent("Microphone blocked");
    expect(alert).toHaveTextContent("Allow it for this page");
    expect(stateText()).toHaveTextContent("Not connected");
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    await waitFor(() => {
      expect(attempts.attempts).toHaveLength(1);
    });
    expect(screen.queryByTestId("session-error")).toBeNull();
    expect(stateText()).toHaveTextContent("Connecting…");
  });

  it("asks to allow the microphone while the browser asks", async () => {
    renderApp(() => new Promise<MediaStream>(() => undefined));
    await userEvent.setup().click(screen.getByRole("button", { name: "Start talking" }));
    expect(screen.getByText("Allow the microphone if your browser asks.")).toBeVisible();
    expect(screen.getByRole("button", { name: "Stop" })).toBeVisible();
  });

  it("says when there are too many sessions", async () => {
    renderApp();
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Start talking" }));
    await waitFor(() => {
      expect(attempts.attempts).toHaveLength(1);
    });
    act(() => {
      attempts.last.fail({ cause: "too-many-sessions", detail: "3 sessions per address" });
    });
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Sous is open elsewhere");
    expect(alert).toHaveTextContent("Details: 3 sessions per address");
  });
});

describe("the conversation", () => {
  it("shows both sides by role, with partials replaced", async () => {
    renderApp();
    await startAndConnect();
    receive(
      exampleWith("transcript", { text: "how many grams", final: false }),
      example("transcript"),
      exampleWith("transcript", { role: "assistant", text: "About 250 g.", final: true }),
    );
    const entries = screen.getAllByTestId("transcript-entry");
    expect(entries.map((e) => [e.dataset.role, e.textContent])).toEqual([
      ["user", "Youhow many grams is two cups of flour"],
      ["assistant", "SousAbout 250 g."],
    ]);
  });

  it("sends a typed question and shows it", async () => {
    renderApp();
    const user = await startAndConnect();
    await user.type(
      screen.getByRole("textbox", { name: "Type a question" }),
      "is a pinch a lot?{Enter}",
    );
    expect(JSON.parse(attempts.last.sent[0] ?? "")).toEqual({
      v: 1,
      type: "text",
      text: "is a pinch a lot?",
    });
    expect(screen.getByTestId("transcript-entry")).toHaveTextContent("is a pinch a lot?");
    expect(screen.getByRole("textbox", { name: "Type a question" })).toHaveValue("");
  });

  it("shows the agent's errors as notices", async () => {
    renderApp();
    await startAndConnect();
    receive(example("error"));
    expect(screen.getByTestId("agent-error")).toHaveTextContent(
      "The tools service is not answering",
    );
  });

  it("shows the last reply's latency discreetly", async () => {
    renderApp();
    await startAndConnect();
    receive(example("metrics"));
    expect(screen.getByTestId("latency")).toHaveTextContent("Reply in 612 ms");
  });
});

describe("tool cards", () => {
  it("shows a conversion large", async () => {
    renderApp();
    await startAndConnect();
    receive(example("tool_call"));
    expect(screen.getByTestId("tool-card")).toHaveAttribute("data-kind", "pending");
    receive(example("tool_result"));
    const card = screen.getByTestId("tool-card");
    expect(card).toHaveAttribute("data-kind", "conversion");
    expect(card).toHaveTextContent("250 g");
    expect(card).toHaveTextContent("2 cups of flour is about 250 g");
  });

  it("shows recipes at a glance with steps one tap away", async () => {
    renderApp();
    const user = await startAndConnect();
    receive(
      exampleWith("tool_result", {
        id: "tu9",
        name: "search_recipes",
        output: { results: [lemonChicken, pancakes] },
      }),
    );
    const card = screen.getByTestId("tool-card");
    expect(card).toHaveAttribute("data-kind", "recipes");
    const [chicken] = within(card).getAllByTestId("recipe");
    if (!chicken) throw new Error("no recipe shown");
    expect(chicken).toHaveTextContent("Lemon Garlic Chicken");
    expect(chicken).toHaveTextContent("50 min · serves 4");
    expect(chicken).toHaveTextContent(
      "4 bone-in chicken thighs, 2 lemons, 6 cloves garlic, 2 tbsp olive oil, 1 tsp salt +2 more",
    );
    const steps = within(chicken).getByTestId("recipe-steps");
    expect(steps).not.toBeVisible();
    await user.click(within(chicken).getByText("Show recipe (3 steps)"));
    expect(steps).toBeVisible();
    expect(within(steps).getAllByRole("listitem")[0]).toHaveTextContent("Heat the oven to 220 °C.");
  });

  it("shows search results that came without their steps", async () => {
    renderApp();
    const user = await startAndConnect();
    const withoutSteps: Partial<typeof lemonChicken> = { ...lemonChicken };
    delete withoutSteps.steps;
    receive(
      exampleWith("tool_result", {
        id: "tu7",
        name: "search_recipes",
        output: { results: [withoutSteps] },
      }),
    );
    const recipe = screen.getByTestId("recipe");
    expect(within(recipe).queryByTestId("recipe-steps")).toBeNull();
    await user.click(within(recipe).getByText("Show ingredients"));
    expect(within(recipe).getByText("Ask Sous to open this recipe for its steps.")).toBeVisible();
    expect(within(recipe).getByText("1 sprig rosemary")).toBeVisible();
  });

  it("shows nutrition facts", async () => {
    renderApp();
    await startAndConnect();
    receive(
      exampleWith("tool_result", { id: "tu8", name: "lookup_nutrition", output: eggNutrition }),
    );
    const card = screen.getByTestId("tool-card");
    expect(card).toHaveAttribute("data-kind", "nutrition");
    expect(card).toHaveTextContent("143 kcal");
    expect(card).toHaveTextContent("Protein12.6 g");
    expect(card).toHaveTextContent("USDA FoodData Central 171287");
  });

  it("puts the newest card first", async () => {
    renderApp();
    await startAndConnect();
    receive(
      example("tool_result"),
      exampleWith("tool_result", { id: "tu8", name: "lookup_nutrition", output: eggNutrition }),
    );
    expect(screen.getAllByTestId("tool-card").map((c) => c.dataset.kind)).toEqual([
      "nutrition",
      "conversion",
    ]);
  });
});

describe("timers", () => {
  it("count down live, and cancel through the agent", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    renderApp();
    const user = await startAndConnect(
      userEvent.setup({ advanceTimers: vi.advanceTimersByTime.bind(vi) }),
    );
    receive(exampleWith("timer", { action: "set" }));
    const row = screen.getByTestId("timer");
    expect(within(row).getByTestId("timer-label")).toHaveTextContent("Pasta");
    expect(within(row).getByTestId("timer-remaining")).toHaveTextContent("8:00");
    await act(async () => {
      await vi.advanceTimersByTimeAsync(61_000);
    });
    expect(within(row).getByTestId("timer-remaining")).toHaveTextContent("6:59");
    expect(row).toHaveAttribute("data-remaining-seconds", "419");
    await user.click(within(row).getByRole("button", { name: "Cancel Pasta timer" }));
    expect(JSON.parse(attempts.last.sent[0] ?? "")).toMatchObject({ type: "cancel_timer" });
    receive(exampleWith("timer", { action: "cancelled" }));
    expect(screen.queryByTestId("timer")).toBeNull();
  });

  it("ring when fired, in the page and the tab title, until dismissed", async () => {
    renderApp();
    const user = await startAndConnect();
    receive(exampleWith("timer", { action: "set" }), example("timer"));
    const alert = screen.getByTestId("timer-alert");
    expect(alert).toHaveTextContent("Pasta timer is done");
    expect(screen.getByTestId("timer")).toHaveAttribute("data-status", "ringing");
    expect(document.title).toBe("⏰ Pasta timer is done");
    await user.click(within(alert).getByRole("button", { name: "Dismiss Pasta timer" }));
    expect(screen.queryByTestId("timer-alert")).toBeNull();
    expect(screen.queryByTestId("timer")).toBeNull();
    expect(document.title).toBe("Sous");
  });

  it("ring when the countdown reaches zero, even before the agent says so", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    renderApp();
    await startAndConnect(userEvent.setup({ advanceTimers: vi.advanceTimersByTime.bind(vi) }));
    receive(
      exampleWith("timer", {
        action: "set",
        timer: { id: "t1", label: "eggs", duration_seconds: 5, ends_at: "" },
      }),
    );
    expect(screen.queryByTestId("timer-alert")).toBeNull();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_300);
    });
    expect(screen.getByTestId("timer-alert")).toHaveTextContent("Eggs timer is done");
    expect(screen.getByTestId("timer-remaining")).toHaveTextContent("0:00");
  });
});
