import { describe, expect, it } from "vitest";
import { FormState } from "./forms.svelte";

describe("form saves", () => {
  it("puts a field error beside its field and keeps the form open", async () => {
    const form = new FormState();
    const saved = await form.run(() => Promise.reject({ code: "invalid_input", message: "Enter a version.", field: "version" }));
    expect(saved).toBeUndefined();
    expect(form.fields).toEqual({ version: "Enter a version." });
    expect(form.invalid("version")).toBe("true");
    expect(form.message).toBeNull();
    expect(form.saving).toBe(false);
  });

  it("shows any other error above the buttons, and clears it on the next try", async () => {
    const form = new FormState();
    await form.run(() => Promise.reject({ code: "conflict", message: "Atlas already has a release 2.4.0.", field: null }));
    expect(form.message).toBe("Atlas already has a release 2.4.0.");
    expect(await form.run(() => Promise.resolve(42))).toBe(42);
    expect(form.message).toBeNull();
  });
});
