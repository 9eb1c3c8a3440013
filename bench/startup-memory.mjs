// Start-up and memory of the real app on a database: the time from the app's start to its first view
// interactive (the timeline, with its data painted; the app reports it, see `since_start`), then the
// resident memory of each process of the app after visiting every view. Run under a display:
//   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- node bench/startup-memory.mjs DB [RUNS]
// RELMAN_APP picks the binary (the release build for the figures in docs/BENCHMARKS.md). The database
// is copied first: the app may migrate or snapshot it. Prints the figures; nothing is asserted.
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { freshDatabase, openApp, startDriver } from "../tests/e2e/harness.mjs";

const [source, runsText] = process.argv.slice(2);
if (!source) throw new Error("usage: node bench/startup-memory.mjs DATABASE [RUNS]");
const runs = Number(runsText ?? 5);

/** Every process whose parent chain leads to `root`, with its name and resident memory in MB. */
function tree(root) {
  const all = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const field = (name) => status.match(new RegExp(`^${name}:\\s+(.*)$`, "m"))?.[1] ?? "";
      return { pid: Number(pid), ppid: Number(field("PPid")), name: field("Name"), rss: Number(field("VmRSS").split(" ")[0] || 0) / 1024 };
    } catch {
      return null;
    }
  }).filter(Boolean);
  const found = all.filter((p) => p.pid === root);
  for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === found[i].pid));
  return found;
}

function appRoot(name) {
  for (const d of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${d}/comm`, "utf8").trim() === name) return Number(d);
    } catch {
      // Gone meanwhile.
    }
  }
  return null;
}

const starts = [];
let memory = null;
for (let i = 0; i < runs; i++) {
  const db = freshDatabase();
  copyFileSync(source, db);
  const driver = await startDriver(db, 4604 + i * 10);
  const browser = await openApp(driver);
  try {
    await browser.waitUntil(() => browser.execute(() => window.__relmanStartup !== undefined), { timeout: 30000 });
    starts.push(await browser.execute(() => window.__relmanStartup));
    if (i === runs - 1) {
      const root = appRoot("relman-app");
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

starts.sort((a, b) => a - b);
console.log(`${source}: start to first view interactive, ${runs} runs: median ${starts[Math.floor(runs / 2)]} ms (${starts.join(", ")})`);
const sum = (list) => list.reduce((n, p) => n + p.rss, 0);
for (const [when, list] of Object.entries(memory)) {
  console.log(`${when}: whole tree ${sum(list).toFixed(0)} MB; ` + list.map((p) => `${p.name} ${p.rss.toFixed(0)} MB`).join(", "));
}
