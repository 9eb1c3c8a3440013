// The keyboard map, shown by the "?" overlay. Handlers live with the views; this is the one list.
export type Shortcut = { keys: string[]; does: string };
export type ShortcutGroup = { title: string; items: Shortcut[] };

export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: "Anywhere",
    items: [
      { keys: ["1"], does: "Timeline" },
      { keys: ["2"], does: "Releases" },
      { keys: ["3"], does: "Risks" },
      { keys: ["4"], does: "Changes (change requests)" },
      { keys: ["5"], does: "Insights (delivery metrics)" },
      { keys: ["6"], does: "Products" },
      { keys: ["7"], does: "Activity (the audit log)" },
      { keys: ["8"], does: "Settings" },
      { keys: ["?"], does: "Show this list" },
      { keys: ["Esc"], does: "Close a dialog or the detail panel" },
    ],
  },
  {
    title: "Timeline",
    items: [
      { keys: ["Tab"], does: "Move between releases, milestones and changes" },
      { keys: ["←", "→"], does: "Move the focused milestone a day (Shift: a week)" },
      { keys: ["Enter"], does: "Edit the focused milestone" },
      { keys: ["M"], does: "Add a milestone to the focused release" },
      { keys: ["Ctrl", "Z"], does: "Undo the last change" },
      { keys: ["T"], does: "Jump to today" },
      { keys: ["+", "−"], does: "Zoom in and out" },
      { keys: ["F"], does: "Freeze windows" },
      { keys: ["/"], does: "Search" },
    ],
  },
  {
    title: "Releases",
    items: [
      { keys: ["N"], does: "New release" },
      { keys: ["S"], does: "Status report for stakeholders (copy as Markdown or HTML)" },
      { keys: ["/"], does: "Filter by product" },
      { keys: ["↑", "↓"], does: "Move through the list (also J and K)" },
      { keys: ["Enter"], does: "Open the selected release" },
      { keys: ["E"], does: "Edit the open release" },
      { keys: ["R"], does: "Release notes of the open release (Esc goes back)" },
      { keys: ["Del"], does: "Delete the open release (asks first)" },
    ],
  },
  {
    title: "Risks",
    items: [
      { keys: ["N"], does: "New risk" },
      { keys: ["/"], does: "Search the register" },
      { keys: ["↑", "↓"], does: "Move through the risks (also J and K)" },
      { keys: ["Enter"], does: "Edit the focused risk and see its history" },
      { keys: ["L", "1–5"], does: "Set the focused risk's likelihood" },
      { keys: ["I", "1–5"], does: "Set the focused risk's impact" },
      { keys: ["←↑↓→"], does: "Move between heat-map cells; Enter filters by one" },
      { keys: ["Esc"], does: "Clear the heat-map filter" },
      { keys: ["Del"], does: "Delete the focused risk (asks first)" },
    ],
  },
  {
    title: "Changes",
    items: [
      { keys: ["N"], does: "New change request" },
      { keys: ["/"], does: "Filter by product" },
      { keys: ["↑", "↓"], does: "Move through the changes (also J and K)" },
      { keys: ["Enter"], does: "Open the selected change" },
      { keys: ["E"], does: "Edit the open change (until it is scheduled)" },
      { keys: ["Esc"], does: "Close the change" },
    ],
  },
  {
    title: "Activity",
    items: [{ keys: ["/"], does: "Filter by who acted" }],
  },
  {
    title: "Deploy mode",
    items: [
      { keys: ["Enter"], does: "Done: the current step" },
      { keys: ["S"], does: "Skip (asks why)" },
      { keys: ["B"], does: "Blocked (asks what blocks it)" },
      { keys: ["F"], does: "Failed (asks what failed)" },
      { keys: ["N"], does: "Add a note" },
      { keys: ["U"], does: "Undo the last action" },
      { keys: ["R"], does: "Switch to the rollback steps and back" },
      { keys: ["Esc"], does: "Leave; the deployment keeps running" },
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

/** True while a dialog is open: view shortcuts wait until it closes. */
export function dialogOpen(): boolean {
  return document.querySelector("[role=dialog], [role=alertdialog]") !== null;
}
