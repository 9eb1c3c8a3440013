// The Risks view's state: the product and release in scope, the filters, the loaded register with its
// derived counts, and the changes made from the view (inline edits with undo, delete, export, import).
// The view holds layout and keys; this holds what it shows. Create it during component setup.
import { products as productsApi, releases as releasesApi, risks as risksApi } from "../api";
import { toCommandError } from "../ipc";
import { notify, notifyError } from "../toasts.svelte";
import { localToday } from "../releases/status";
import {
  blocksGate, heatCounts, isLive, reviewOverdue, sortRisks, toRiskFilter, toScopeFilter, type RegisterChoice, type Sort,
} from "./risks";
import type { ImportPreview, Product, Release, Risk, RiskPatch } from "../generated/ipc";

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
  let owners = $state<string[]>([]);
  let loaded = $state(false);
  let slow = $state(false);
  let loadError = $state<string | null>(null);

  const product = $derived(products.find((p) => p.id === choice.productId) ?? null);
  const release = $derived(releases.find((r) => String(r.id) === choice.scope) ?? null);
  const shown = $derived(
    sortRisks(cell ? list.filter((r) => r.likelihood === cell!.likelihood && r.impact === cell!.impact) : list, sort),
  );
  const filtered = $derived(
    choice.status !== "" || choice.category !== "" || choice.owner !== "" || choice.band !== "" ||
      choice.text !== "" || cell !== null,
  );

  const counts = $derived(heatCounts(list));

  // Each load is numbered; a slower earlier one that answers late is dropped.
  let loads = 0;

  async function load() {
    const mine = ++loads;
    const timer = setTimeout(() => (slow = true), 300);
    try {
      if (products.length === 0) {
        products = await productsApi.list();
        choice.productId = choice.productId ?? products[0]?.id ?? null;
      }
      const productId = choice.productId;
      if (productId === null) return;
      const [found, all, settings] = await Promise.all([
        risksApi.list(toRiskFilter(choice)),
        risksApi.list(toScopeFilter(choice)),
        risksApi.settings(productId),
      ]);
      if (mine !== loads) return;
      list = found;
      owners = [...new Set(all.map((r) => r.owner).filter((o) => o))].sort((a, b) => a.localeCompare(b));
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
    get list() { return list; },
    get shown() { return shown; },
    get owners() { return owners; },
    get threshold() { return threshold; },
    set threshold(value: number) { threshold = value; },
    get cell() { return cell; },
    set cell(value: { likelihood: number; impact: number } | null) { cell = value; },
    get sort() { return sort; },
    set sort(value: Sort) { sort = value; },
    get loaded() { return loaded; },
    get slow() { return slow; },
    get loadError() { return loadError; },
    get filtered() { return filtered; },
    get counts() { return counts; },
    get liveCount() { return list.filter((r) => isLive(r.status)).length; },
    get gateBlockers() { return list.filter((r) => blocksGate(r, threshold)).length; },
    get overdue() { return list.filter((r) => reviewOverdue(r, today)).length; },
    load,
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
