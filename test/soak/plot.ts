/** One sample of the soak, every 30 s. */
export interface Sample {
  tS: number;
  rssMb: number;
  heapUsedMb: number | null;
  heapTotalMb: number | null;
  sent: number;
  handedOff: number;
  run: number;
  replied: number;
  /** Sent more than the grace period ago and not answered yet. */
  overdue: number;
  duplicates: number;
  fault: string;
}

const COLUMNS = [
  "t_s",
  "rss_mb",
  "heap_used_mb",
  "heap_total_mb",
  "sent",
  "handed_off",
  "run",
  "replied",
  "overdue",
  "duplicates",
  "fault",
];

export function toCsv(samples: readonly Sample[]): string {
  const fmt = (x: number | null) => (x === null ? "" : String(Math.round(x * 10) / 10));
  const rows = samples.map((s) =>
    [
      s.tS,
      fmt(s.rssMb),
      fmt(s.heapUsedMb),
      fmt(s.heapTotalMb),
      s.sent,
      s.handedOff,
      s.run,
      s.replied,
      s.overdue,
      s.duplicates,
      JSON.stringify(s.fault),
    ].join(","),
  );
  return `${[COLUMNS.join(","), ...rows].join("\n")}\n`;
}

/** Growth of a series after the warm-up: the mean of its last quarter against the mean of its first quarter, in %. */
export function growthPct(values: readonly number[]): number {
  if (values.length < 4) return 0;
  const q = Math.max(1, Math.floor(values.length / 4));
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(values.slice(0, q));
  return ((mean(values.slice(-q)) - first) / first) * 100;
}

interface Series {
  label: string;
  color: string;
  values: Array<number | null>;
}

const W = 900;
const AXIS = "minutes (ticks under the memory panel: a fault)";
const PANEL = 200;
const LEFT = 60;
const RIGHT = 180;

/** A hand-written SVG: memory (MB) above, Command counters below, minutes along, faults as ticks. */
export function toSvg(samples: readonly Sample[], title: string, warmupS: number): string {
  const t = samples.map((s) => s.tS);
  const tMax = Math.max(60, ...t);
  const x = (tS: number) => LEFT + ((W - LEFT - RIGHT) * tS) / tMax;
  const memory: Series[] = [
    { label: "RSS (MB)", color: "#c0392b", values: samples.map((s) => s.rssMb) },
    { label: "heap total (MB)", color: "#2980b9", values: samples.map((s) => s.heapTotalMb) },
    { label: "heap used (MB)", color: "#27ae60", values: samples.map((s) => s.heapUsedMb) },
  ];
  const counters: Series[] = [
    { label: "sent", color: "#7f8c8d", values: samples.map((s) => s.sent) },
    { label: "handed off", color: "#8e44ad", values: samples.map((s) => s.handedOff) },
    { label: "replied", color: "#27ae60", values: samples.map((s) => s.replied) },
    { label: "overdue + twice", color: "#c0392b", values: samples.map((s) => s.overdue + s.duplicates) },
  ];
  const faults = samples
    .filter((s, i) => s.fault !== "" && s.fault !== samples[i - 1]?.fault)
    .map(
      (s) =>
        `<line x1="${x(s.tS)}" x2="${x(s.tS)}" y1="${40 + PANEL}" y2="${46 + PANEL}" stroke="#555"><title>${esc(s.fault)}</title></line>`,
    );
  const warm = `<rect x="${LEFT}" y="40" width="${x(warmupS) - LEFT}" height="${PANEL}" fill="#f4f4f4"/>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * PANEL + 120}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="22" font-size="14">${esc(title)}</text>`,
    warm,
    `<text x="${LEFT + 4}" y="54" fill="#888">warm-up</text>`,
    ...panel(memory, 40, t, x),
    ...faults,
    ...panel(counters, 80 + PANEL, t, x),
    `<text x="${(W - RIGHT + LEFT) / 2}" y="${2 * PANEL + 110}" text-anchor="middle">${esc(AXIS)}</text>`,
    `</svg>`,
    "",
  ].join("\n");
}

function panel(series: Series[], top: number, t: number[], x: (tS: number) => number): string[] {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = niceMax(Math.max(1, ...all));
  const y = (v: number) => top + PANEL - (PANEL * v) / max;
  const tMax = Math.max(60, ...t);
  const out = [`<rect x="${LEFT}" y="${top}" width="${W - LEFT - RIGHT}" height="${PANEL}" fill="none" stroke="#999"/>`];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    out.push(`<text x="${LEFT - 6}" y="${y(v) + 4}" text-anchor="end">${round(v)}</text>`);
  }
  const step = tMax > 1800 ? 600 : tMax > 600 ? 300 : 60;
  for (let s = 0; s <= tMax; s += step)
    out.push(`<text x="${x(s)}" y="${top + PANEL + 16}" text-anchor="middle">${s / 60}</text>`);
  series.forEach((s, i) => {
    const pts = s.values.flatMap((v, j) => (v === null ? [] : [`${x(t[j]!).toFixed(1)},${y(v).toFixed(1)}`]));
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts.join(" ")}"/>`);
    const ly = top + 14 + i * 16;
    out.push(
      `<line x1="${W - RIGHT + 12}" x2="${W - RIGHT + 32}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${W - RIGHT + 38}" y="${ly}">${esc(s.label)}</text>`);
  });
  return out;
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v)!;
}

const round = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
