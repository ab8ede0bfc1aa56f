/**
 * `metatune dashboard`: a local, read-only web app over the meta-knowledge store, on node:http.
 *
 * Pages (GET and HEAD only; every other method is 405, nothing writes):
 * - `/` the studies with their progress (trials by state, best value, last activity); while any
 *   trial runs the page reloads itself every few seconds (a meta refresh: the pages carry no
 *   script), so a search in progress can be watched live;
 * - `/studies/NAME` a study's report (the same sections and plots as `metatune report`);
 * - `/tasks` the tasks with their size and the map of their meta-features; `/tasks/NAME` one
 *   task's meta-features, nearest tasks, studies and best configurations;
 * - `/spaces` the search spaces; `/spaces/NAME` the configurations with their scores across tasks;
 * - `/api/studies` the studies' progress as JSON.
 * An unknown path or name is a 404 page; an error while rendering is a 500 page, and the server
 * keeps serving. It binds to 127.0.0.1 unless told otherwise.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { emptyPlot, escapeHtml, htmlPage, htmlTable, type Section } from '../report/html.ts';
import { projectTasks } from '../report/projection.ts';
import { configurationMatrix } from '../report/space-data.ts';
import { bestTrialOf, stateCounts } from '../report/study-data.ts';
import { collectStudyReport, studySections, taskMapPlot } from '../report/study-report.ts';
import { formatNumber, heatmap } from '../report/svg.ts';
import { vectorPerTask } from '../store/similarity.ts';
import type { MetaStore } from '../store/types.ts';
import type { StudyRecord, TrialRecord } from '../store/records.ts';

/** Settings of {@link startDashboard}. */
export interface DashboardOptions {
  /** Port; 0 picks a free one (default 8080). */
  readonly port?: number;
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Seconds between reloads of pages that show running trials (default 5). */
  readonly refreshSeconds?: number;
}

/** A running dashboard. */
export interface Dashboard {
  readonly url: string;
  readonly server: Server;
  /** Stops accepting connections and closes the open ones. */
  close(): Promise<void>;
}

class NotFound extends Error {}

const NAV = [
  { href: '/', label: 'Studies' },
  { href: '/tasks', label: 'Tasks' },
  { href: '/spaces', label: 'Search spaces' },
];

const link = (prefix: string, name: string) => `<a href="${prefix}/${encodeURIComponent(name)}">${escapeHtml(name)}</a>`;

interface StudyProgress {
  readonly name: string;
  readonly task: string | null;
  readonly space: string;
  readonly direction: string;
  readonly trials: number;
  readonly running: number;
  readonly complete: number;
  readonly pruned: number;
  readonly failed: number;
  readonly best: number | null;
  readonly bestTrial: number | null;
  readonly lastActivity: string | null;
}

function progressOf(study: StudyRecord, trials: readonly TrialRecord[]): StudyProgress {
  const counts = stateCounts(trials);
  const best = bestTrialOf(trials, study.direction);
  const times = trials.flatMap((t) => [t.startedAt, t.finishedAt ?? '']).filter((s) => s !== '').sort();
  return {
    name: study.name, task: study.task, space: study.space, direction: study.direction, trials: trials.length, ...counts,
    best: best?.value ?? null, bestTrial: best?.number ?? null, lastActivity: times.length === 0 ? null : times[times.length - 1],
  };
}

/** Renders the dashboard's pages from a store. */
export class DashboardPages {
  constructor(private readonly store: MetaStore, private readonly refreshSeconds = 5) {}

  /** @returns the progress of every study */
  studies(): StudyProgress[] {
    return this.store.listStudies().map((s) => progressOf(s, this.store.listTrials(s.name)));
  }

  home(): string {
    const studies = this.studies();
    const running = studies.some((s) => s.running > 0);
    const rows = studies.map((s) => {
      const done = s.complete + s.pruned + s.failed;
      const bar = s.trials === 0 ? '' : `<span class="bar"><span style="width:${Math.round((100 * done) / s.trials)}%"></span></span> `;
      return [
        link('/studies', s.name), s.task === null ? '—' : link('/tasks', s.task), link('/spaces', s.space),
        `${bar}${s.trials} trials${s.running > 0 ? ` <span class="pill running">${s.running} running</span>` : ''}`,
        s.complete, s.pruned, s.failed, s.best, s.bestTrial, escapeHtml(s.lastActivity ?? '—'),
      ];
    });
    const body = studies.length === 0
      ? '<p class="note">The store has no studies yet: run <code>metatune search FILE --budget N</code>, and watch it here.</p>'
      : htmlTable(['study', 'task', 'space', 'progress', 'complete', 'pruned', 'failed', 'best', 'best trial', 'last activity'], rows, [false, false, false, false, true, true, true, true, true, false]);
    const locations = this.store.describe().map((l) => `${escapeHtml(l.role)}: <code>${escapeHtml(l.path)}</code>`).join(' · ');
    return htmlPage({
      title: 'metatune dashboard', heading: 'Studies', nav: NAV, refreshSeconds: running ? this.refreshSeconds : undefined,
      subtitle: `${studies.length} studies${running ? ` · live: reloads every ${this.refreshSeconds} s while trials run` : ''} · read-only view of ${locations || 'an empty store'}`,
      sections: [{ id: 'studies', heading: 'Studies', body }],
    });
  }

  study(name: string): string {
    if (this.store.getStudy(name) === undefined) throw new NotFound(`no study named '${name}'`);
    const report = collectStudyReport(this.store, name);
    const running = report.counts.running > 0;
    return htmlPage({
      title: `${name} · metatune dashboard`, heading: `Study ${name}`, nav: NAV, refreshSeconds: running ? this.refreshSeconds : undefined,
      subtitle: escapeHtml(`task ${report.task?.name ?? '—'} · space ${report.study.space} · ${report.trials.length} trials${running ? ` · ${report.counts.running} running: reloads every ${this.refreshSeconds} s` : ''}`),
      sections: studySections(report, { taskHref: (t) => `/tasks/${encodeURIComponent(t)}` }),
    });
  }

  tasks(): string {
    const tasks = this.store.listTasks();
    const vectors = vectorPerTask(this.store.listMetaFeatures());
    const map = vectors.length === 0 ? undefined : projectTasks(vectors);
    const rows = tasks.map((t) => [link('/tasks', t.name), escapeHtml(t.taskType), t.nRows, t.nFeatures, t.nClasses, escapeHtml(t.target), escapeHtml(t.createdAt.slice(0, 10))]);
    return htmlPage({
      title: 'Tasks · metatune dashboard', heading: 'Tasks', nav: NAV, subtitle: `${tasks.length} tasks, ${vectors.length} with meta-features`,
      sections: [
        { id: 'map', heading: 'Tasks by meta-features', body: `${taskMapPlot(map, 'Stored tasks: principal components of the meta-features')}<p class="note">Hover a point for its name.</p>` },
        { id: 'list', heading: 'All tasks', body: htmlTable(['task', 'type', 'rows', 'features', 'classes', 'target', 'registered'], rows, [false, false, true, true, true, false, false]) },
      ],
    });
  }

  task(name: string): string {
    const task = this.store.getTask(name);
    if (task === undefined) throw new NotFound(`no task named '${name}'`);
    const vectors = vectorPerTask(this.store.listMetaFeatures());
    const own = vectors.find((v) => v.task === name);
    const map = vectors.length === 0 ? undefined : projectTasks(vectors, { task: name, k: 5 });
    const features = own === undefined
      ? '<p class="note">No meta-features stored for this task.</p>'
      : `<p class="note">Extractor version ${escapeHtml(own.extractorVersion)}.</p>` + htmlTable(['meta-feature', 'value', 'missing because'], Object.keys(own.values).sort().map((k) => [escapeHtml(k), own.values[k], escapeHtml(own.missing[k] ?? '')]), [false, true, false]);
    const near = map === undefined || map.neighbors.length === 0 ? '<p class="note">No other task has meta-features.</p>'
      : htmlTable(['#', 'task', 'distance'], map.neighbors.map((n, i) => [i + 1, link('/tasks', n.task), n.distance]), [true, false, true]);
    const studies = this.store.listStudies().filter((s) => s.task === name);
    const scores = this.store.listEvaluationScores({ task: name, status: 'ok' });
    const bySpace = new Map<string, typeof scores>();
    for (const s of scores) bySpace.set(s.space, [...(bySpace.get(s.space) ?? []), s]);
    const bestConfigs = [...bySpace].map(([space, list]) => {
      const top = [...list].filter((e) => e.primaryScore !== null).sort((a, b) => (b.primaryScore as number) - (a.primaryScore as number)).slice(0, 5);
      return `<h3>${link('/spaces', space)} (${list.length} evaluations)</h3>` + htmlTable(['configuration', 'score', 'fidelity', 'protocol'], top.map((e) => [`<code>${escapeHtml(e.configHash.slice(0, 12))}</code>`, e.primaryScore, e.fidelity, escapeHtml(e.protocolId)]), [false, true, true, false]);
    }).join('');
    const sections: Section[] = [
      { id: 'task', heading: 'Task', body: htmlTable(['', ''], [['type', escapeHtml(task.taskType)], ['rows × features', `${task.nRows} × ${task.nFeatures}`], ['classes', task.nClasses === null ? '—' : String(task.nClasses)], ['target', escapeHtml(task.target)], ['source', escapeHtml(task.source)], ['content hash', `<code>${escapeHtml(task.contentHash.slice(0, 16))}…</code>`]]) },
      { id: 'map', heading: 'Among the stored tasks', body: taskMapPlot(map) + near },
      { id: 'studies', heading: 'Studies on this task', body: studies.length === 0 ? '<p class="note">None.</p>' : `<ul>${studies.map((s) => `<li>${link('/studies', s.name)} (${escapeHtml(s.space)})</li>`).join('')}</ul>` },
      { id: 'configs', heading: 'Best evaluated configurations', body: bestConfigs === '' ? '<p class="note">No evaluations.</p>' : bestConfigs },
      { id: 'features', heading: 'Meta-features', body: features },
    ];
    return htmlPage({ title: `${name} · metatune dashboard`, heading: `Task ${name}`, nav: NAV, sections });
  }

  spaces(): string {
    const spaces = this.store.listSearchSpaces();
    const names = [...new Set(spaces.map((s) => s.name))].sort();
    const scores = this.store.listEvaluationScores();
    const rows = names.map((n) => {
      const of = scores.filter((s) => s.space === n);
      return [link('/spaces', n), spaces.filter((s) => s.name === n).length, new Set(of.map((s) => s.task)).size, new Set(of.map((s) => s.configHash)).size, of.length];
    });
    return htmlPage({
      title: 'Search spaces · metatune dashboard', heading: 'Search spaces', nav: NAV,
      sections: [{ id: 'spaces', heading: 'Search spaces', body: names.length === 0 ? '<p class="note">No search space stored.</p>' : htmlTable(['space', 'versions', 'tasks', 'configurations', 'evaluations'], rows, [false, true, true, true, true]) }],
    });
  }

  space(name: string): string {
    const versions = this.store.listSearchSpaces().filter((s) => s.name === name);
    const scores = this.store.listEvaluationScores({ space: name });
    if (versions.length === 0 && scores.length === 0) throw new NotFound(`no search space named '${name}'`);
    const matrix = configurationMatrix(scores, 40);
    const configs = new Map(this.store.listConfigurations(name).map((c) => [c.hash, c.config]));
    const plot = matrix.configurations.length === 0
      ? emptyPlot('space-heatmap', 'Configurations across tasks', 'no task has two differently scored configurations')
      : heatmap({
        id: 'space-heatmap', title: `Top ${matrix.configurations.length} configurations across ${matrix.tasks.length} tasks (normalised score per task)`,
        rows: matrix.configurations.map((c, i) => `${i + 1}. ${c.hash.slice(0, 10)}`), columns: matrix.tasks, cells: matrix.cells,
        xLabel: 'tasks (by name)', yLabel: 'configurations by mean normalised score', legend: 'normalised score',
      });
    const rows = matrix.configurations.map((c, i) => {
      const config = configs.get(c.hash);
      const text = config === undefined ? '' : Object.entries(config).map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : String(v)}`).join(' ');
      return [i + 1, `<code>${escapeHtml(c.hash.slice(0, 12))}</code>`, c.meanNormalized, c.tasks, `<code>${escapeHtml(text)}</code>`];
    });
    return htmlPage({
      title: `${name} · metatune dashboard`, heading: `Search space ${name}`, nav: NAV,
      subtitle: escapeHtml(`${versions.length} stored version(s) · ${scores.length} evaluations`),
      sections: [
        { id: 'heatmap', heading: 'Scores across tasks', body: `${plot}<p class="note">Each task's scores scaled between its worst (0) and best (1) evaluated configuration; grey: not evaluated on that task.</p>` },
        { id: 'configs', heading: 'Configurations by mean normalised score', body: htmlTable(['#', 'hash', 'mean normalised score', 'tasks', 'configuration'], rows, [true, false, true, true, false]) },
      ],
    });
  }

  notFound(what: string): string {
    return htmlPage({ title: 'Not found · metatune dashboard', heading: 'Not found', nav: NAV, sections: [{ id: 'not-found', heading: '404', body: `<p>${escapeHtml(what)}.</p><p><a href="/">Back to the studies</a></p>` }] });
  }

  error(what: string): string {
    return htmlPage({ title: 'Error · metatune dashboard', heading: 'Error', nav: NAV, sections: [{ id: 'error', heading: '500', body: `<p>The page could not be rendered: ${escapeHtml(what)}</p><p><a href="/">Back to the studies</a></p>` }] });
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'", ...extra,
  });
  res.end(head ? undefined : body);
}

/**
 * Handles one request: a page, 404, 405 or 500. Never writes to the store.
 */
export function handleRequest(pages: DashboardPages, req: IncomingMessage, res: ServerResponse): void {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    send(res, 405, 'text/plain; charset=utf-8', 'read-only dashboard: only GET and HEAD\n', false, { allow: 'GET, HEAD' });
    return;
  }
  const html = 'text/html; charset=utf-8';
  let path: string;
  let parts: string[];
  try {
    path = new URL(req.url ?? '/', 'http://localhost').pathname;
    parts = path.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  } catch {
    send(res, 400, html, pages.notFound('a malformed address'), head);
    return;
  }
  try {
    const [section, name, ...rest] = parts;
    if (rest.length > 0) throw new NotFound(`no page at ${path}`);
    let body: string;
    if (section === undefined) body = pages.home();
    else if (section === 'studies' && name !== undefined) body = pages.study(name);
    else if (section === 'studies') body = pages.home();
    else if (section === 'tasks') body = name === undefined ? pages.tasks() : pages.task(name);
    else if (section === 'spaces') body = name === undefined ? pages.spaces() : pages.space(name);
    else if (section === 'api' && name === 'studies') {
      send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify(pages.studies())}\n`, head);
      return;
    } else throw new NotFound(`no page at ${path}`);
    send(res, 200, html, body, head);
  } catch (error) {
    if (error instanceof NotFound) send(res, 404, html, pages.notFound(error.message), head);
    else send(res, 500, html, pages.error(error instanceof Error ? error.message : String(error)), head);
  }
}

/**
 * Starts the dashboard.
 * @param store - the store to show (open it read-only: `openStoreReadOnly`)
 * @returns the address and a close function; the caller closes the store after `close()`
 */
export async function startDashboard(store: MetaStore, options: DashboardOptions = {}): Promise<Dashboard> {
  const pages = new DashboardPages(store, options.refreshSeconds ?? 5);
  const server = createServer((req, res) => handleRequest(pages, req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/`,
    server,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
