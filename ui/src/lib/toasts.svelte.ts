// Short confirmations in the corner; errors stay until dismissed.
export type Toast = { id: number; kind: "info" | "error"; text: string };

let next = 1;
export const toasts = $state<Toast[]>([]);

export function dismiss(id: number): void {
  const index = toasts.findIndex((t) => t.id === id);
  if (index >= 0) toasts.splice(index, 1);
}

export function notify(text: string, kind: Toast["kind"] = "info"): void {
  const id = next++;
  toasts.push({ id, kind, text });
  if (kind === "info") setTimeout(() => dismiss(id), 4000);
}
