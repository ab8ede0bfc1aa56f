/**
 * The HTML shell of reports and dashboard pages: one self-contained document, styles inline, no
 * script, and a Content-Security-Policy that forbids every fetch (so an opened report never
 * touches the network, even if a name in it were crafted to try).
 */
import { VERSION } from '../version.ts';
import { escapeXml, formatNumber } from './svg.ts';

export { escapeXml as escapeHtml };

/** A section of a page: a heading, an optional lead paragraph and its body (HTML). */
export interface Section {
  readonly id: string;
  readonly heading: string;
  readonly body: string;
}

const STYLE = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f5f6f8}
header.top{background:#1d2330;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:baseline;flex-wrap:wrap}
header.top a{color:#cfe3ff;text-decoration:none}header.top a:hover{text-decoration:underline}
header.top .brand{font-weight:700;font-size:16px;color:#fff}
main{max-width:1180px;margin:0 auto;padding:16px 24px 40px}
h1{font-size:22px;margin:12px 0 4px}h2{font-size:17px;margin:0 0 8px}
.meta{color:#555;margin:0 0 12px}
section.card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:16px 18px;margin:14px 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:14px}
.grid section.card{margin:0}
svg{max-width:100%;height:auto;display:block}
svg[data-plot]{width:100%}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
th,td{padding:3px 10px;border-bottom:1px solid #e6e8ec;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#666;font-size:13px;margin:6px 0}
.pill{display:inline-block;border-radius:9px;padding:0 8px;font-size:12px;color:#fff}
.running{background:#0072b2}.complete{background:#009e73}.pruned{background:#d55e00}.failed{background:#7f7f7f}
.bar{background:#e6e8ec;border-radius:4px;height:8px;width:120px;display:inline-block;vertical-align:middle;overflow:hidden}
.bar>span{display:block;height:8px;background:#009e73}
code{font-size:12.5px;background:#f0f2f5;padding:1px 4px;border-radius:3px}
a{color:#0b5cad}
footer{color:#888;font-size:12px;text-align:center;padding:20px}
`;

/**
 * @param options - title, sections, optional navigation links and an optional auto-refresh period
 * @returns a complete HTML document
 */
export function htmlPage(options: {
  readonly title: string;
  readonly heading: string;
  /** HTML (escape text first). */
  readonly subtitle?: string;
  readonly sections: readonly Section[];
  /** Links of the top navigation bar (the dashboard), or none (a report file). */
  readonly nav?: readonly { readonly href: string; readonly label: string }[];
  /** Seconds between reloads (a live dashboard page), or none. */
  readonly refreshSeconds?: number;
  readonly footer?: string;
}): string {
  const nav = options.nav === undefined ? '' : `<header class="top"><span class="brand">metatune</span>${options.nav.map((n) => `<a href="${escapeXml(n.href)}">${escapeXml(n.label)}</a>`).join('')}</header>`;
  const refresh = options.refreshSeconds === undefined ? '' : `<meta http-equiv="refresh" content="${Math.max(1, Math.round(options.refreshSeconds))}">`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    refresh,
    `<title>${escapeXml(options.title)}</title><style>${STYLE}</style></head><body>`,
    nav,
    '<main>',
    `<h1>${escapeXml(options.heading)}</h1>`,
    options.subtitle === undefined ? '' : `<p class="meta">${options.subtitle}</p>`,
    ...options.sections.map((s) => `<section class="card" id="${escapeXml(s.id)}"><h2>${escapeXml(s.heading)}</h2>${s.body}</section>`),
    '</main>',
    `<footer>${options.footer ?? `metatune ${escapeXml(VERSION)}`}</footer>`,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * A table; cells are HTML (escape text first), numbers right-aligned.
 * @returns a `<table>` element
 */
export function htmlTable(headers: readonly string[], rows: readonly (readonly (string | number | null)[])[], numeric: readonly boolean[] = []): string {
  const cell = (tag: 'td' | 'th', value: string | number | null, i: number) => {
    const cls = numeric[i] === true ? ' class="num"' : '';
    const text = value === null ? '' : typeof value === 'number' ? escapeXml(formatNumber(value)) : value;
    return `<${tag}${cls}>${text}</${tag}>`;
  };
  const head = headers.every((h) => h === '') ? '' : `<thead><tr>${headers.map((h, i) => cell('th', escapeXml(h), i)).join('')}</tr></thead>`;
  return `<table>${head}<tbody>${rows.map((r) => `<tr>${r.map((v, i) => cell('td', v, i)).join('')}</tr>`).join('')}</tbody></table>`;
}

/** An SVG placeholder with a message, so that a page always has the same plots. */
export function emptyPlot(id: string, title: string, message: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" data-plot="${escapeXml(id)}" data-empty="true" role="img" aria-label="${escapeXml(title)}" viewBox="0 0 760 120" width="760" height="120" font-family="system-ui, sans-serif" font-size="12"><rect width="760" height="120" fill="#fafafa" stroke="#ddd"/><text x="16" y="22" font-size="14" font-weight="600">${escapeXml(title)}</text><text x="380" y="70" text-anchor="middle" fill="#777">${escapeXml(message)}</text></svg>`;
}
