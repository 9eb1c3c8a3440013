// How far the backend's walk of a release's commits has got: the `notes-progress` events of one
// release, for the Notes view's progress line. Call during component setup (it uses an effect).
import { listen } from "@tauri-apps/api/event";
import type { NotesProgress } from "../generated/ipc";

export function walkProgress(releaseId: () => number) {
  let walked = $state(0);
  $effect(() => {
    const id = releaseId();
    walked = 0;
    const stop = listen<NotesProgress>("notes-progress", (event) => {
      if (event.payload.release_id === id) walked = event.payload.walked;
    });
    return () => {
      stop.then((unlisten) => unlisten()).catch(() => {});
    };
  });
  return {
    get walked() {
      return walked;
    },
    reset() {
      walked = 0;
    },
  };
}
