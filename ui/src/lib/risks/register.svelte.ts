// The Risks view's state: the product and release in scope, the filters, the register a page at a time
// in the table's order with the counts beside it (both from the backend, which sorts, filters and counts
// in SQL), and the changes made from the view (inline edits with undo, delete, export, import).
// The view holds layout and keys; this holds what it shows. Create it during component setup.
import { products as productsApi, releases as releasesApi, risks as risksApi } from "../api";
import { toCommandError } from "../ipc";
import { PAGE_SIZE, reloadLimit } from "../paging";
import { notify, notifyError } from "../toasts.svelte";
import { localToday } from "../releases/status";
import { toRiskFilter, toScopeFilter, type RegisterChoice, type Sort } from "./risks";
import type { ImportPreview, Product, Release, Risk, RiskPatch, RiskSummary } from "../generated/ipc";

const EMPTY_HEAT = Array.from({ length: 5 }, () => Array<number>(5).fill(0));

export function createRegister() {
  const today = localToday();
  let products = $state<Product[]>([]);
  let releases = $state<Release[]>([]);
  const choice = $state<RegisterChoice>({
    productId: null, scope: "any", status: "", category: "", owner: "", band: "", text: "",
  });
  let cell = $state<{ likelihood: number; impact: number } | null>(null);
  let sort = $state<Sort>({ key: "score", descending: true });
  let threshold = $state(15);
  let list = $state<Risk[]>([]);
  let next = $state<string | null>(null);
  let total = $state(0);
  let loadingMore = $state(false);
  let summary = $state<RiskSummary | null>(null);
  let loaded = $state(false);
  let slow = $state(false);
  let loadError = $state<string | null>(null);

  const product = $derived(products.find((p) => p.id === choice.productId) ?? null);
  const release = $derived(releases.find((r) => String(r.id) === choice.scope) ?? null);
  const filtered = $derived(
    choice.status !== "" || choice.category !== "" || choice.owner !== "" || choice.band !== "" ||
      choice.text !== "" || cell !== null,
  );

  /** The filter with the heat-map cell, for the table. */
  const tableFilter = () => ({ ...toRiskFilter(choice), likelihood: cell?.likelihood ?? null, impact: cell?.impact ?? null });

  // Each load is numbered; a slower earlier one that answers late is dropped.
  let loads = 0;

  /** Loads the register again; `keep` keeps as many rows as are shown (after an edit), else the first page. */
  async function load(keep = true) {
    const mine = ++loads;
    const timer = setTimeout(() => (slow = true), 300);
    try {
      if (products.length === 0) {
        products = await productsApi.list();
        choice.productId = choice.productId ?? products[0]?.id ?? null;
      }
      const productId = choice.productId;
      if (productId === null) return;
      const limit = reloadLimit(list.length, keep);
      const [page, counted, settings] = await Promise.all([
        risksApi.page(tableFilter(), sort, { limit, after: null }),
        risksApi.summary(toRiskFilter(choice)),
        risksApi.settings(productId),
      ]);
      if (mine !== loads) return;
      [list, next, total, summary] = [page.items, page.next, page.total, counted];
      threshold = settings.threshold;
      loadError = null;
    } catch (e) {
      loadError = toCommandError(e).message;
    } finally {
      clearTimeout(timer);
      loaded = true;
      slow = false;
    }
  }

  /** The next page of the table, after the rows shown. */
  async function more() {
    if (next === null || loadingMore) return;
    const mine = loads;
    loadingMore = true;
    try {
      const page = await risksApi.page(tableFilter(), sort, { limit: PAGE_SIZE, after: next });
      if (mine !== loads) return;
      [list, next, total] = [[...list, ...page.items], page.next, page.total];
    } catch (e) {
      notifyError(e);
    } finally {
      loadingMore = false;
    }
  }

  /** The releases of the chosen product, for the scope picker. */
  async function loadReleases(productId: number) {
    releases = await releasesApi.list({ product_id: productId, status: null });
  }

  return {
    today,
    choice,
    get products() { return products; },
    get releases() { return releases; },
    get product() { return product; },
    get release() { return release; },
    get shown() { return list; },
    get total() { return total; },
    get hasMore() { return next !== null; },
    get loadingMore() { return loadingMore; },
    get owners() { return summary?.owners ?? []; },
    get threshold() { return threshold; },
    set threshold(value: number) { threshold = value; },
    get cell() { return cell; },
    set cell(value: { likelihood: number; impact: number } | null) {
      cell = value;
      void load(false);
    },
    get sort() { return sort; },
    set sort(value: Sort) {
      sort = value;
      void load(false);
    },
    get loaded() { return loaded; },
    get slow() { return slow; },
    get loadError() { return loadError; },
    get filtered() { return filtered; },
    get counts() { return summary?.heat ?? EMPTY_HEAT; },
    get liveCount() { return summary?.live ?? 0; },
    get gateBlockers() { return summary?.blocking ?? 0; },
    get overdue() { return summary?.overdue ?? 0; },
    load,
    more,
    loadReleases,

    changeProduct(id: number) {
      choice.productId = id;
      choice.scope = "any";
      choice.owner = "";
      cell = null;
    },

    clearFilters() {
      Object.assign(choice, { status: "", category: "", owner: "", band: "", text: "" });
      cell = null;
      void load(false);
    },

    /** An inline change of one field; Undo in the toast puts back only that field. */
    async change(risk: Risk, patch: Partial<RiskPatch>, undo: Partial<RiskPatch>, words: string, after: () => Promise<void>) {
      try {
        await risksApi.patch(risk.id, patch);
        await after();
        notify(`${risk.title}: ${words}.`, "info", {
          label: "Undo",
          run: async () => {
            await risksApi.patch(risk.id, undo);
            await after();
          },
        });
      } catch (e) {
        notifyError(e);
        await load();
      }
    },

    async remove(risk: Risk) {
      try {
        await risksApi.remove(risk.id);
        notify(`Deleted "${risk.title}". The audit log keeps its history.`);
        await load();
      } catch (e) {
        notifyError(e);
      }
    },

    async exportAs(format: "csv" | "md") {
      if (choice.productId === null) return;
      try {
        const path = await risksApi.exportTo(toScopeFilter(choice), format);
        if (path) notify(`Exported the register to ${path}.`);
      } catch (e) {
        notifyError(e);
      }
    },

    /** Asks for a CSV file and previews it; null when the person cancels or it fails (said in a toast). */
    async pickImport(): Promise<ImportPreview | null> {
      if (choice.productId === null) return null;
      try {
        return await risksApi.pickImport(choice.productId);
      } catch (e) {
        notifyError(e);
        return null;
      }
    },
  };
}

export type Register = ReturnType<typeof createRegister>;
