/**
 * A regret-versus-evaluations plot as standalone SVG, drawn by hand (no plotting dependency): one
 * line per method through its mean normalised regret at each budget, the x axis logarithmic in the
 * number of evaluations, the y axis logarithmic in regret (zero regret drawn at the floor).
 */

/** One line of the plot. */
export interface PlotSeries {
  readonly label: string;
  readonly values: readonly number[];
}

const WIDTH = 720;
const HEIGHT = 440;
const MARGIN = { left: 70, right: 170, top: 30, bottom: 50 };
const COLORS = ['#7f7f7f', '#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#d62728', '#8c564b', '#e377c2', '#17becf'];
const FLOOR = 1e-3;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * @param budgets - x positions (numbers of evaluations, ≥ 1)
 * @param series - one line per method, one value per budget
 * @param title - the plot's title
 * @returns an SVG document
 */
export function regretPlotSvg(budgets: readonly number[], series: readonly PlotSeries[], title: string): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xMin = Math.log10(Math.min(...budgets));
  const xMax = Math.log10(Math.max(...budgets, Math.min(...budgets) * 10));
  const all = series.flatMap((s) => s.values).map((v) => Math.max(FLOOR, v));
  const yMin = Math.floor(Math.log10(Math.min(...all, 1)));
  const yMax = Math.max(yMin + 1, Math.ceil(Math.log10(Math.max(...all, FLOOR))));
  const x = (b: number) => MARGIN.left + ((Math.log10(b) - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number) => MARGIN.top + ((yMax - Math.log10(Math.max(FLOOR, v))) / (yMax - yMin)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="18" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
  ];
  for (let e = yMin; e <= yMax; e++) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(10 ** e)}" y2="${y(10 ** e)}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(10 ** e) + 4}" text-anchor="end">${10 ** e >= 1 ? 10 ** e : `1e${e}`}</text>`);
  }
  for (const b of budgets) {
    parts.push(`<line x1="${x(b)}" x2="${x(b)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`);
    parts.push(`<text x="${x(b)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${b}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">evaluations (log scale)</text>`);
  parts.push(`<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">mean normalised regret (log scale)</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const points = s.values.map((v, k) => `${x(budgets[k]).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of points.split(' ')) {
      const [cx, cy] = p.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
    const ly = MARGIN.top + 10 + i * 18;
    parts.push(`<line x1="${WIDTH - MARGIN.right + 12}" x2="${WIDTH - MARGIN.right + 36}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${WIDTH - MARGIN.right + 42}" y="${ly + 4}">${escapeXml(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
