// The whole process tree of an app left idle, side by side: Relman on a database, and a minimal Tauri
// window built the same way (`cargo build --release --example minimal --features custom-protocol`).
// Run under a display, with no WebDriver in the way:
//   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- node bench/idle-memory.mjs RELMAN_APP DB MINIMAL
// Each is started, left 10 s, measured and stopped. Prints the figures; nothing is asserted.
import { spawn } from "node:child_process";
import { copyFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { freshDatabase } from "../tests/e2e/harness.mjs";
import { describe, tree } from "./proc.mjs";

const [relman, source, minimal] = process.argv.slice(2);
if (!minimal) throw new Error("usage: node bench/idle-memory.mjs RELMAN_APP DATABASE MINIMAL_APP");

async function idle(binary, env) {
  const app = spawn(binary, [], { env: { ...process.env, ...env }, stdio: "ignore" });
  await sleep(10_000);
  const list = tree(app.pid);
  app.kill("SIGTERM");
  await new Promise((done) => app.once("exit", done));
  return list;
}

const db = freshDatabase();
copyFileSync(source, db);
const ours = await idle(relman, { RELMAN_DB: db, RELMAN_USER: "Priya Raman <priya@example.com>" });
const floor = await idle(minimal, {});
const sum = (list) => list.reduce((n, p) => n + p.rss, 0);
console.log(`Relman on ${source}: ${describe(ours)}`);
console.log(`minimal Tauri window: ${describe(floor)}`);
console.log(`ratio: ${(sum(ours) / sum(floor)).toFixed(2)}×`);
