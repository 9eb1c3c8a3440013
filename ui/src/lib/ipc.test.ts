import { describe, expect, it, vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { CommandError, call, early, toCommandError } from "./ipc";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

/** Answers every command with `answer`, and lists the commands sent. */
function mockInvoke(answer: (command: string, args?: unknown) => unknown): string[] {
  const sent: string[] = [];
  vi.mocked(invoke).mockImplementation(async (command: string, args?: unknown) => {
    const reply = answer(command, args);
    sent.push(command);
    return reply as never;
  });
  return sent;
}

describe("errors from the Rust side", () => {
  it("keeps the code and field of a command error so forms can show it inline", () => {
    const error = toCommandError({ code: "invalid_input", message: "Enter a version.", field: "version" });
    expect(error).toBeInstanceOf(CommandError);
    expect([error.code, error.field, error.message]).toEqual(["invalid_input", "version", "Enter a version."]);
  });

  it("wraps anything else as an internal error with its text", () => {
    const error = toCommandError("invalid args `id` for command `get_release`");
    expect(error.code).toBe("internal");
    expect(error.message).toContain("invalid args `id`");
  });
});

describe("replies asked for early", () => {
  it("go once to the same call made next, and a call with other arguments goes to the backend", async () => {
    const sent = mockInvoke((command, args) => `${command} ${JSON.stringify(args ?? {})} #${sent.length}`);
    early(() => void call("get_timeline", { filter: { from: "2026-09-03" } }));
    expect(sent).toEqual(["get_timeline"]);
    expect(await call("get_timeline", { filter: { from: "2026-01-01" } })).toBe('get_timeline {"filter":{"from":"2026-01-01"}} #1');
    expect(await call("get_timeline", { filter: { from: "2026-09-03" } })).toBe('get_timeline {"filter":{"from":"2026-09-03"}} #0');
    expect(await call("get_timeline", { filter: { from: "2026-09-03" } })).toBe('get_timeline {"filter":{"from":"2026-09-03"}} #2');
    expect(sent).toHaveLength(3);
  });

  it("are not taken once they are old: the backend is asked again", async () => {
    const sent = mockInvoke(() => sent.length);
    const now = vi.spyOn(performance, "now").mockReturnValue(1000);
    early(() => void call("get_settings"));
    now.mockReturnValue(1000 + 60_000);
    expect(await call("get_settings")).toBe(1);
    now.mockRestore();
  });

  it("that failed reach the call that takes them as a command error", async () => {
    mockInvoke(() => {
      throw { code: "not_found", message: "No such release.", field: null };
    });
    early(() => void call("app_info"));
    await expect(call("app_info")).rejects.toMatchObject({ code: "not_found", message: "No such release." });
  });
});
