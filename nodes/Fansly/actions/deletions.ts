import type { IExecuteFunctions } from 'n8n-workflow';

/** A Delete's outcome for its link: `done`, or `maybe` when it failed after it may have been carried out. */
export type Deletion = 'done' | 'maybe';

/** What a node run's Deletes did to each link, per account. */
export class Deletions {
	private readonly byAccount = new Map<string, Map<string, Deletion>>();

	private count = 0;

	record(accountId: string, trackingLinkId: string, deletion: Deletion): void {
		let links = this.byAccount.get(accountId);
		if (!links) {
			links = new Map();
			this.byAccount.set(accountId, links);
		}
		if (!links.has(trackingLinkId)) this.count++;
		links.set(trackingLinkId, deletion);
	}

	of(accountId: string, trackingLinkId: string): Deletion | undefined {
		return this.byAccount.get(accountId)?.get(trackingLinkId);
	}

	/** How many links it holds. */
	get size(): number {
		return this.count;
	}
}

/**
 * n8n's node setting Retry On Fail runs a node whose run failed (it threw, or its first output
 * item is an error item) again, from its first item, in the same execution and run index, and
 * tells the node nothing of the earlier try. Every link an earlier try deleted would then be
 * "not found", and the batch could never succeed. So a node run's deletions are kept across its
 * tries, here, for the node runs with Retry On Fail on. n8n says nothing when the last try is
 * over: a run's deletions are kept only after a try n8n repeats, and dropped once nothing has
 * used them for `limits.idleMs` (n8n waits at most 5 s between tries; swept at every node run),
 * or, oldest first, when all runs together hold more than `limits.maxLinks` links.
 */
const kept = new Map<string, { deletions: Deletions; usedAt: number }>();

/** How long and how much is kept (tests lower `maxLinks`). */
export const limits = { idleMs: 10 * 60_000, maxLinks: 100_000 };

/** The node run's key: n8n repeats a run under the same execution, node and run index. */
function runKey(ctx: IExecuteFunctions): string | undefined {
	if (ctx.getNode().retryOnFail !== true) return undefined;
	const executionId = ctx.getExecutionId();
	if (!executionId) return undefined;
	const runIndex = ctx.getWorkflowDataProxy(0).$runIndex as number;
	return JSON.stringify([executionId, ctx.getNode().name, runIndex]);
}

function forgetIdle(now: number): void {
	let links = 0;
	for (const [key, entry] of kept) {
		if (now - entry.usedAt > limits.idleMs) kept.delete(key);
		else links += entry.deletions.size;
	}
	// Map order is insertion order and a used entry is inserted again: oldest first.
	for (const [key, entry] of kept) {
		if (links <= limits.maxLinks) break;
		kept.delete(key);
		links -= entry.deletions.size;
	}
}

/** This node run's deletions, with those of its earlier tries under n8n's Retry On Fail. */
export interface RunDeletions {
	deletions: Deletions;
	/** After the try: kept when n8n will run it again (it threw, or its first output item is an error item). */
	endTry(repeated: boolean): void;
}

export function deletionsOfRun(ctx: IExecuteFunctions): RunDeletions {
	forgetIdle(performance.now());
	const key = runKey(ctx);
	if (key === undefined) return { deletions: new Deletions(), endTry: () => {} };
	const deletions = kept.get(key)?.deletions ?? new Deletions();
	kept.delete(key);
	return {
		deletions,
		endTry: (repeated) => {
			if (repeated && deletions.size > 0) kept.set(key, { deletions, usedAt: performance.now() });
		},
	};
}

/** How many node runs' deletions are kept (for tests). */
export function keptRuns(): number {
	return kept.size;
}
