/**
 * The claim that lets several workers share one study, written once over a few primitives so that
 * every {@link StudyStorage} runs the same rules inside its own transaction:
 *
 * 1. **A dead worker's trial first.** The lowest-numbered running trial of another owner whose
 *    heartbeat is older than the grace period (or that has no lease: released, or left by a
 *    metatune without leases) is leased to the claimant under its number and configuration.
 * 2. **Exact budget.** Otherwise a trial is created only while the study holds fewer trials than
 *    the budget (every state counts), so no worker overshoots and each claim makes one trial.
 * 3. **The queue once.** The oldest queued configuration is removed in the same transaction.
 * 4. **Else the sampler**, called inside the transaction: it sees every running trial of every
 *    worker as pending (constant liar, see README) and the claimant's number is fixed.
 */
import { TrialNotOwnedError } from './errors.ts';
import type { ClaimResult, TrialClaim, TrialInput, TrialLease, WaitingTrial } from './storage.ts';
import type { FrozenTrial } from './types.ts';

/** What a storage does inside the claim's transaction. */
export interface ClaimPrimitives {
  listTrials(): FrozenTrial[];
  listLeases(): TrialLease[];
  listWaiting(): WaitingTrial[];
  dequeue(): WaitingTrial | undefined;
  start(trial: TrialInput): FrozenTrial;
  setLease(number: number, lease: Omit<TrialLease, 'number'>): void;
}

/**
 * Runs one claim; call it inside a write transaction.
 * @param store - the storage's primitives for one study
 * @param claim - who claims, the budget and the grace period
 * @returns the claimed trial and where it came from, or how many trials other live workers run
 */
export function claimNext(store: ClaimPrimitives, claim: TrialClaim): ClaimResult {
  const now = claim.now ?? Date.now();
  const trials = store.listTrials();
  const leases = new Map(store.listLeases().map((l) => [l.number, l]));
  const lease = { owner: claim.owner.id, host: claim.owner.host, pid: claim.owner.pid, heartbeatAt: now };
  const running = trials.filter((t) => t.state === 'running' && leases.get(t.number)?.owner !== claim.owner.id);
  const stale = running.find((t) => isStale(leases.get(t.number), now, claim.staleAfterMs));
  if (stale !== undefined) {
    store.setLease(stale.number, lease);
    return { trial: { ...stale, intermediate: [...stale.intermediate] }, source: 'stale' };
  }
  if (claim.budget !== undefined && trials.length >= claim.budget) return { trial: undefined, running: running.length };
  const waiting = store.dequeue();
  const input = waiting === undefined ? claim.propose(trials, store.listWaiting()) : (claim.complete?.(waiting, trials, store.listWaiting()) ?? waiting);
  const trial = store.start({ configHash: input.configHash, config: input.config, origin: input.origin, startedAt: new Date(now).toISOString() });
  store.setLease(trial.number, lease);
  return { trial, source: waiting === undefined ? 'sampler' : 'queue' };
}

/**
 * @param lease - a running trial's lease (undefined: none)
 * @param now - ms since the epoch
 * @param staleAfterMs - the grace period
 * @returns whether the trial may be re-claimed: no lease, or a heartbeat older than the grace period
 */
export function isStale(lease: TrialLease | undefined, now: number, staleAfterMs: number): boolean {
  if (staleAfterMs === Infinity) return false;
  return lease === undefined || lease.heartbeatAt <= now - staleAfterMs;
}

/**
 * @throws TrialNotOwnedError unless `owner` holds the running trial (no-op when `owner` is undefined)
 */
export function requireOwner(study: string, number: number, owner: string | undefined, leases: readonly TrialLease[]): void {
  if (owner === undefined) return;
  const lease = leases.find((l) => l.number === number);
  if (lease?.owner === owner) return;
  const holder = lease === undefined ? 'no longer running here (another worker finished or released it)' : `held by another worker (${lease.host}, pid ${lease.pid})`;
  throw new TrialNotOwnedError(
    `trial ${number} of study '${study}' is ${holder}: this worker's heartbeat was older than the grace period, so the trial was re-claimed; this result is not recorded on it`,
  );
}
