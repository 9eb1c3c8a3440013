// The walks the Notes view asks the backend for: each gets an id, so the view follows the progress of
// its latest walk only (`notes-progress` events carry the id) and can cancel exactly the one it means.
// Call during component setup (it listens for as long as the component lives).
import { listen } from "@tauri-apps/api/event";
import type { NotesProgress } from "../generated/ipc";

// Unique for this app session: one counter for every Notes view.
let nextWalk = 1;

export function walkProgress() {
  let walked = $state(0);
  let current: number | null = null;
  $effect(() => {
    const stop = listen<NotesProgress>("notes-progress", (event) => {
      if (current !== null && event.payload.walk === current) walked = event.payload.walked;
    });
    return () => {
      stop.then((unlisten) => unlisten()).catch(() => {});
    };
  });
  return {
    get walked() {
      return walked;
    },
    /** A new walk's id; its progress is followed from now on. */
    start(): number {
      walked = 0;
      current = nextWalk++;
      return current;
    },
  };
}
