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

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toCommandError(error);
  }
}
