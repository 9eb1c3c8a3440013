// The one door to the Rust side. Every command's errors arrive as { code, message, field }; anything
// else (a malformed argument caught by Tauri itself) is turned into the same shape.
import { invoke } from "@tauri-apps/api/core";
import type { ErrorCode, IpcError } from "./generated/ipc";

export class CommandError extends Error {
  readonly code: ErrorCode | "internal";
  readonly field: string | null;

  constructor(code: ErrorCode | "internal", message: string, field: string | null = null) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

function isIpcError(value: unknown): value is IpcError {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  if (isIpcError(error)) return new CommandError(error.code, error.message, error.field ?? null);
  const message = error instanceof Error ? error.message : String(error);
  return new CommandError("internal", `Relman could not complete that: ${message}`);
}

async function send<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toCommandError(error);
  }
}

/** How long a reply asked for early waits to be taken: the first view asks within a second. */
const EARLY_MS = 5000;
const kept = new Map<string, { reply: Promise<unknown>; at: number }>();
let asking = false;
const keyOf = (command: string, args?: Record<string, unknown>) => `${command} ${JSON.stringify(args ?? {})}`;

/**
 * Sends the calls `ask` makes now and keeps their replies for whoever makes the same call (the same
 * command with the same arguments) next, once, in the next few seconds: the page asks for its first
 * screen's data as it starts, while the app's code is still loading. After that, or asked a second
 * time, a call goes to the backend as usual, so nothing older than the first view is ever shown.
 */
export function early(ask: () => unknown): void {
  asking = true;
  try {
    ask();
  } finally {
    asking = false;
  }
}

export function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  const key = keyOf(command, args);
  if (asking) {
    const reply = send<T>(command, args);
    // Nobody may take it: its failure is then reported by the call that asks again.
    reply.catch(() => {});
    kept.set(key, { reply, at: performance.now() });
    return reply;
  }
  const taken = kept.get(key);
  if (taken) {
    kept.delete(key);
    if (performance.now() - taken.at < EARLY_MS) return taken.reply as Promise<T>;
  }
  return send<T>(command, args);
}
