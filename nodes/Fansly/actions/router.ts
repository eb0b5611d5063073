import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { FanslyError, toNodeError } from '../helpers/errors';
import { providerFor } from '../providers';
import type { ProviderId } from '../providers/types';
import { createTransport } from '../transport';
import { LinkDirectory } from './linkDirectory';
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

function errorItem(
	ctx: IExecuteFunctions,
	error: unknown,
	index: number,
	provider: ProviderId | undefined,
	subject: IDataObject,
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
	if (ctx.getNode().onError === 'continueErrorOutput') {
		// Every n8n line routes an item to the error output when its JSON holds just `error`
		// and `message` (n8n 1.x: exactly these two; 2.36 and later also accept `details`),
		// then merges the input item's fields in; an item carrying an error object would be
		// cut down to its message. So `error` keeps the text and `message` the other fields.
		const { error: text, ...fields } = json;
		return { json: { error: text, message: fields }, pairedItem: { item: index } };
	}
	return { json, pairedItem: { item: index } };
}

function withItem(ctx: IExecuteFunctions, error: unknown, index: number) {
	const nodeError = toNodeError(ctx.getNode(), error, index);
	if (!nodeError.message.includes(`(item ${index})`)) {
		nodeError.message = `${nodeError.message} (item ${index})`;
	}
	return nodeError;
}

/**
 * Runs the chosen operation for every input item: reads and checks each item's parameters
 * first (no request is sent for a batch with a bad item unless Continue On Fail is on), then
 * sends the requests with adaptive concurrency under the provider's rate limit, and returns
 * exactly one result per input item (an error item with Continue On Fail), in input order,
 * each paired to its input.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (operationName === CUSTOM_API_CALL) {
		throw new NodeOperationError(
			this.getNode(),
			'Custom API Call is not an operation of the Fansly node: use the HTTP Request node for other endpoints',
			{
				description:
					'In an HTTP Request node choose Authentication → Predefined Credential Type and pick this node’s API Fansly or Fans API credential: n8n then sends the API key for you.',
			},
		);
	}
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not known`);
	}
	const provider = providerFor(this.getNodeParameter('authentication', 0));
	if (!provider) {
		throw new NodeOperationError(
			this.getNode(),
			'Unknown provider: choose an API Fansly or a Fans API credential for this node',
		);
	}

	const fail = (error: unknown, index: number, subject: IDataObject = {}) =>
		continueOnFail ? errorItem(this, error, index, provider.id, subject) : undefined;

	if (!provider.capabilities.has(operation.capability)) {
		const error = new NodeOperationError(
			this.getNode(),
			`${provider.displayName} does not support this operation`,
			{
				description: `${provider.unsupportedReason}. Choose Fans API as the provider for this operation.`,
			},
		);
		if (!continueOnFail) throw error;
		return [items.map((_, index) => fail(error, index) as INodeExecutionData)];
	}

	// 1. Read and check every item before sending anything.
	const prepared: Prepared[] = items.map((_, index) => {
		try {
			return { index, params: operation.read(this, index) };
		} catch (error) {
			return { index, error };
		}
	});
	const firstBad = prepared.find((p) => p.error !== undefined);
	if (firstBad && !continueOnFail) throw withItem(this, firstBad.error, firstBad.index);

	// 2. Send: one transport, concurrency and link directory for this execution; the rate
	// budget is the key's, shared with every execution using it, and given back when done.
	const settings = readRunSettings(this, provider);
	const concurrency = new AdaptiveConcurrency(settings.maxConcurrency);
	const client = await createTransport(this, provider, settings.transport, concurrency);
	const cancelled = this.getExecutionCancelSignal();
	const tasks: Array<Task<object[]>> = [];
	let outcomes: Map<number, Outcome<object[]>>;
	try {
		const context: OperationContext = {
			provider,
			client,
			links: new LinkDirectory(provider, client),
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
		outcomes = await runTasks(tasks, concurrency, !continueOnFail, cancelled);
	} finally {
		client.release();
	}
	if (cancelled?.aborted) {
		// n8n has already marked the execution cancelled; this only ends the node promptly.
		const sent = [...outcomes.values()].filter((o) => o.ok).length;
		throw new NodeOperationError(
			this.getNode(),
			`The execution was cancelled: ${sent} of ${tasks.length} item${tasks.length === 1 ? '' : 's'} completed, nothing more was sent`,
		);
	}

	// 3. One result per input item, in input order.
	const output: INodeExecutionData[] = [];
	for (const p of prepared) {
		const subject = p.params === undefined ? {} : operation.subject(p.params);
		if (p.error !== undefined) {
			output.push(fail(p.error, p.index, subject) as INodeExecutionData);
			continue;
		}
		const outcome = outcomes.get(p.index);
		if (outcome === undefined) continue; // not started after an earlier failure
		if (!outcome.ok) {
			if (!continueOnFail) throw withItem(this, outcome.error, p.index);
			output.push(fail(outcome.error, p.index, subject) as INodeExecutionData);
			continue;
		}
		for (const json of outcome.value) output.push({ json: json as IDataObject, pairedItem: { item: p.index } });
	}
	return [output];
}
