// The keyboard map, shown by the "?" overlay. Handlers live with the views; this is the one list.
export type Shortcut = { keys: string[]; does: string };
export type ShortcutGroup = { title: string; items: Shortcut[] };

export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: "Anywhere",
    items: [
      { keys: ["1"], does: "Releases" },
      { keys: ["2"], does: "Products" },
      { keys: ["3"], does: "Settings" },
      { keys: ["?"], does: "Show this list" },
      { keys: ["Esc"], does: "Close a dialog or the detail panel" },
    ],
  },
  {
    title: "Releases",
    items: [
      { keys: ["N"], does: "New release" },
      { keys: ["/"], does: "Filter by product" },
      { keys: ["↑", "↓"], does: "Move through the list (also J and K)" },
      { keys: ["Enter"], does: "Open the selected release" },
      { keys: ["E"], does: "Edit the open release" },
      { keys: ["R"], does: "Release notes of the open release (Esc goes back)" },
      { keys: ["Del"], does: "Delete the open release (asks first)" },
    ],
  },
  {
    title: "Products",
    items: [
      { keys: ["N"], does: "New product" },
      { keys: ["Enter"], does: "Edit the focused product" },
    ],
  },
];

/** True when a key press belongs to a text field and must not trigger a shortcut. */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

/** A plain key press, with no modifier that would make it a browser or OS shortcut. */
export function isPlainKey(event: KeyboardEvent): boolean {
  return !event.ctrlKey && !event.metaKey && !event.altKey;
}
