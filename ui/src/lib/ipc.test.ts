import { describe, expect, it } from "vitest";
import { CommandError, toCommandError } from "./ipc";

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
