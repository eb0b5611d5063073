import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { deepCopy, ExecutionBaseError } from 'n8n-workflow';

import { FanslyError, operationError, scrubNodeError, scrubThrown, toNodeError } from '../helpers/errors';
import { ownEntry } from '../helpers/input';
import { providerFor } from '../providers';
import type { ProviderId, TrackingLinkProvider } from '../providers/types';
import type { Transport } from '../transport';
import { createTransport, readSecrets } from '../transport';
import type { Secrets } from '../transport/secrets';
import { deletionsOfRun } from './deletions';
import { LinkDirectory } from './linkDirectory';
import type { RunSettings } from './options';
import { readRunSettings } from './options';
import type { Outcome, Task } from './runner';
import { AdaptiveConcurrency, runTasks } from './runner';
import { operations as trackingLinkOperations } from './trackingLink';
import type { Operation, OperationContext } from './types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const resources: Record<string, Record<string, Operation<any>>> = {
	trackingLink: trackingLinkOperations,
};

/** The operation n8n adds to nodes whose credentials can authenticate any request. */
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

interface Prepared {
	index: number;
	params?: unknown;
	error?: unknown;
}

/** What the whole run needs before any request, each part read and checked once. */
interface Plan {
	operation: Operation<unknown>;
	provider: TrackingLinkProvider;
	prepared: Prepared[];
	settings: RunSettings;
}

function errorItem(
	ctx: IExecuteFunctions,
	error: unknown,
	index: number,
	provider: ProviderId | undefined,
	subject: IDataObject,
	secrets?: Secrets,
): INodeExecutionData {
	const nodeError = toNodeError(ctx.getNode(), error, index);
	const json: IDataObject = { error: nodeError.message, itemIndex: index, ...subject };
	if (nodeError.description) json.description = nodeError.description;
	const httpCode = 'httpCode' in nodeError ? nodeError.httpCode : undefined;
	if (httpCode) json.httpCode = Number(httpCode);
	if (error instanceof FanslyError && error.details.providerMessage !== undefined) {
		json.providerMessage = error.details.providerMessage;
	}
	if (provider) json.provider = provider;
	const clean = secrets ? secrets.value(json) : json;
	if (ctx.getNode().onError === 'continueErrorOutput') {
		// Every n8n line routes an item to the error output when its JSON holds just `error`
		// and `message` (n8n 1.x: exactly these two; 2.36 and later also accept `details`),
		// then merges the input item's fields in; an item carrying an error object would be
		// cut down to its message. So `error` keeps the text and `message` the other fields.
		const { error: text, ...fields } = clean;
		return { json: { error: text, message: fields }, pairedItem: { item: index } };
	}
	return { json: clean, pairedItem: { item: index } };
}

function withItem(ctx: IExecuteFunctions, error: unknown, index: number, secrets?: Secrets) {
	const nodeError = toNodeError(ctx.getNode(), error, index);
	if (!nodeError.message.includes(`(item ${index})`)) {
		nodeError.message = `${nodeError.message} (item ${index})`;
	}
	return secrets ? scrubNodeError(nodeError, secrets) : nodeError;
}

/** A failure of the whole run as n8n shows it: n8n's own errors as they are, anything else wrapped. */
function runError(ctx: IExecuteFunctions, error: unknown): ExecutionBaseError {
	if (error instanceof ExecutionBaseError) return error;
	return operationError(ctx.getNode(), error instanceof Error ? error : String(error));
}

function chosenProvider(ctx: IExecuteFunctions): TrackingLinkProvider | undefined {
	return providerFor(ctx.getNodeParameter('authentication', 0));
}

/**
 * Resolves the operation and the provider, reads and checks every item's parameters (a bad
 * item stops the run here unless Continue On Fail is on) and the run's Options. Throws what
 * makes the whole run fail before any request.
 */
function planRun(ctx: IExecuteFunctions, itemCount: number, continueOnFail: boolean): Plan {
	// The provider first: which operations can be read depends on it.
	const provider = chosenProvider(ctx);
	if (!provider) {
		throw operationError(
			ctx.getNode(),
			'Unknown provider: choose an API Fansly or a Fans API credential for this node',
		);
	}
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operationName = ctx.getNodeParameter('operation', 0) as string;
	if (operationName === CUSTOM_API_CALL) {
		throw operationError(
			ctx.getNode(),
			'Custom API Call is not an operation of the Fansly node: use the HTTP Request node for other endpoints',
			{
				description:
					'In an HTTP Request node choose Authentication → Predefined Credential Type and pick this node’s API Fansly or Fans API credential: n8n then sends the API key for you.',
			},
		);
	}
	const operation = ownEntry(ownEntry(resources, resource), operationName);
	if (!operation) {
		throw operationError(ctx.getNode(), `The operation "${operationName}" of "${resource}" is not known`);
	}
	if (!provider.capabilities.has(operation.capability)) {
		throw operationError(ctx.getNode(), `${provider.displayName} does not support this operation`, {
			description: `${provider.unsupportedReason}. Choose Fans API as the provider for this operation.`,
		});
	}
	if (operationName === 'create' && ctx.getNode().retryOnFail === true) {
		// n8n's Retry On Fail runs the whole node again after a failure (or an error item): every
		// link a row created would be created once more, and a Create that may have reached the
		// provider would be sent again.
		throw operationError(
			ctx.getNode(),
			'Create does not run with the node setting "Retry On Fail": n8n would run the whole node again after a failure and create the links of the rows that succeeded a second time',
			{
				description:
					'Turn off Settings → Retry On Fail for this node. The node retries a Create itself where that is safe (option "Retry": after a 429, a 503 or a refused connection), and never after a failure where the link may have been created.',
			},
		);
	}
	const prepared: Prepared[] = Array.from({ length: itemCount }, (_, index) => {
		try {
			return { index, params: operation.read(ctx, index, provider) };
		} catch (error) {
			return { index, error };
		}
	});
	const firstBad = prepared.find((p) => p.error !== undefined);
	if (firstBad && !continueOnFail) throw withItem(ctx, firstBad.error, firstBad.index);
	return { operation, provider, prepared, settings: readRunSettings(ctx, itemCount) };
}

/**
 * Runs the chosen operation for every input item: reads and checks each item's parameters
 * first (no request is sent for a batch with a bad item unless Continue On Fail is on), then
 * sends the requests with adaptive concurrency under the provider's rate limit, and returns
 * exactly one result per input item (an error item with Continue On Fail), in input order,
 * each paired to its input.
 *
 * A failure of the whole run before any request (an unknown or unsupported operation, an
 * invalid Option, a credential that cannot be read) follows n8n's rules for a node that
 * fails: it stops the workflow, or with Continue On Fail every input item becomes an error
 * item, on the error output with "Continue (using error output)".
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	let plan: Plan;
	let concurrency: AdaptiveConcurrency;
	let client: Transport;
	try {
		plan = planRun(this, items.length, continueOnFail);
		concurrency = new AdaptiveConcurrency(plan.settings.maxConcurrency);
		client = await createTransport(this, plan.provider, plan.settings.transport, concurrency);
	} catch (error) {
		// Scrubbed as every failure after a request is: a value rejected here may hold the key.
		const provider = chosenProvider(this);
		const secrets = provider ? await readSecrets(this, provider) : undefined;
		if (!continueOnFail) throw scrubThrown(runError(this, error), secrets);
		return [items.map((_, index) => errorItem(this, error, index, provider?.id, {}, secrets))];
	}
	return await sendAll(this, plan, client, concurrency, continueOnFail);
}

/**
 * 2. Sends: one transport, concurrency and link directory for this execution; the rate budget is
 * the key's, shared with every execution using it, and given back when done; what the Deletes
 * did, kept for n8n's next try when there will be one.
 */
async function sendAll(
	ctx: IExecuteFunctions,
	{ operation, provider, prepared, settings }: Plan,
	client: Transport,
	concurrency: AdaptiveConcurrency,
	continueOnFail: boolean,
): Promise<INodeExecutionData[][]> {
	const { secrets } = client;
	const cancelled = ctx.getExecutionCancelSignal();
	const tasks: Array<Task<object[]>> = [];
	const run = deletionsOfRun(ctx);
	let output: INodeExecutionData[] | undefined;
	try {
		const context: OperationContext = {
			provider,
			client,
			links: new LinkDirectory(provider, client),
			deletions: run.deletions,
			options: settings.run,
		};
		for (const p of prepared) {
			if (p.error !== undefined) continue;
			tasks.push({
				index: p.index,
				key: operation.key?.(p.params),
				run: async () => await operation.execute(p.params, context),
			});
		}
		const outcomes = await runTasks(tasks, concurrency, !continueOnFail, cancelled);
		output = outputOf(ctx, operation, provider, prepared, tasks.length, outcomes, secrets, continueOnFail, cancelled);
	} finally {
		client.release();
		// n8n's Retry On Fail runs the node again when it throws or its first item is an error item.
		run.endTry(output === undefined || output[0]?.json.error !== undefined);
	}
	return [output];
}

/** 3. One result per input item, in input order, scrubbed of the key; throws what stops the run. */
function outputOf(
	ctx: IExecuteFunctions,
	operation: Operation<unknown>,
	provider: TrackingLinkProvider,
	prepared: Prepared[],
	sent: number,
	outcomes: Map<number, Outcome<object[]>>,
	secrets: Secrets,
	continueOnFail: boolean,
	cancelled: AbortSignal | undefined,
): INodeExecutionData[] {
	const fail = (error: unknown, index: number, subject: IDataObject) =>
		errorItem(ctx, error, index, provider.id, subject, secrets);
	if (cancelled?.aborted) {
		// n8n has already marked the execution cancelled; this only ends the node promptly.
		const completed = [...outcomes.values()].filter((o) => o.ok).length;
		throw operationError(
			ctx.getNode(),
			`The execution was cancelled: ${completed} of ${sent} item${sent === 1 ? '' : 's'} completed, nothing more was sent`,
		);
	}

	const output: INodeExecutionData[] = [];
	// Items that read the same link (two Gets of it, Get Many over one account twice) get the
	// run's one copy of it: each output item needs its own, or a node after this one that edits
	// an item in place would edit the others too.
	const emitted = new Set<object>();
	for (const p of prepared) {
		const subject = p.params === undefined ? {} : operation.subject(p.params);
		if (p.error !== undefined) {
			output.push(fail(p.error, p.index, subject));
			continue;
		}
		const outcome = outcomes.get(p.index);
		if (outcome === undefined) continue; // not started after an earlier failure
		if (!outcome.ok) {
			if (!continueOnFail) throw withItem(ctx, outcome.error, p.index, secrets);
			output.push(fail(outcome.error, p.index, subject));
			continue;
		}
		for (const value of outcome.value) {
			const json = secrets.value(value as IDataObject);
			output.push({ json: emitted.has(json) ? deepCopy(json) : json, pairedItem: { item: p.index } });
			emitted.add(json);
		}
	}
	return output;
}
