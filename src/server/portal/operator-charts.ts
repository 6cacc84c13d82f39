// The operator's charts of the last days, drawn on the server as SVG geometry (the template only places
// rects and text; colours come from the stylesheet, so they follow light and dark): authorizations and
// PINs burned per day as columns, refused requests by oauth_problem and the top apps by accepted requests
// as bars. From the daily counts (src/stores DailyCountStore, written by ../daily-counter.ts).

import type { DailyCount, DailyMetric } from '../../stores/types.ts';
import { dayOf } from '../daily-counter.ts';

/** Days shown, today included. */
export const CHART_DAYS = 14;
/** Rows of a breakdown (the rest are not drawn). */
const BARS_SHOWN = 6;
const DAY_MS = 86_400_000;

// The SVG's own units; it scales to the width of its box.
const COLUMN_WIDTH = 560;
const COLUMN_HEIGHT = 120;
const BAR_ROW = 26;
const BAR_LABEL = 190;
const BAR_WIDTH = 560;

export interface ColumnChart {
  total: number;
  max: number;
  width: number;
  height: number;
  firstDay: string;
  lastDay: string;
  bars: { day: string; count: number; x: number; y: number; width: number; height: number }[];
}

export interface BarChart {
  total: number;
  width: number;
  height: number;
  labelWidth: number;
  rows: { subject: string; label: string; count: number; y: number; width: number }[];
}

function columns(days: readonly string[], perDay: Map<string, number>): ColumnChart {
  const counts = days.map((day) => perDay.get(day) ?? 0);
  const max = Math.max(0, ...counts);
  const slot = COLUMN_WIDTH / days.length;
  return {
    total: counts.reduce((a, b) => a + b, 0),
    max,
    width: COLUMN_WIDTH,
    height: COLUMN_HEIGHT,
    firstDay: days[0]!,
    lastDay: days.at(-1)!,
    bars: days.map((day, i) => {
      const height =
        max === 0 ? 0 : Math.max(counts[i]! > 0 ? 2 : 0, (counts[i]! / max) * (COLUMN_HEIGHT - 4));
      return {
        day,
        count: counts[i]!,
        x: Math.round(i * slot + 2),
        y: Math.round(COLUMN_HEIGHT - height),
        width: Math.max(1, Math.round(slot - 4)),
        height: Math.round(height),
      };
    }),
  };
}

const shortened = (text: string) => (text.length > 26 ? `${text.slice(0, 25)}…` : text);

function bars(totals: Map<string, number>): BarChart {
  const sorted = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, BARS_SHOWN);
  const max = Math.max(1, ...sorted.map(([, count]) => count));
  const room = BAR_WIDTH - BAR_LABEL - 60;
  return {
    total: [...totals.values()].reduce((a, b) => a + b, 0),
    width: BAR_WIDTH,
    height: sorted.length * BAR_ROW,
    labelWidth: BAR_LABEL,
    rows: sorted.map(([subject, count], i) => ({
      subject,
      label: shortened(subject),
      count,
      y: i * BAR_ROW,
      width: Math.max(2, Math.round((count / max) * room)),
    })),
  };
}

/** The charts of the CHART_DAYS days up to `now`; `appName` names a consumer key of the top apps. */
export async function operatorCharts(
  rows: readonly DailyCount[],
  now: number,
  appName: (key: string) => Promise<string>,
) {
  const days = Array.from({ length: CHART_DAYS }, (_, i) => dayOf(now - (CHART_DAYS - 1 - i) * DAY_MS));
  const perDay = (metric: DailyMetric) => {
    const sums = new Map<string, number>();
    for (const row of rows) {
      if (row.metric === metric && row.day >= days[0]!)
        sums.set(row.day, (sums.get(row.day) ?? 0) + row.count);
    }
    return sums;
  };
  const bySubject = (metric: DailyMetric) => {
    const sums = new Map<string, number>();
    for (const row of rows) {
      if (row.metric === metric && row.day >= days[0]!)
        sums.set(row.subject, (sums.get(row.subject) ?? 0) + row.count);
    }
    return sums;
  };
  const topApps = bars(bySubject('app_requests'));
  for (const row of topApps.rows) row.label = shortened(await appName(row.subject));
  return {
    firstDay: days[0]!,
    authorizations: columns(days, perDay('authorizations')),
    pinsBurned: columns(days, perDay('pins_burned')),
    refused: bars(bySubject('refused')),
    topApps,
  };
}
