/**
 * Runs the Fansly node through n8n's real execution engine (n8n-core's WorkflowExecute), the
 * way n8n runs it in a workflow: parameters with expressions resolved per item, credentials
 * applied by the credential type's `authenticate`, requests sent through n8n-core's HTTP
 * stack (where nock intercepts them), errors and Continue On Fail handled by the engine.
 */
import { ExecutionLifecycleHooks, WorkflowExecute, WorkflowHasIssuesError } from 'n8n-core';
import type {
	IConnections,
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsHelper,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	ExecutionError,
	IVersionedNodeType,
} from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';

import { ApiFanslyApi } from '../../credentials/ApiFanslyApi.credentials';
import { FansApiApi } from '../../credentials/FansApiApi.credentials';
import { Fansly } from '../../nodes/Fansly/Fansly.node';

export const credentialTypes: Record<string, ICredentialType> = {
	apiFanslyApi: new ApiFanslyApi(),
	fansApiApi: new FansApiApi(),
};

export const fansly = new Fansly();

/** The node types n8n knows in these tests: only Fansly. */
export class NodeTypes implements INodeTypes {
	getByName(): INodeType | IVersionedNodeType {
		return fansly;
	}

	getByNameAndVersion(): INodeType {
		return fansly;
	}

	getKnownTypes(): IDataObject {
		return { 'n8n-nodes-fansly.fansly': { className: 'Fansly', sourcePath: '' } };
	}
}

/** Credential data with the credential type's defaults filled in, as n8n stores it. */
export function withDefaults(type: string, data: IDataObject): ICredentialDataDecryptedObject {
	const properties = credentialTypes[type].properties;
	const filled = NodeHelpers.getNodeParameters(properties, data as INodeParameters, true, false, null, null);
	return { ...(filled as IDataObject), ...data } as ICredentialDataDecryptedObject;
}

/** Resolves `={{...}}` values of a credential type against credential data, as n8n does. */
export function resolveWithCredentials(
	workflow: Workflow,
	node: INode,
	value: string,
	credentials: ICredentialDataDecryptedObject,
): unknown {
	if (!value.startsWith('=')) return value;
	return workflow.expression.getSimpleParameterValue(
		node,
		value,
		'manual',
		{ $credentials: credentials },
		undefined,
		value,
	);
}

/**
 * Hands out test credentials (with the credential type's defaults) and applies the credential
 * type's `authenticate` the way n8n does.
 */
export class TestCredentialsHelper implements ICredentialsHelper {
	constructor(private readonly store: Record<string, IDataObject>) {}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (authenticate === undefined) return requestOptions;
		// This package's credentials authenticate with a function, which n8n calls as it is.
		if (typeof authenticate !== 'function') {
			throw new Error(`${typeName}: only function authenticate is supported by this harness`);
		}
		return await authenticate(credentials, requestOptions);
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.store[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return withDefaults(type, data);
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return credentialTypes[type].properties;
	}
}

/**
 * What n8n hands every node context in these tests: the test credentials and the instance's
 * URLs; `extra` adds what one kind of context needs (hooks, an execution id, ...).
 */
export function testAdditionalData(
	credentials: Record<string, IDataObject>,
	extra: IDataObject = {},
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formBaseUrl: 'http://localhost/form',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		formTestBaseUrl: 'http://localhost/form-test',
		mcpBaseUrl: 'http://localhost/mcp',
		mcpTestBaseUrl: 'http://localhost/mcp-test',
		variables: {},
		currentNodeExecutionIndex: 0,
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunOptions {
	parameters: INodeParameters;
	items?: IDataObject[];
	credentials: Record<string, IDataObject>;
	/** On Error → Continue (regular output). */
	continueOnFail?: boolean;
	/** The node's On Error setting, when not the default (Stop Workflow). */
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
	/** The workflow's time zone (its settings), when not n8n's default. */
	timezone?: string;
	/** The node's Always Output Data setting. */
	alwaysOutputData?: boolean;
	/** The node's Retry On Fail setting: how many tries n8n gives the whole node (1 ms apart: n8n reads 0 as its default, 1 s). */
	retryOnFail?: { maxTries: number };
}

export interface RunResult {
	/** The node's output items (main output 0), when the node ran without a stopping error. */
	items: INodeExecutionData[];
	/** The items n8n routed to the error output (main output 1, with Continue (using error output)). */
	errorItems: INodeExecutionData[];
	/** The error that stopped the run, if any. */
	error?: ExecutionError;
	run: IRun;
}

/** A run under way: `cancel()` is what n8n does on Stop or at the workflow time-out. */
export interface StartedRun {
	cancel(): void;
	done: Promise<RunResult>;
}

/** One Fansly node of a chain: each node's output is the next one's input. */
export interface ChainStep {
	name: string;
	parameters: INodeParameters;
}

export const NODE_NAME = 'Fansly';

/**
 * The error n8n-core throws when it refuses to run the node because a required parameter is
 * empty: 2.x names the parameter; 1.x (a WorkflowHasIssuesError that takes no details) does not.
 */
export function requiredParameterRefusal(displayName: string): string {
	return WorkflowHasIssuesError.length === 0
		? 'The workflow has issues and cannot be executed for that reason. Please fix them first.'
		: `Parameter "${displayName}" is required`;
}

let engineUsed = false;

/** Called by whatever creates an n8n-core node execution context (a run, a LoadOptionsContext). */
export function noteEngineUse(): void {
	engineUsed = true;
}

// n8n-core 1.x: the first node execution context creates n8n's SSH tunnel manager (a DI
// singleton) with a 60 s cleanup interval that is not unref'd and that n8n stops only at
// shutdown, so jest would never exit. Stop it the way n8n does. In 2.x the interval is
// unref'd and this does nothing. The instance is in n8n-core's own @n8n/di container (2.x
// nests its own copy), so @n8n/di is resolved from n8n-core's entry file.
afterAll(async () => {
	if (!engineUsed) return;
	const { SSHClientsManager } = (await import('n8n-core/dist/execution-engine/ssh-clients-manager')) as {
		SSHClientsManager: unknown;
	};
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test harness, not node code
	const diOfCore = require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] });
	const { Container } = (await import(diOfCore)) as { Container: { get(type: unknown): unknown } };
	const manager = Container.get(SSHClientsManager) as { cleanupTimer?: NodeJS.Timeout; onShutdown(): void };
	if (manager.cleanupTimer?.hasRef()) manager.onShutdown();
});

function fanslyNode(name: string, parameters: INodeParameters, options: RunOptions, index = 0): INode {
	const onError = options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : undefined);
	return {
		id: `fansly-node-${index}`,
		name,
		type: 'n8n-nodes-fansly.fansly',
		typeVersion: 1,
		position: [index * 200, 0],
		parameters,
		credentials: Object.fromEntries(
			Object.keys(options.credentials).map((type) => [type, { id: `${type}-id`, name: `${type} test` }]),
		),
		...(onError ? { onError } : {}),
		...(options.alwaysOutputData ? { alwaysOutputData: true } : {}),
		...(options.retryOnFail ? { retryOnFail: true, maxTries: options.retryOnFail.maxTries, waitBetweenTries: 1 } : {}),
	};
}

let executions = 0;

/** Starts a workflow of Fansly nodes, the first one fed with `options.items`. */
function startWorkflow(nodes: INode[], options: RunOptions): { cancel(): void; run: Promise<IRun> } {
	noteEngineUse();
	const connections: IConnections = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = {
			main: [[{ node: nodes[i + 1].name, type: NodeConnectionTypes.Main, index: 0 }]],
		};
	}
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes,
		connections,
		active: false,
		nodeTypes: new NodeTypes(),
		...(options.timezone ? { settings: { timezone: options.timezone } } : {}),
	});
	// Each run its own execution, as in n8n (what a node keeps for n8n's Retry On Fail is per execution).
	const executionId = `test-execution-${++executions}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'test-workflow',
		name: 'test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
	});
	let finished: (run: IRun) => void = () => {};
	const afterHook = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run: IRun) => finished(run));
	const additionalData = testAdditionalData(options.credentials, {
		hooks: hooks as unknown as IDataObject,
		executionId,
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	});

	const items = (options.items ?? [{}]).map((json) => ({ json }));
	const executeData: IExecuteData = { node: nodes[0], data: { main: [items] }, source: null };
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [executeData] },
	});
	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	// A cancelled execution reports its end through the workflowExecuteAfter hook, as n8n's
	// own execution service reads it; its promise may settle only once the node returns.
	return { cancel: () => execution.cancel(), run: Promise.race([execution, afterHook]) };
}

function resultOf(run: IRun, name: string): RunResult {
	const taskData = run.data.resultData.runData[name]?.[0];
	return {
		items: taskData?.data?.main?.[0] ?? [],
		errorItems: taskData?.data?.main?.[1] ?? [],
		error: run.data.resultData.error,
		run,
	};
}

/** Starts one Fansly node in n8n's engine; the run can be cancelled as n8n's Stop does. */
export function startFansly(options: RunOptions): StartedRun {
	const { cancel, run } = startWorkflow([fanslyNode(NODE_NAME, options.parameters, options)], options);
	return { cancel, done: run.then((r) => resultOf(r, NODE_NAME)) };
}

export async function runFansly(options: RunOptions): Promise<RunResult> {
	return await startFansly(options).done;
}

/** Runs Fansly nodes one after another (each node's output feeds the next); results by node name. */
export async function runChain(
	steps: ChainStep[],
	options: Omit<RunOptions, 'parameters'>,
): Promise<Record<string, RunResult>> {
	const full = { ...options, parameters: {} };
	const nodes = steps.map((step, index) => fanslyNode(step.name, step.parameters, full, index));
	const run = await startWorkflow(nodes, full).run;
	return Object.fromEntries(steps.map((step) => [step.name, resultOf(run, step.name)]));
}
