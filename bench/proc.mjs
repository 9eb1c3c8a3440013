// The processes of a running app, read from /proc (Linux): for the memory benchmarks.
import { readdirSync, readFileSync } from "node:fs";

function pids() {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
}

/** Every process whose parent chain leads to `root` (itself included), with its name and resident memory in MB. */
export function tree(root) {
  const all = pids()
    .map((pid) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const field = (name) => status.match(new RegExp(`^${name}:\\s+(.*)$`, "m"))?.[1] ?? "";
        return { pid, ppid: Number(field("PPid")), name: field("Name"), rss: Number(field("VmRSS").split(" ")[0] || 0) / 1024 };
      } catch {
        return null; // Gone meanwhile.
      }
    })
    .filter(Boolean);
  const found = all.filter((p) => p.pid === root);
  for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === found[i].pid));
  return found;
}

/** The newest live process called `name` (its comm, at most 15 characters), or null: an app of an
 * earlier run may still be exiting, or be a zombie, when the next one starts. */
export function processNamed(name) {
  let found = null;
  for (const pid of pids()) {
    try {
      const live = !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
      if (live && readFileSync(`/proc/${pid}/comm`, "utf8").trim() === name && pid > (found ?? 0)) found = pid;
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** "whole tree N MB; name M MB, …" */
export function describe(list) {
  const sum = list.reduce((n, p) => n + p.rss, 0);
  return `whole tree ${sum.toFixed(0)} MB; ` + list.map((p) => `${p.name} ${p.rss.toFixed(0)} MB`).join(", ");
}
