// Charts of the executive summary as plain SVG strings: the HTML inlines them and pdfmake
// draws the same markup as vectors, so no native renderer (canvas, a browser) is needed.
// Horizontal stacked bars read well for a few categories with very different totals.
import type { ChartSeries, TrendPoint } from "./model.ts";

export const chartColours = { fail: "#c0392b", pass: "#2e8b57", other: "#9aa5b1", axis: "#555555", text: "#222222" };

const font = `font-family="Roboto, Helvetica, Arial, sans-serif" font-size="11"`;

export function stackedBarChart(series: ChartSeries, width = 500): string {
  const labelWidth = 150;
  const barHeight = 18;
  const gap = 8;
  const top = 26;
  const bars = series.bars;
  const height = top + bars.length * (barHeight + gap) + 24;
  const max = Math.max(1, ...bars.map((b) => b.fail + b.pass + b.other));
  const plot = width - labelWidth - 175; // room for the counts after the longest bar
  const scale = (n: number) => (n / max) * plot;
  const parts: string[] = [];
  parts.push(`<text x="0" y="14" ${font} font-weight="bold" fill="${chartColours.text}">${escapeXml(series.title)}</text>`);
  bars.forEach((b, i) => {
    const y = top + i * (barHeight + gap);
    parts.push(`<text x="${labelWidth - 6}" y="${y + 13}" ${font} text-anchor="end" fill="${chartColours.text}">${escapeXml(b.label)}</text>`);
    let x = labelWidth;
    for (const [key, value] of [["fail", b.fail], ["pass", b.pass], ["other", b.other]] as const) {
      if (value <= 0) continue;
      const w = Math.max(1, scale(value));
      parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${chartColours[key]}"/>`);
      x += w;
    }
    parts.push(`<text x="${(x + 4).toFixed(1)}" y="${y + 13}" ${font} fill="${chartColours.text}">${b.fail} fail · ${b.pass} pass${b.other ? ` · ${b.other} other` : ""}</text>`);
  });
  const legendY = height - 8;
  parts.push(legend(labelWidth, legendY));
  return svg(width, height, parts);
}

export function trendChart(points: readonly TrendPoint[], width = 500): string {
  const height = 170;
  const left = 50;
  const top = 26;
  const plotW = width - left - 20;
  const plotH = height - top - 40;
  const max = Math.max(1, ...points.map((p) => Math.max(p.failed, p.passed)));
  const x = (i: number) => left + (points.length === 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (n: number) => top + plotH - (n / max) * plotH;
  const parts = [`<text x="0" y="14" ${font} font-weight="bold" fill="${chartColours.text}">Trend of failing and passing subjects</text>`];
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="${chartColours.axis}" stroke-width="1"/>`);
  parts.push(`<text x="${left - 4}" y="${top + 8}" ${font} text-anchor="end" fill="${chartColours.text}">${max}</text>`);
  parts.push(`<text x="${left - 4}" y="${top + plotH}" ${font} text-anchor="end" fill="${chartColours.text}">0</text>`);
  for (const [key, colour] of [["failed", chartColours.fail], ["passed", chartColours.pass]] as const) {
    const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(" ");
    if (points.length > 1) parts.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    points.forEach((p, i) => parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(p[key]).toFixed(1)}" r="3" fill="${colour}"/>`));
  }
  if (points.length > 0) {
    parts.push(`<text x="${left}" y="${top + plotH + 16}" ${font} fill="${chartColours.text}">${escapeXml(points[0].at.slice(0, 10))}</text>`);
    parts.push(`<text x="${left + plotW}" y="${top + plotH + 16}" ${font} text-anchor="end" fill="${chartColours.text}">${escapeXml(points[points.length - 1].at.slice(0, 10))}</text>`);
  }
  return svg(width, height, parts);
}

function legend(x: number, y: number): string {
  const items: Array<[string, string]> = [
    ["fail", "failing"],
    ["pass", "passing"],
    ["other", "excepted, error, not evaluated"],
  ];
  let offset = x;
  const parts: string[] = [];
  for (const [key, label] of items) {
    parts.push(`<rect x="${offset}" y="${y - 9}" width="10" height="10" fill="${chartColours[key as keyof typeof chartColours]}"/>`);
    parts.push(`<text x="${offset + 14}" y="${y}" ${font} fill="${chartColours.text}">${label}</text>`);
    offset += 14 + label.length * 6 + 14;
  }
  return parts.join("");
}

function svg(width: number, height: number, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${parts.join("")}</svg>`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
