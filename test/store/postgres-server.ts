/**
 * A throw-away PostgreSQL server for the tests, from the distribution's binaries (Debian:
 * `apt-get install postgresql`, see scripts/ci/install-postgresql.sh): `initdb` a cluster in a
 * temporary folder, start it on a free TCP port of 127.0.0.1 with its unix socket in the same
 * folder, hand out fresh databases, stop and delete everything at the end. As root (CI
 * containers), where initdb refuses to run, the cluster belongs to `nobody` and the server runs
 * as that user. Without the binaries the tests skip with the reason, except under CI, where they fail.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncPgConnection } from '../../src/store/postgres/sync-client.ts';

/** A running server: its admin URL, and fresh databases on it. */
export interface PostgresServer {
  /** `postgresql://metatune@127.0.0.1:PORT/postgres` */
  readonly adminUrl: string;
  readonly port: number;
  /** @returns the URL of a new, empty database */
  createDatabase(prefix?: string): string;
  stop(): void;
}

/** @returns the folder with initdb, pg_ctl and postgres (the newest installed version), or undefined */
export function postgresBinaries(): string | undefined {
  const fromEnv = process.env.METATUNE_PG_BIN;
  if (fromEnv !== undefined && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? undefined : join(root, versions[0], 'bin');
}

/** @returns a skip reason when no server binary exists outside CI; throws under CI */
export function postgresMissing(): string | false {
  if (postgresBinaries() !== undefined) return false;
  const reason = 'no PostgreSQL server binary (initdb) found in /usr/lib/postgresql/*/bin or $METATUNE_PG_BIN: install it with scripts/ci/install-postgresql.sh (apt-get install postgresql)';
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') throw new Error(`CI is set and ${reason}`);
  return reason;
}

/** @returns a free TCP port on 127.0.0.1 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a server binary, as `nobody` when we are root. */
function runAs(asNobody: boolean, command: string, args: readonly string[]): void {
  const [file, argv] = asNobody ? ['runuser', ['-u', 'nobody', '--', command, ...args]] : [command, [...args]];
  const result = spawnSync(file, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
}

/**
 * Starts a throw-away server (fsync off: the tests need speed, not durability across power loss).
 * @returns the running server; call `stop()` in `after()`
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinaries();
  if (bin === undefined) throw new Error('no PostgreSQL server binary');
  const dir = mkdtempSync(join(tmpdir(), 'metatune-pg-'));
  const asNobody = process.getuid?.() === 0;
  if (asNobody) {
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    chownSync(dir, nobody, nobody);
  }
  const data = join(dir, 'data');
  runAs(asNobody, join(bin, 'initdb'), ['-D', data, '-U', 'metatune', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
  runAs(asNobody, join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  const adminUrl = `postgresql://metatune@127.0.0.1:${port}/postgres`;
  const admin = SyncPgConnection.open(adminUrl);
  let databases = 0;
  let stopped = false;
  return {
    adminUrl,
    port,
    createDatabase(prefix = 'test') {
      const name = `${prefix}_${process.pid}_${databases++}`;
      admin.query(`CREATE DATABASE ${name}`);
      return `postgresql://metatune@127.0.0.1:${port}/${name}`;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      admin.close();
      try {
        runAs(asNobody, join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
