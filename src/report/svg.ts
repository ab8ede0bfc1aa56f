/**
 * A small SVG plotting module of our own (no dependency, nothing fetched when a page opens): line
 * and point charts with linear or log axes, horizontal bar charts, parallel coordinates and a
 * scatter with labels. Every chart is one `<svg data-plot="NAME">` element sized by its viewBox,
 * so it scales with the page; hover text is native SVG `<title>` (no script).
 *
 * The functions take plain data (see `study-data.ts`, `importance.ts`, `projection.ts`) and only
 * draw: what a plot shows is computed and tested in those modules.
 */

/** Okabe–Ito colours (readable for colour-blind viewers), then greys. */
export const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#f0e442', '#000000', '#7f7f7f'];

/** Escapes text for SVG/HTML element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** An axis: its label, scale and optional fixed range. */
export interface AxisSpec {
  readonly label: string;
  readonly log?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Fixed tick positions with labels (categorical axes); default: "nice" numbers. */
  readonly ticks?: readonly { readonly at: number; readonly label: string }[];
}

/** One series of a {@link lineChart}. */
export interface Series {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  /** 'line' joins the points; 'step' draws a staircase (best so far); 'points' draws markers only. */
  readonly kind?: 'line' | 'step' | 'points';
  /** Marker at each point (default none for lines, circle for points). */
  readonly marker?: 'circle' | 'cross' | 'none';
  readonly dashed?: boolean;
  readonly width?: number;
  readonly opacity?: number;
  /** Hover text per point (same length as points). */
  readonly tooltips?: readonly string[];
  /** Leave out of the legend (e.g. one of many curves of the same kind). */
  readonly hideInLegend?: boolean;
}

/** A labelled vertical line (a pruning rung, a budget). */
export interface Rule {
  readonly x: number;
  readonly label: string;
}

export interface LineChartSpec {
  /** The `data-plot` name. */
  readonly id: string;
  readonly title: string;
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  readonly series: readonly Series[];
  readonly rules?: readonly Rule[];
  readonly width?: number;
  readonly height?: number;
  /** Legend entries that are not series (marker meanings). */
  readonly notes?: readonly { readonly label: string; readonly color: string; readonly marker: 'circle' | 'cross' | 'line' | 'dashed' }[];
}

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/**
 * @param value - a number
 * @returns a short label: 3 significant digits, exponent form for very large or small magnitudes
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e5 || a < 1e-3) return value.toExponential(1).replace('e+', 'e');
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(3)));
}

/**
 * "Nice" tick values covering [min, max] (1, 2, 5 × 10^k steps).
 * @returns about `count` ticks inside the range
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const out: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** A linear or log mapping from data to pixels, with its ticks. */
interface Scale {
  readonly map: (v: number) => number;
  readonly ticks: readonly { at: number; label: string }[];
}

function makeScale(axis: AxisSpec, values: readonly number[], from: number, to: number): Scale {
  const finite = values.filter((v) => Number.isFinite(v) && (!axis.log || v > 0));
  let lo = axis.min ?? (finite.length > 0 ? Math.min(...finite) : 0);
  let hi = axis.max ?? (finite.length > 0 ? Math.max(...finite) : 1);
  if (axis.log) {
    lo = Math.log10(Math.max(lo, 1e-12));
    hi = Math.log10(Math.max(hi, 1e-12));
    if (axis.min === undefined) lo = Math.floor(lo);
    if (axis.max === undefined) hi = Math.ceil(hi);
  }
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.05;
    lo -= pad;
    hi += pad;
  } else if (!axis.log && axis.min === undefined && axis.max === undefined) {
    const pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  const toUnit = axis.log ? (v: number) => (Math.log10(Math.max(v, 1e-12)) - lo) / (hi - lo) : (v: number) => (v - lo) / (hi - lo);
  const map = (v: number) => from + toUnit(v) * (to - from);
  let ticks: { at: number; label: string }[];
  if (axis.ticks !== undefined) ticks = axis.ticks.map((t) => ({ ...t }));
  else if (axis.log) {
    ticks = [];
    const step = Math.max(1, Math.ceil((hi - lo) / 6));
    for (let e = Math.ceil(lo); e <= Math.floor(hi); e += step) ticks.push({ at: 10 ** e, label: formatNumber(10 ** e) });
    if (ticks.length < 2) ticks = [{ at: 10 ** lo, label: formatNumber(10 ** lo) }, { at: 10 ** hi, label: formatNumber(10 ** hi) }];
  } else ticks = niceTicks(lo, hi).map((v) => ({ at: v, label: formatNumber(v) }));
  return { map, ticks };
}

function open(id: string, title: string, frame: Frame): string[] {
  const { width, height } = frame;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" data-plot="${escapeXml(id)}" role="img" aria-label="${escapeXml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${frame.left}" y="18" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
  ];
}

function marker(kind: 'circle' | 'cross', x: number, y: number, color: string, tooltip: string | undefined, opacity = 1): string {
  const tip = tooltip === undefined ? '' : `<title>${escapeXml(tooltip)}</title>`;
  if (kind === 'cross') {
    const d = 4;
    return `<path d="M${fmt(x - d)},${fmt(y - d)}L${fmt(x + d)},${fmt(y + d)}M${fmt(x - d)},${fmt(y + d)}L${fmt(x + d)},${fmt(y - d)}" stroke="${color}" stroke-width="2" opacity="${opacity}">${tip}</path>`;
  }
  return `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="3.5" fill="${color}" fill-opacity="${0.85 * opacity}" stroke="#fff" stroke-width="0.5">${tip}</circle>`;
}

function legendEntry(x: number, y: number, label: string, color: string, kind: 'circle' | 'cross' | 'line' | 'dashed'): string {
  const sample = kind === 'line' || kind === 'dashed'
    ? `<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="2"${kind === 'dashed' ? ' stroke-dasharray="4 3"' : ''}/>`
    : marker(kind, x + 9, y, color, undefined);
  return `${sample}<text x="${x + 24}" y="${y + 4}">${escapeXml(label)}</text>`;
}

function axes(parts: string[], frame: Frame, x: Scale, y: Scale, xAxis: AxisSpec, yAxis: AxisSpec): void {
  const { left, top, width, height, right, bottom } = frame;
  const x0 = left;
  const x1 = width - right;
  const y0 = height - bottom;
  const y1 = top;
  for (const t of y.ticks) {
    const py = y.map(t.at);
    if (py < y1 - 0.5 || py > y0 + 0.5) continue;
    parts.push(`<line x1="${x0}" x2="${x1}" y1="${fmt(py)}" y2="${fmt(py)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x0 - 6}" y="${fmt(py + 4)}" text-anchor="end" fill="#444">${escapeXml(t.label)}</text>`);
  }
  for (const t of x.ticks) {
    const px = x.map(t.at);
    if (px < x0 - 0.5 || px > x1 + 0.5) continue;
    parts.push(`<line x1="${fmt(px)}" x2="${fmt(px)}" y1="${y1}" y2="${y0}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${fmt(px)}" y="${y0 + 16}" text-anchor="middle" fill="#444">${escapeXml(t.label)}</text>`);
  }
  parts.push(`<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${(x0 + x1) / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(xAxis.label)}</text>`);
  parts.push(`<text transform="translate(14 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yAxis.label)}</text>`);
}

/**
 * A chart of lines, staircases and points on shared axes, with a legend on the right.
 * @returns one `<svg data-plot>` element
 */
export function lineChart(spec: LineChartSpec): string {
  const legendWidth = 170;
  const frame: Frame = { width: spec.width ?? 960, height: spec.height ?? 380, left: 62, right: legendWidth + 12, top: 30, bottom: 44 };
  const xs = spec.series.flatMap((s) => s.points.map((p) => p[0])).concat((spec.rules ?? []).map((r) => r.x));
  const ys = spec.series.flatMap((s) => s.points.map((p) => p[1]));
  const x = makeScale(spec.x, xs, frame.left, frame.width - frame.right);
  const y = makeScale(spec.y, ys, frame.height - frame.bottom, frame.top);
  const parts = open(spec.id, spec.title, frame);
  axes(parts, frame, x, y, spec.x, spec.y);
  for (const rule of spec.rules ?? []) {
    const px = x.map(rule.x);
    parts.push(`<line x1="${fmt(px)}" x2="${fmt(px)}" y1="${frame.top}" y2="${frame.height - frame.bottom}" stroke="#b22" stroke-dasharray="5 4" stroke-width="1"><title>${escapeXml(rule.label)}</title></line>`);
    parts.push(`<text x="${fmt(px + 3)}" y="${frame.top + 12}" fill="#b22" font-size="11">${escapeXml(rule.label)}</text>`);
  }
  const clip = `clip-${spec.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  parts.push(`<defs><clipPath id="${clip}"><rect x="${frame.left - 4}" y="${frame.top - 4}" width="${frame.width - frame.left - frame.right + 8}" height="${frame.height - frame.top - frame.bottom + 8}"/></clipPath></defs><g clip-path="url(#${clip})">`);
  for (const s of spec.series) {
    const kind = s.kind ?? 'line';
    const pts = s.points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!spec.y.log || p[1] > 0) && (!spec.x.log || p[0] > 0));
    if (kind !== 'points' && pts.length > 0) {
      let d = `M${fmt(x.map(pts[0][0]))},${fmt(y.map(pts[0][1]))}`;
      for (let i = 1; i < pts.length; i++) {
        if (kind === 'step') d += `H${fmt(x.map(pts[i][0]))}V${fmt(y.map(pts[i][1]))}`;
        else d += `L${fmt(x.map(pts[i][0]))},${fmt(y.map(pts[i][1]))}`;
      }
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2}" stroke-opacity="${s.opacity ?? 1}"${s.dashed === true ? ' stroke-dasharray="5 3"' : ''}>${s.hideInLegend === true ? `<title>${escapeXml(s.label)}</title>` : ''}</path>`);
    }
    const m = s.marker ?? (kind === 'points' ? 'circle' : 'none');
    if (m !== 'none') {
      s.points.forEach((p, i) => {
        if (!pts.includes(p)) return;
        parts.push(marker(m, x.map(p[0]), y.map(p[1]), s.color, s.tooltips?.[i], s.opacity));
      });
    }
  }
  parts.push('</g>');
  let ly = frame.top + 8;
  const lx = frame.width - frame.right + 14;
  for (const s of spec.series) {
    if (s.hideInLegend === true) continue;
    const kind = s.kind ?? 'line';
    const m = s.marker ?? (kind === 'points' ? 'circle' : 'none');
    parts.push(legendEntry(lx, ly, s.label, s.color, m !== 'none' && kind === 'points' ? m : s.dashed === true ? 'dashed' : 'line'));
    ly += 18;
  }
  for (const n of spec.notes ?? []) {
    parts.push(legendEntry(lx, ly, n.label, n.color, n.marker));
    ly += 18;
  }
  parts.push('</svg>');
  return parts.join('');
}

/** One bar of a {@link barChart}. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  /** ± spread drawn as a whisker (a standard deviation over trees, say). */
  readonly spread?: number;
  readonly tooltip?: string;
}

/**
 * Horizontal bars, largest first as given.
 * @returns one `<svg data-plot>` element
 */
export function barChart(spec: { readonly id: string; readonly title: string; readonly bars: readonly Bar[]; readonly xLabel: string; readonly width?: number; readonly max?: number }): string {
  const rowH = 22;
  const labelW = Math.min(220, 12 + 7 * Math.max(4, ...spec.bars.map((b) => b.label.length)));
  const frame: Frame = { width: spec.width ?? 960, height: 30 + 40 + rowH * Math.max(1, spec.bars.length), left: labelW, right: 60, top: 30, bottom: 40 };
  const max = spec.max ?? Math.max(1e-12, ...spec.bars.map((b) => b.value + (b.spread ?? 0)));
  const x = makeScale({ label: spec.xLabel, min: 0, max }, [], frame.left, frame.width - frame.right);
  const parts = open(spec.id, spec.title, frame);
  const y0 = frame.height - frame.bottom;
  for (const t of x.ticks) {
    const px = x.map(t.at);
    parts.push(`<line x1="${fmt(px)}" x2="${fmt(px)}" y1="${frame.top}" y2="${y0}" stroke="#eee"/>`);
    parts.push(`<text x="${fmt(px)}" y="${y0 + 16}" text-anchor="middle" fill="#444">${escapeXml(t.label)}</text>`);
  }
  spec.bars.forEach((b, i) => {
    const top = frame.top + 4 + i * rowH;
    const w = Math.max(0, x.map(b.value) - frame.left);
    const tip = `<title>${escapeXml(b.tooltip ?? `${b.label}: ${formatNumber(b.value)}`)}</title>`;
    parts.push(`<text x="${frame.left - 6}" y="${top + 13}" text-anchor="end">${escapeXml(b.label)}</text>`);
    parts.push(`<rect x="${frame.left}" y="${top + 2}" width="${fmt(w)}" height="${rowH - 6}" fill="${PALETTE[0]}">${tip}</rect>`);
    if (b.spread !== undefined && b.spread > 0) {
      const lo = x.map(Math.max(0, b.value - b.spread));
      const hi = x.map(Math.min(max, b.value + b.spread));
      parts.push(`<line x1="${fmt(lo)}" x2="${fmt(hi)}" y1="${top + rowH / 2 - 1}" y2="${top + rowH / 2 - 1}" stroke="#333"/>`);
    }
    parts.push(`<text x="${fmt(frame.left + w + 4)}" y="${top + 13}" fill="#333" font-size="11">${escapeXml(formatNumber(b.value))}</text>`);
  });
  parts.push(`<line x1="${frame.left}" x2="${frame.left}" y1="${frame.top}" y2="${y0}" stroke="#888"/>`);
  parts.push(`<text x="${(frame.left + frame.width - frame.right) / 2}" y="${frame.height - 8}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** An axis of a parallel-coordinates plot: coordinates are given in [0, 1]. */
export interface ParallelAxis {
  readonly label: string;
  readonly ticks: readonly { readonly at: number; readonly label: string }[];
}

/** A line of a parallel-coordinates plot: one coordinate in [0, 1] per axis (null: inactive). */
export interface ParallelLine {
  readonly values: readonly (number | null)[];
  readonly color: string;
  readonly tooltip: string;
  readonly emphasis?: boolean;
}

/**
 * Parallel coordinates: one vertical axis per dimension, one polyline per item (broken where a
 * value is null). Lines are drawn in the given order, so put the ones to see on top last.
 * @returns one `<svg data-plot>` element
 */
export function parallelCoordinates(spec: { readonly id: string; readonly title: string; readonly axes: readonly ParallelAxis[]; readonly lines: readonly ParallelLine[]; readonly colorLegend?: { readonly low: string; readonly high: string; readonly label: string; readonly colors: readonly string[] }; readonly width?: number; readonly height?: number }): string {
  const n = spec.axes.length;
  const frame: Frame = { width: spec.width ?? Math.max(960, 90 * n + 80), height: spec.height ?? 400, left: 50, right: 50, top: 56, bottom: 56 };
  const parts = open(spec.id, spec.title, frame);
  const ax = (i: number) => frame.left + (n <= 1 ? 0 : (i / (n - 1)) * (frame.width - frame.left - frame.right));
  const ay = (v: number) => frame.height - frame.bottom - v * (frame.height - frame.top - frame.bottom);
  for (const line of spec.lines) {
    const segments: string[] = [];
    let current = '';
    line.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        if (current !== '') segments.push(current);
        current = '';
        return;
      }
      current += `${current === '' ? 'M' : 'L'}${fmt(ax(i))},${fmt(ay(v))}`;
    });
    if (current !== '') segments.push(current);
    parts.push(`<path d="${segments.join('')}" fill="none" stroke="${line.color}" stroke-width="${line.emphasis === true ? 3 : 1.4}" stroke-opacity="${line.emphasis === true ? 1 : 0.75}"><title>${escapeXml(line.tooltip)}</title></path>`);
  }
  spec.axes.forEach((a, i) => {
    const px = ax(i);
    parts.push(`<line x1="${fmt(px)}" x2="${fmt(px)}" y1="${frame.top}" y2="${frame.height - frame.bottom}" stroke="#555"/>`);
    parts.push(`<text x="${fmt(px)}" y="${frame.top - 10}" text-anchor="middle" font-weight="600" font-size="11">${escapeXml(a.label)}</text>`);
    for (const t of a.ticks) {
      const py = ay(t.at);
      parts.push(`<line x1="${fmt(px - 3)}" x2="${fmt(px)}" y1="${fmt(py)}" y2="${fmt(py)}" stroke="#555"/>`);
      parts.push(`<text x="${fmt(px - 5)}" y="${fmt(py + 3)}" text-anchor="end" font-size="10" fill="#333" paint-order="stroke" stroke="#fff" stroke-width="3">${escapeXml(t.label)}</text>`);
    }
  });
  if (spec.colorLegend !== undefined) {
    const { colors, low, high, label } = spec.colorLegend;
    const w = 160;
    const x0 = frame.width - frame.right - w;
    const y = frame.height - 22;
    colors.forEach((c, i) => parts.push(`<rect x="${fmt(x0 + (i * w) / colors.length)}" y="${y}" width="${fmt(w / colors.length + 0.5)}" height="10" fill="${c}"/>`));
    parts.push(`<text x="${x0 - 6}" y="${y + 9}" text-anchor="end" font-size="11">${escapeXml(`${label} ${low}`)}</text>`);
    parts.push(`<text x="${x0 + w + 6}" y="${y + 9}" font-size="11">${escapeXml(high)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** A labelled point of a {@link scatterMap}. */
export interface MapPoint {
  readonly x: number;
  readonly y: number;
  readonly label: string;
  readonly color: string;
  /** Write the label beside the point (otherwise it is hover text only). */
  readonly showLabel?: boolean;
  readonly size?: number;
  readonly tooltip?: string;
}

/**
 * A 2-D map of labelled points (a projection), equal units on both axes not enforced.
 * @returns one `<svg data-plot>` element
 */
export function scatterMap(spec: { readonly id: string; readonly title: string; readonly xLabel: string; readonly yLabel: string; readonly points: readonly MapPoint[]; readonly notes?: readonly { readonly label: string; readonly color: string }[]; readonly width?: number; readonly height?: number }): string {
  const frame: Frame = { width: spec.width ?? 960, height: spec.height ?? 480, left: 62, right: 170, top: 30, bottom: 44 };
  const x = makeScale({ label: spec.xLabel }, spec.points.map((p) => p.x), frame.left, frame.width - frame.right);
  const y = makeScale({ label: spec.yLabel }, spec.points.map((p) => p.y), frame.height - frame.bottom, frame.top);
  const parts = open(spec.id, spec.title, frame);
  axes(parts, frame, x, y, { label: spec.xLabel }, { label: spec.yLabel });
  const ordered = [...spec.points].sort((a, b) => Number(a.showLabel === true) - Number(b.showLabel === true));
  for (const p of ordered) {
    parts.push(`<circle cx="${fmt(x.map(p.x))}" cy="${fmt(y.map(p.y))}" r="${p.size ?? 4}" fill="${p.color}" fill-opacity="0.8" stroke="#fff" stroke-width="0.8"><title>${escapeXml(p.tooltip ?? p.label)}</title></circle>`);
  }
  for (const p of ordered) {
    if (p.showLabel !== true) continue;
    parts.push(`<text x="${fmt(x.map(p.x) + 7)}" y="${fmt(y.map(p.y) - 6)}" font-size="11" paint-order="stroke" stroke="#fff" stroke-width="3">${escapeXml(p.label)}</text>`);
  }
  let ly = frame.top + 8;
  for (const n of spec.notes ?? []) {
    parts.push(legendEntry(frame.width - frame.right + 14, ly, n.label, n.color, 'circle'));
    ly += 18;
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Viridis, 9 stops: low → high. */
export const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];

/** @returns the viridis colour of t in [0, 1] (nearest stop) */
export function viridis(t: number): string {
  const i = Math.round(Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1));
  return VIRIDIS[i];
}

/**
 * A heatmap: rows × columns of values in [0, 1] (null: no value, drawn hatched grey), viridis.
 * @returns one `<svg data-plot>` element
 */
export function heatmap(spec: { readonly id: string; readonly title: string; readonly rows: readonly string[]; readonly columns: readonly string[]; readonly cells: readonly (readonly (number | null)[])[]; readonly xLabel: string; readonly yLabel: string; readonly legend: string; readonly width?: number }): string {
  const width = spec.width ?? 1100;
  const left = 140;
  const right = 24;
  const top = 40;
  const cellW = Math.max(2, (width - left - right) / Math.max(1, spec.columns.length));
  const cellH = Math.max(6, Math.min(16, 600 / Math.max(1, spec.rows.length)));
  const height = top + cellH * spec.rows.length + 60;
  const frame: Frame = { width, height, left, right, top, bottom: 60 };
  const parts = open(spec.id, spec.title, frame);
  spec.cells.forEach((row, r) => {
    const y = top + r * cellH;
    parts.push(`<text x="${left - 6}" y="${fmt(y + cellH * 0.75)}" text-anchor="end" font-size="${Math.min(11, cellH - 1)}">${escapeXml(spec.rows[r])}</text>`);
    row.forEach((v, c) => {
      const x = left + c * cellW;
      const tip = `<title>${escapeXml(`${spec.rows[r]} on ${spec.columns[c]}: ${v === null ? 'not evaluated' : formatNumber(v)}`)}</title>`;
      parts.push(`<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(cellW + 0.3)}" height="${fmt(cellH + 0.3)}" fill="${v === null ? '#e8e8e8' : viridis(v)}">${tip}</rect>`);
    });
  });
  const y0 = top + cellH * spec.rows.length;
  parts.push(`<text x="${left + (width - left - right) / 2}" y="${y0 + 18}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${top + (y0 - top) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`);
  const lw = 180;
  VIRIDIS.forEach((c, i) => parts.push(`<rect x="${fmt(width - right - lw + (i * lw) / VIRIDIS.length)}" y="${y0 + 32}" width="${fmt(lw / VIRIDIS.length + 0.5)}" height="10" fill="${c}"/>`));
  parts.push(`<text x="${width - right - lw - 6}" y="${y0 + 41}" text-anchor="end" font-size="11">${escapeXml(`${spec.legend} 0`)}</text>`);
  parts.push(`<text x="${width - right + 4}" y="${y0 + 41}" font-size="11">1</text>`);
  parts.push('</svg>');
  return parts.join('');
}
