// How the Insights view reads the five delivery metrics: each value in its unit, the band as a word,
// durations as people say them, what a number counted, and the period presets as dates. Pure, so the
// view holds only layout. The definitions themselves live in the core (relman-core metrics/dora.rs).
import type { DeliveryBand, FrequencyClass, Metric, Metrics } from "../generated/ipc";

export type MetricKey = "deployment_frequency" | "lead_time" | "change_failure_rate" | "recovery_time" | "rework_rate";

export type MetricInfo = {
  key: MetricKey;
  label: string;
  /** What the ids under "What was counted" are, for this metric. */
  counts: string;
};

/** The five metrics in DORA's order. */
export const METRICS: readonly MetricInfo[] = [
  {
    key: "deployment_frequency",
    label: "Deployment frequency",
    counts: "The production deployments that succeeded in the period.",
  },
  {
    key: "lead_time",
    label: "Lead time for changes",
    counts: "Each commit, from its author time to the end of the first production deployment that shipped it.",
  },
  {
    key: "change_failure_rate",
    label: "Change failure rate",
    counts: "The production deployments that failed, were rolled back or have an incident attributed, and those incidents.",
  },
  {
    key: "recovery_time",
    label: "Failed deployment recovery time",
    counts: "The failed deployments, from the failure to the incident's resolution or the next successful deployment.",
  },
  {
    key: "rework_rate",
    label: "Deployment rework rate",
    counts: "The production deployments of hotfix releases.",
  },
];

export const metricOf = (metrics: Metrics, key: MetricKey): Metric => metrics[key];

const BAND_WORDS: Record<DeliveryBand, string> = { elite: "Elite", high: "High", medium: "Medium", low: "Low" };

export function bandWord(band: DeliveryBand | null): string | null {
  return band === null ? null : BAND_WORDS[band];
}

const CLASS_WORDS: Record<FrequencyClass, string> = {
  daily: "3 or more days with a deployment in the median week",
  weekly: "at least one day with a deployment in the median week",
  monthly: "at least one day with a deployment in the median month",
  yearly: "fewer than one day with a deployment in the median month",
};

/** What Four Keys' class of the frequency means: "3 or more days with a deployment in the median week". */
export function frequencyClassMeaning(frequencyClass: FrequencyClass): string {
  return CLASS_WORDS[frequencyClass];
}

/** One decimal, without a trailing ".0": 15 → "15", 5.46 → "5.5". */
function oneDecimal(value: number): string {
  return value.toFixed(1).replace(/\.0$/, "");
}

/** "45 min", "15 h", "5.5 h", "3.2 days" — as the core words them, without a trailing ".0". */
export function durationText(hours: number): string {
  if (!Number.isFinite(hours) || hours <= 0) return "0 min";
  const minutes = Math.round(hours * 60);
  if (minutes < 60) return `${minutes} min`;
  if (hours < 48) return `${oneDecimal(Math.max(hours, 1))} h`;
  return `${oneDecimal(hours / 24)} days`;
}

/** The value in its unit ("3.5 per week", "15 h", "12.5%"), or null when there is none. */
export function valueText(metric: Pick<Metric, "value" | "unit">): string | null {
  const { value, unit } = metric;
  if (value === null) return null;
  switch (unit) {
    case "deployments per week":
      return `${value.toFixed(1)} per week`;
    case "hours":
      return durationText(value);
    case "percent":
      return `${value.toFixed(1)}%`;
    default:
      return `${value} ${unit}`;
  }
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** "12 deployments, 48 commits, 2 incidents": the kinds of ids counted, leaving out the empty ones. */
export function countedText(metric: Pick<Metric, "deployments" | "commits" | "incidents">): string {
  const parts = [
    metric.deployments.length ? plural(metric.deployments.length, "deployment", "deployments") : "",
    metric.commits.length ? plural(metric.commits.length, "commit", "commits") : "",
    metric.incidents.length ? plural(metric.incidents.length, "incident", "incidents") : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "nothing";
}

/** How many ids the drill-down shows before "and N more". */
export const ID_CAP = 20;

/** The first `cap` items, and how many were left out. */
export function capped<T>(items: readonly T[], cap = ID_CAP): { shown: T[]; more: number } {
  return { shown: items.slice(0, cap), more: Math.max(items.length - cap, 0) };
}

/** The first 8 characters of a commit, as git's short form. */
export const shortSha = (sha: string) => sha.slice(0, 8);

/** "#3, #4 and 18 more" or "a1b2c3d4, 0f9e8d7c": a capped id list in one line. */
export function idList(ids: readonly (number | string)[], cap = ID_CAP): string {
  const { shown, more } = capped(ids, cap);
  const words = shown.map((id) => (typeof id === "number" ? `#${id}` : shortSha(id))).join(", ");
  return more ? `${words} and ${more.toLocaleString("en")} more` : words;
}

/** The period choices; "custom" takes two dates. */
export type Period = "30" | "90" | "365" | "custom";

export const PERIODS: readonly { id: Period; label: string }[] = [
  { id: "30", label: "Last 30 days" },
  { id: "90", label: "Last 90 days" },
  { id: "365", label: "Last 365 days" },
  { id: "custom", label: "Custom" },
];

/** The last `days` days up to `today` (YYYY-MM-DD), both ends included, as the core's default. */
export function lastDays(days: number, today: string): { from: string; to: string } {
  const end = new Date(`${today}T00:00:00Z`);
  if (Number.isNaN(end.getTime())) return { from: today, to: today };
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  return { from: start.toISOString().slice(0, 10), to: today };
}

/** A metric's row in the summary table: its value with the extra numbers, its band, what it counted. */
export function tableRow(metrics: Metrics, info: MetricInfo): { value: string; band: string; counted: string } {
  const metric = metricOf(metrics, info.key);
  // Without a value the text says why, which is what a reader needs in its place.
  let value = valueText(metric) ?? metric.text;
  if (info.key === "deployment_frequency" && metrics.frequency_class && metric.value !== null) {
    value += `, ${metrics.frequency_class}`;
  }
  if (info.key === "lead_time" && metrics.lead_time_p90 !== null && metric.value !== null) {
    value += ` (p90 ${durationText(metrics.lead_time_p90)})`;
  }
  return { value, band: bandWord(metric.band) ?? "—", counted: countedText(metric) };
}
