// The shared plan's state for the whole window: where it is shared, whether a sync runs, how the last
// one ended (an unreachable remote is said plainly, and nothing is lost), and the conflicts waiting.
// One instance for the app; the sidebar, the conflicts dialog and Settings read it.
import { listen } from "@tauri-apps/api/event";
import { share as api } from "../api";
import { toCommandError } from "../ipc";
import { notify } from "../toasts.svelte";
import { syncSummary } from "./words";
import type { ShareStatus, SyncConflict, SyncReport } from "../generated/ipc";

let status = $state<ShareStatus | null>(null);
let conflicts = $state<SyncConflict[]>([]);
let syncing = $state(false);
// Why the last sync did not land ("offline", "auth_failed", …) and its words; null when it did.
let problem = $state<{ code: string; message: string } | null>(null);
// Bumped after a sync brought changes, so the views on screen reload.
let arrived = $state(0);
// Syncs finished in this window, landed or not (what a test waits on).
let finished = $state(0);
// What others changed, as the last sync that brought anything said, for "since your last sync".
let news = $state<{ at: string; changes: SyncReport["received"] } | null>(null);

async function refresh() {
  try {
    status = await api.status();
    conflicts = status ? await api.conflicts() : [];
  } catch {
    status = null;
  }
}

function heard(report: SyncReport) {
  conflicts = report.conflicts;
  if (report.received.length) {
    arrived++;
    news = { at: new Date().toISOString(), changes: report.received };
  }
}

listen<SyncReport>("plan-synced", (event) => heard(event.payload)).catch(() => {});

export const plan = {
  get status() { return status; },
  get conflicts() { return conflicts; },
  get syncing() { return syncing; },
  get problem() { return problem; },
  get arrived() { return arrived; },
  get finished() { return finished; },
  get news() { return news; },
  refresh,

  /**
   * Syncs now; says what arrived in a toast, or why it could not (the plan stays saved here). A
   * `quiet` sync (every few seconds in deploy mode) speaks only when something arrived; a failure
   * shows in the status, not as a toast each time.
   */
  async sync(quiet = false): Promise<SyncReport | null> {
    if (syncing) return null;
    syncing = true;
    try {
      const report = await api.sync();
      problem = null;
      heard(report);
      await refresh();
      const waiting = report.conflicts.length;
      if (!quiet || report.received.length) {
        notify(waiting ? `${syncSummary(report.received)} ${waiting} conflict${waiting === 1 ? "" : "s"} to resolve.` : syncSummary(report.received));
      }
      return report;
    } catch (e) {
      const error = toCommandError(e);
      problem = { code: error.code, message: error.message };
      if (!quiet) notify(error.message, "error");
      return null;
    } finally {
      syncing = false;
      finished++;
    }
  },

  async resolve(conflict: SyncConflict, pick: number) {
    await api.resolve(conflict.id, pick);
    await refresh();
  },

  /** Tells the views on screen that the plan changed under them (a conflict resolved from the sidebar). */
  touch() {
    arrived++;
  },
};
