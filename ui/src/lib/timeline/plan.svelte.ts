// The Timeline view's state: the filters, zoom and collapsed products, the loaded timeline, and the
// milestone changes made on it with their undo (the milestone as it was before each change). The view
// holds layout, dragging and keys; this holds what it shows. Create it during component setup.
//
// The timeline counts every row of its days but sends only the rows asked for: the view says which
// rows are near its viewport (`want`), and this fetches those it does not have yet, a screen's margin
// either side, and forgets those far away.
import { app as appApi, milestones as milestonesApi, products as productsApi, timeline as timelineApi } from "../api";
import { toCommandError } from "../ipc";
import { notify, notifyError } from "../toasts.svelte";
import { addDays, slipLabel, type Zoom } from "./layout";
import { FIRST_ROWS, firstDay, rowsFilter, type Filters } from "./rows";
import type { Milestone, MilestoneInput, Product, Timeline, TimelineRow } from "../generated/ipc";

/** How far from the rows asked for fetched rows are kept. */
const KEEP = 400;

/** The rows of a reply by their place among all the timeline's rows. */
function placed(t: Timeline): [number, TimelineRow][] {
  return t.groups.flatMap((g) => g.rows.map((r): [number, TimelineRow] => [r.index, r]));
}

/** A milestone change: before null means it was created, after null that it was deleted. */
export type Change = { before: Milestone | null; after: Milestone | null };

/** A milestone as the input that saves it again, its dates moved by `shift` days. */
export function inputOf(m: Milestone, shift = 0): MilestoneInput {
  return {
    kind: m.kind,
    name: m.name,
    planned_start: addDays(m.planned_start, shift),
    planned_end: m.planned_end ? addDays(m.planned_end, shift) : null,
    actual_start: m.actual_start,
    actual_end: m.actual_end,
  };
}

export function createTimeline() {
  let data = $state.raw<Timeline | null>(null);
  let rows = $state.raw(new Map<number, TimelineRow>());
  // The rows the view last asked for (fetched again on every reload), and the reload each reply
  // belongs to: a reply to an older one is dropped.
  let wanted: [number, number][] = [FIRST_ROWS];
  let generation = 0;
  const pending = new Set<string>();
  let products = $state<Product[]>([]);
  let loadError = $state<string | null>(null);
  const filter = $state<Filters>({ productId: null, status: null, search: "" });
  // The timeline asks for what touches the days from `from` on: the quarter behind today and everything
  // ahead at first, a year further back each time the person asks for earlier releases.
  let from = $state(firstDay());
  let zoom = $state<Zoom>("months");
  let collapsed = $state<number[]>([]);
  const history: Change[] = [];
  let firstRender: number | null = null;

  function request(first: number, last: number) {
    return timelineApi.get(rowsFilter(filter, from, first, last));
  }

  async function load() {
    const mine = ++generation;
    try {
      const started = performance.now();
      const [first, last] = wanted[0] ?? FIRST_ROWS;
      const [next, list] = await Promise.all([request(first, last), productsApi.list()]);
      if (mine !== generation) return;
      [data, products] = [next, list];
      rows = new Map(placed(next));
      loadError = null;
      // The other stretches the view showed (products open below a collapsed one).
      if (wanted.length > 1) void want(wanted);
      if (firstRender === null) {
        // Measured from the request to the first painted frame; read by the benchmark through WebDriver.
        requestAnimationFrame(() => {
          const painted = performance.now();
          firstRender = painted - started;
          const measured = window as unknown as {
            __relmanTimelineFirstRender?: number; __relmanStartup?: number; __relmanInPage?: number; __relmanWindowShown?: number | null;
          };
          measured.__relmanTimelineFirstRender = firstRender;
          // The first view is on screen with its data: start-up ends here, counted from the process
          // start (by the app) and from the page's start in the window (performance.now()'s origin).
          measured.__relmanInPage = painted;
          appApi.sinceStart().then((t) => {
            measured.__relmanWindowShown = t.window_shown;
            measured.__relmanStartup = t.now;
          }).catch(() => {});
        });
      }
    } catch (e) {
      if (mine === generation) loadError = toCommandError(e).message;
    }
  }

  /** The view needs these runs of rows (first, last): fetches each run not all here already. */
  async function want(runs: [number, number][]) {
    wanted = runs;
    await Promise.all(runs.map(([first, last]) => fetchRun(first, last)));
  }

  async function fetchRun(first: number, last: number) {
    const end = Math.min(last, (data?.total ?? 0) - 1);
    let missing = false;
    for (let i = first; i <= end && !missing; i++) missing = !rows.has(i);
    const key = `${first}:${last}`;
    if (!missing || pending.has(key)) return;
    const mine = generation;
    pending.add(key);
    try {
      const next = await request(first, last);
      if (mine !== generation) return;
      // Rows far from every stretch in view are let go.
      const near = (i: number) => wanted.some(([a, b]) => i >= a - KEEP && i <= b + KEEP);
      rows = new Map([...[...rows].filter(([i]) => near(i)), ...placed(next)]);
    } catch (e) {
      notifyError(e);
    } finally {
      pending.delete(key);
    }
  }

  return {
    filter,
    get data() { return data; },
    /** The row at this place among all the timeline's rows, once fetched. */
    row(index: number) { return rows.get(index) ?? null; },
    /** A fetched row by its release. */
    rowOf(releaseId: number) { return [...rows.values()].find((r) => r.release.id === releaseId) ?? null; },
    want,
    get products() { return products; },
    get loadError() { return loadError; },
    get zoom() { return zoom; },
    set zoom(value: Zoom) { zoom = value; },
    get collapsed() { return collapsed; },
    /** Nothing planned at all, as opposed to nothing matching the filters. */
    get empty() {
      return data !== null && data.groups.length === 0 && !filter.productId && !filter.status && !filter.search;
    },
    load,
    /** The first day asked for; earlier releases exist when the plan's earliest day is before it. */
    get from() { return from; },
    get hasEarlier() { return data !== null && data.earliest < from; },
    /** A year further back; resolves once it is shown. */
    async showEarlier() {
      from = addDays(from, -365);
      await load();
    },

    /** Zooms one step in (+1) or out (-1). */
    zoomBy(step: number) {
      const order: Zoom[] = ["quarters", "months", "weeks"];
      const i = order.indexOf(zoom) + step;
      zoom = order[Math.max(0, Math.min(order.length - 1, i))] ?? zoom;
    },

    toggleGroup(id: number) {
      collapsed = collapsed.includes(id) ? collapsed.filter((g) => g !== id) : [...collapsed, id];
    },

    /** Moves a milestone by whole days; resolves to the milestone moved, or null when nothing moved. */
    async move(m: Milestone, days: number): Promise<Milestone | null> {
      if (days === 0) return null;
      try {
        const after = await milestonesApi.update(m.id, inputOf(m, days));
        history.push({ before: m, after });
        await load();
        const slip = slipLabel(after.slip_days);
        notify(`${after.name} moved to ${after.planned_start}${slip ? ` (${slip} from plan)` : ""}. Ctrl+Z undoes.`);
        return after;
      } catch (e) {
        notifyError(e);
        return null;
      }
    },

    /** Remembers a change made in the milestone dialog, for undo. */
    changed(change: Change) {
      history.push(change);
    },

    /** Undoes the last change; resolves to the id of the milestone to focus, if any. */
    async undo(): Promise<number | null> {
      const last = history.pop();
      if (!last) {
        notify("Nothing to undo.");
        return null;
      }
      try {
        if (last.before && last.after) await milestonesApi.update(last.before.id, inputOf(last.before));
        else if (last.after) await milestonesApi.remove(last.after.id);
        else if (last.before) await milestonesApi.create(last.before.release_id, inputOf(last.before));
        await load();
        notify("Undone.");
        return last.before?.id ?? null;
      } catch (e) {
        notifyError(e);
        return null;
      }
    },

    async exportCalendar() {
      try {
        const path = await timelineApi.exportCalendar(filter.productId);
        if (path) notify(`Exported the calendar to ${path}. Importing it again updates the same events.`);
      } catch (e) {
        notifyError(e);
      }
    },
  };
}

export type TimelinePlan = ReturnType<typeof createTimeline>;
