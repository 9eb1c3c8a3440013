// Start-up and memory of the real app on a database: the time from the app's start, from its window
// appearing, and from its page's start in the window, to its first view interactive (the timeline, with its data painted; the app
// reports it, see `since_start` and `__relmanInPage`), then the
// resident memory of each process of the app after visiting every view. Run under a display:
//   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- node bench/startup-memory.mjs DB [RUNS]
// RELMAN_APP picks the binary (the release build for the figures in docs/BENCHMARKS.md). The database
// is copied first: the app may migrate or snapshot it. Prints the figures; nothing is asserted.
import { copyFileSync } from "node:fs";
import { describe, processNamed, tree } from "./proc.mjs";
import { freshDatabase, openApp, startDriver } from "../tests/e2e/harness.mjs";

const [source, runsText] = process.argv.slice(2);
if (!source) throw new Error("usage: node bench/startup-memory.mjs DATABASE [RUNS]");
const runs = Number(runsText ?? 5);

const starts = [];
let memory = null;
for (let i = 0; i < runs; i++) {
  const db = freshDatabase();
  copyFileSync(source, db);
  const driver = await startDriver(db, 4604 + i * 10);
  const browser = await openApp(driver);
  try {
    await browser.waitUntil(() => browser.execute(() => window.__relmanStartup !== undefined), { timeout: 30000 });
    starts.push(
      await browser.execute(() => ({
        process: window.__relmanStartup,
        window: window.__relmanStartup - window.__relmanWindowShown,
        page: Math.round(window.__relmanInPage),
      })),
    );
    if (i === runs - 1) {
      const root = processNamed("relman-app");
      const idle = tree(root);
      // Every view in turn, by its key, as a person looking around would; each given time to load.
      for (const key of ["2", "3", "4", "5", "6", "7", "8", "1"]) {
        await browser.keys(key);
        await browser.pause(1500);
      }
      memory = { idle, visited: tree(root) };
    }
  } finally {
    await browser.deleteSession().catch(() => {});
    driver.stop();
  }
}

// From the process start (the app's own clock, from main), from the window's first appearance (the
// event loop's first turn, blank until its page runs), and from the page's start in the window (its
// navigation, which a minimal Tauri window reaches as late: the platform's part).
const from = [["process start", "process"], ["window shown", "window"], ["page start in the window", "page"]];
for (const [what, key] of from) {
  const list = starts.map((s) => s[key]).sort((a, b) => a - b);
  console.log(`${source}: ${what} to first view interactive, ${runs} runs: median ${list[Math.floor(runs / 2)]} ms (${list.join(", ")})`);
}
for (const [when, list] of Object.entries(memory)) console.log(`${when}: ${describe(list)}`);
