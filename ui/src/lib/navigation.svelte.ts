// Where a newcomer goes next: a view asks to open another one with something to do there (a new
// product, a product's first release, a product's releases). The App switches the view; the view it
// opens takes the intent once, as it starts.
export type ViewId = "timeline" | "releases" | "risks" | "changes" | "insights" | "products" | "activity" | "settings";

export type Intent =
  | { kind: "new_product" }
  | { kind: "new_release"; productId: number }
  | { kind: "product_releases"; productId: number };

export const navigation = $state<{ view: ViewId | null; intent: Intent | null }>({ view: null, intent: null });

/** Opens `view`, with `intent` for it to take. */
export function go(view: ViewId, intent: Intent | null = null): void {
  navigation.intent = intent;
  navigation.view = view;
}

/** The intent of `kind` waiting for the view that starts, once. */
export function take<K extends Intent["kind"]>(kind: K): Extract<Intent, { kind: K }> | null {
  const waiting = navigation.intent;
  if (!waiting || waiting.kind !== kind) return null;
  navigation.intent = null;
  return waiting as Extract<Intent, { kind: K }>;
}
