// When a window's page starts, counted from its process's start as the kernel records it (exec, in
// ticks of 10 ms): the part of start-up before any of the page's code runs. For Relman and for the
// minimal Tauri window (bench/minimal.rs) alike, so the platform's part can be told from Relman's.
//   RELMAN_APP=path/to/binary xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
//     node bench/page-start.mjs PROCESS-NAME [RUNS]
// The database is a fresh empty one. Prints the figures; nothing is asserted.
import { readFileSync } from "node:fs";
import { remote } from "webdriverio";
import { freshDatabase, startDriver } from "../tests/e2e/harness.mjs";
import { processNamed } from "./proc.mjs";

const [name, runsText] = process.argv.slice(2);
if (!name || !process.env.RELMAN_APP) throw new Error("usage: RELMAN_APP=BINARY node bench/page-start.mjs PROCESS-NAME [RUNS]");
const starts = [];
for (let i = 0; i < Number(runsText ?? 5); i++) {
  const driver = await startDriver(freshDatabase(), 4904 + i * 10);
  const browser = await remote({ hostname: "127.0.0.1", port: driver.port, logLevel: "warn",
    capabilities: { "tauri:options": { application: process.env.RELMAN_APP }, "wdio:enforceWebDriverClassic": true } });
  await browser.pause(3000);
  const pid = processNamed(name);
  const ticks = Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[19]);
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 1000;
  const start = Date.now() - (uptime - ticks * 10);
  const origin = await browser.execute(() => performance.timeOrigin);
  starts.push(Math.round(origin - start));
  await browser.deleteSession().catch(() => {});
  driver.stop();
  await new Promise((r) => setTimeout(r, 500));
}
starts.sort((a, b) => a - b);
console.log(`${name}: process start to page start, ${starts.length} runs: median ${starts[Math.floor(starts.length / 2)]} ms (${starts.join(", ")})`);
