// The page's entry: it asks for the first screen's data at once, then loads the app's code and mounts
// it. The replies come back while that code is fetched and compiled, and the view that asks for the
// same takes them (lib/ipc.ts `early`): start-up in docs/BENCHMARKS.md.
import "./app.css";
import { app, products, settings, timeline } from "./lib/api";
import { early } from "./lib/ipc";
import { firstScreen } from "./lib/timeline/rows";

early(() => {
  app.info();
  settings.get();
  products.list();
  timeline.get(firstScreen());
});

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
import("./boot").then(({ start }) => start(target));
