/** `metatune dashboard`: serve the read-only dashboard until Ctrl-C (or SIGTERM). */
import { openStoreReadOnly } from '../../dashboard/open-store.ts';
import { startDashboard } from '../../dashboard/server.ts';
import { UsageError } from '../../errors.ts';

export interface DashboardContext {
  readonly port: number;
  readonly host: string;
  readonly refreshSeconds: number;
  readonly db?: string;
}

/**
 * Opens the store read-only, serves it, prints the address, and returns when interrupted.
 * @throws StoreError for a missing database; UsageError when the port is taken or not allowed
 */
export async function runDashboard(context: DashboardContext): Promise<void> {
  const store = openStoreReadOnly(context.db);
  try {
    let dashboard;
    try {
      dashboard = await startDashboard(store, { port: context.port, host: context.host, refreshSeconds: context.refreshSeconds });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UsageError(`port ${context.port} is in use on ${context.host}; choose another with --port (0: any free port)`, { column: '--port' });
      if (code === 'EACCES') throw new UsageError(`not allowed to listen on port ${context.port}; choose one above 1023 with --port`, { column: '--port' });
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot bind to --host '${context.host}' on this machine`, { column: '--host' });
      throw error;
    }
    const where = store.describe().map((l) => `${l.role} ${l.path}`).join(', ') || 'an empty store';
    process.stdout.write(`metatune dashboard (read-only) on ${dashboard.url}\nstore: ${where}\nCtrl-C to stop\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await dashboard.close();
  } finally {
    store.close();
  }
}
