// What every form dialog does with a save: a field error lands beside its field, any other error above
// the buttons, and the button is disabled while the save runs.
import { untrack } from "svelte";
import { toCommandError } from "./ipc";

/**
 * Runs `reset` each time a dialog opens, and only then: a refresh of the data behind an open form
 * must not clear what the user typed. Call it while a component initialises.
 */
export function resetWhenOpened(isOpen: () => boolean, reset: () => void): void {
  $effect(() => {
    if (isOpen()) untrack(reset);
  });
}

export class FormState {
  fields = $state<Record<string, string>>({});
  message = $state<string | null>(null);
  saving = $state(false);

  reset(): void {
    this.fields = {};
    this.message = null;
  }

  /** A check made before asking Rust, for the obvious cases (an empty required field). */
  fail(field: string, message: string): void {
    this.fields = { [field]: message };
  }

  /** Runs `save`; returns its value, or undefined when it failed and the error is shown. */
  async run<T>(save: () => Promise<T>): Promise<T | undefined> {
    this.reset();
    this.saving = true;
    try {
      return await save();
    } catch (error) {
      const e = toCommandError(error);
      if (e.field) this.fields = { [e.field]: e.message };
      else this.message = e.message;
      return undefined;
    } finally {
      this.saving = false;
    }
  }

  /** A form's `oninput`: the error of the field being edited clears as soon as the user changes it
   * (its id names the field, as the errors do), instead of staying red until the next save. */
  edited = (event: Event): void => {
    const id = (event.target as HTMLElement | null)?.id;
    if (!id || !this.fields[id]) return;
    const { [id]: _, ...rest } = this.fields;
    this.fields = rest;
  };

  invalid(field: string): "true" | undefined {
    return this.fields[field] ? "true" : undefined;
  }
}
