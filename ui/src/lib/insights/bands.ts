// The performance bands of each metric as ranges of its value, for shading the charts, and the
// week-by-week series in the shape the charts draw. The bands follow the core's (metrics/dora.rs):
// frequency by its weekly rate (about monthly, weekly, several a day), lead time and recovery by
// their hours, the change failure rate around the 2024 clusters (elite 5%, medium 10%, high 20%,
// low 40%: each rate takes the nearest). Rework has none.
import type { DeliveryBand, Series, SeriesPoint } from "../generated/ipc";
import type { MetricKey } from "./format";

export type BandRange = { band: DeliveryBand; from: number; to: number };

const INF = Number.POSITIVE_INFINITY;

export const BAND_RANGES: Record<MetricKey, BandRange[]> = {
  deployment_frequency: [
    { band: "low", from: 0, to: 0.25 },
    { band: "medium", from: 0.25, to: 1 },
    { band: "high", from: 1, to: 14 },
    { band: "elite", from: 14, to: INF },
  ],
  lead_time: [
    { band: "elite", from: 0, to: 24 },
    { band: "high", from: 24, to: 24 * 7 },
    { band: "medium", from: 24 * 7, to: 24 * 30 },
    { band: "low", from: 24 * 30, to: INF },
  ],
  change_failure_rate: [
    { band: "elite", from: 0, to: 7.5 },
    { band: "medium", from: 7.5, to: 15 },
    { band: "high", from: 15, to: 30 },
    { band: "low", from: 30, to: INF },
  ],
  recovery_time: [
    { band: "elite", from: 0, to: 1 },
    { band: "high", from: 1, to: 24 },
    { band: "medium", from: 24, to: 24 * 7 },
    { band: "low", from: 24 * 7, to: INF },
  ],
  rework_rate: [],
};

/** A metric's points: the week's last day as seconds since the epoch (noon UTC), and its value. */
export function seriesOf(series: Series, key: MetricKey): { t: number[]; v: (number | null)[] } {
  const t = series.points.map((p) => Date.parse(`${p.week_end}T12:00:00Z`) / 1000);
  const v = series.points.map((p: SeriesPoint) => p[key]);
  return { t, v };
}

/** What the chart shows, in words, for its label: "Week by week: from 0.3 to 0.5; 3 weeks without data." */
export function trendText(values: (number | null)[], format: (v: number) => string): string {
  const known = values.filter((v): v is number => v !== null);
  const gaps = values.length - known.length;
  const gapText = gaps === 0 ? "" : gaps === 1 ? " 1 week without enough data." : ` ${gaps} weeks without enough data.`;
  if (known.length === 0) return `Week by week: no week has enough data yet.`;
  const [first, last] = [known[0]!, known[known.length - 1]!];
  const change = first === last ? `steady at ${format(last)}` : `from ${format(first)} to ${format(last)}`;
  return `Week by week, each over the four weeks before it: ${change}.${gapText}`;
}

/** A chart axis label, short enough for its 44 pixels: "0.5", "20%", "3 d", "12 h", "30 m". */
export function axisText(value: number, unit: string): string {
  if (value === 0) return "0";
  switch (unit) {
    case "percent":
      return `${Number(value.toFixed(1))}%`;
    case "hours":
      if (value >= 48) return `${Number((value / 24).toFixed(1))} d`;
      if (value >= 1) return `${Number(value.toFixed(1))} h`;
      return `${Math.round(value * 60)} m`;
    default:
      return `${Number(value.toFixed(2))}`;
  }
}
