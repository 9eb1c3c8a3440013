// Times the timeline of the large sample (500 releases, 3,000 milestones) in the real app:
// the first render (request to first painted frame, measured in the page) and the frame times while
// scrolling through it. Run under a display:
//   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- node bench/timeline.mjs
// (build first: `make app` and `cargo build -p relman-cli`). Prints the figures; nothing is asserted.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { freshDatabase, openApp, startDriver } from "../tests/e2e/harness.mjs";

const target = process.env.CARGO_TARGET_DIR ?? join(process.cwd(), "target");
const db = freshDatabase();
execFileSync(join(target, "debug", "relman"), ["--db", db, "demo", "--scale", "large"], { stdio: "inherit" });

const runs = Number(process.env.RUNS ?? 5);
const firsts = [];
let scroll = null;
let idle = null;
for (let i = 0; i < runs; i++) {
  const driver = await startDriver(db, 4504 + i * 10);
  const browser = await openApp(driver);
  try {
    await browser.waitUntil(() => browser.execute(() => window.__relmanTimelineFirstRender !== undefined), { timeout: 20000 });
    firsts.push(await browser.execute(() => window.__relmanTimelineFirstRender));
    if (i === runs - 1) {
      idle = await browser.executeAsync((done) => {
        const frames = [];
        let last = performance.now();
        function tick(now) {
          frames.push(now - last);
          last = now;
          if (frames.length < 60) requestAnimationFrame(tick);
          else done(frames.slice(1));
        }
        requestAnimationFrame(tick);
      });
      const pass = (dx, dy) =>
        browser.executeAsync(
          (dx, dy, done) => {
            const el = document.querySelector("[data-testid=timeline]");
            el.scrollTop = 0;
            const frames = [];
            let last = performance.now();
            function tick(now) {
              frames.push(now - last);
              last = now;
              el.scrollTop += dy;
              el.scrollLeft += dx;
              if (frames.length < 121) requestAnimationFrame(tick);
              else done(frames.slice(1));
            }
            requestAnimationFrame(tick);
          },
          dx,
          dy,
        );
      scroll = { wheel: await pass(0, 40), vertical: await pass(0, 120), horizontal: await pass(60, 0) };
    }
  } finally {
    await browser.deleteSession();
    driver.stop();
  }
}
const sorted = [...firsts].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const stats = (list) => {
  const f = [...list].sort((a, b) => a - b);
  const p = (q) => f[Math.min(f.length - 1, Math.floor(q * f.length))].toFixed(1);
  return `median ${p(0.5)} ms, p95 ${p(0.95)} ms, worst ${f.at(-1).toFixed(1)} ms`;
};
console.log(`first render: median ${median.toFixed(0)} ms, runs ${firsts.map((f) => f.toFixed(0)).join(", ")} ms`);
const idleSorted = [...idle].sort((a, b) => a - b);
console.log(`idle frames (the display's own pace): median ${idleSorted[Math.floor(idleSorted.length / 2)].toFixed(1)} ms`);
console.log(`scrolling down, 40 px a frame (a mouse wheel): ${stats(scroll.wheel)}`);
console.log(`scrolling down, 120 px a frame (a fast fling): ${stats(scroll.vertical)}`);
console.log(`scrolling across, 60 px a frame: ${stats(scroll.horizontal)}`);
