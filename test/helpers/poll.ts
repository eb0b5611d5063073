/* eslint-disable @n8n/community-nodes/no-restricted-imports --
 * A test harness that rebuilds part of the n8n server (not node code that runs inside n8n). */
/**
 * Drives the Fansly Trigger's `poll` the way an active workflow runs it in n8n 2.41.1.
 *
 * Each poll goes through n8n-core's own PollTriggerExecutor (the "tick engine": the staging
 * scope, emit on items, commit of a staged cursor on null, emitError on a failure) with an
 * n8n-core PollContext. What n8n-core leaves to the n8n server (the `n8n` package's
 * TriggerExecutionContextFactory.getExecutePollFunctions) is rebuilt here from that source,
 * for both ways n8n 2.41 keeps a poller's state:
 *
 * - `classic` (n8n's default): the node's static data lives on the activation's Workflow
 *   object, in memory, from poll to poll, and n8n polls with one PollContext for all of them.
 *   It is written to the database when a poll emits items, and once after a successful
 *   activation (WorkflowStaticDataService.saveStaticData, when `__dataChanged`). A poll that
 *   returns null or throws keeps its changes in memory only; a restart reloads the last saved
 *   copy.
 * - `durable` (N8N_POLLER_DURABLE_CURSORS_ENABLED with the scheduler): every poll works on a
 *   fresh copy of the stored cursor, committed with the execution when it emits, or alone
 *   (`__commitCursor`) when it returns null; a failed poll's copy is thrown away. The poll run
 *   at activation commits nothing when it returns null (n8n-core's PollTriggerExecutor calls
 *   `commitStagedCursor` only `if (!testingTrigger)`). A commit is not checked against the
 *   cursor the poll started from: a poll whose copy changed writes it over whatever another
 *   poll committed meanwhile, and a poll whose copy is unchanged commits nothing
 *   (packages/cli/src/workflows/triggers/trigger-execution-context.factory.ts in n8n:
 *   `__commitCursor` and `__emit` take the copy through `takeStagedCursor`, null when it equals
 *   its seed; poll-cursor.service.ts: `commitCursorOnly` and `commitWithExecution` advance the
 *   stored cursor, guarded only by the scheduler task's lease, which is not modelled here).
 *
 * Activation runs one poll at once, as n8n-core's ActiveWorkflowTriggers.activatePollTrigger
 * does (`executePollTrigger(true)`: a failure is thrown to the caller, i.e. activation fails);
 * later polls are the cron ticks (`executePollTrigger()`: a failure becomes a failed execution).
 * "Fetch Test Event" runs the node through WorkflowExecute in manual mode, as the editor does.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isDeepStrictEqual } from 'node:util';

import {
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PollContext,
	PollTriggerExecutor,
	TriggersAndPollers,
	WorkflowExecute,
} from 'n8n-core';
import { commonPollingParameters } from 'n8n-core/dist/nodes-loader/constants';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	ExecutionError,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { FanslyTrigger } from '../../nodes/Fansly/FanslyTrigger.node';
import { noteEngineUse, testAdditionalData } from './engine';

/**
 * n8n-core 2.x runs a poll through its PollTriggerExecutor ("tick engine"), with durable poll
 * cursors as an option; n8n-core 1.x (the unit suite also runs on it) has neither, and its
 * ActiveWorkflows calls the node's poll directly with the workflow's own static data.
 */
export const ENGINE_HAS_TICK_EXECUTOR = typeof PollTriggerExecutor === 'function';

export const TRIGGER_NAME = 'Fansly Trigger';
export const TRIGGER_TYPE = 'n8n-nodes-fansly.fanslyTrigger';

/** The trigger as n8n's loader registers it: with Poll Times added for `polling: true`. */
export const fanslyTrigger = new FanslyTrigger();
fanslyTrigger.description.properties = [...commonPollingParameters, ...fanslyTrigger.description.properties];

class TriggerNodeTypes implements INodeTypes {
	getByName(): INodeType {
		return fanslyTrigger;
	}

	getByNameAndVersion(): INodeType {
		return fanslyTrigger;
	}

	getKnownTypes(): IDataObject {
		return { [TRIGGER_TYPE]: { className: 'FanslyTrigger', sourcePath: '' } };
	}
}

export type Persistence = 'classic' | 'durable';

/** How n8n may keep a trigger's state on this engine: durable poll cursors only on 2.x's. */
export const PERSISTENCES: Persistence[] = ENGINE_HAS_TICK_EXECUTOR ? ['classic', 'durable'] : ['classic'];

/** What one poll did, as the n8n server would see it. */
export interface PollOutcome {
	/** The items of the execution the poll started (`__emit`), if any. */
	items?: INodeExecutionData[];
	/** The failure n8n recorded as a failed execution (`__emitError`), if any. */
	error?: Error;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The node's static data as saved, without n8n's change marker. */
function plain(data: IDataObject | undefined): IDataObject {
	const copy = clone(data ?? {});
	delete copy.__dataChanged;
	return copy;
}

/** Each harness is a workflow of its own: the trigger keeps per-workflow memory in the process. */
let harnesses = 0;

export class PollHarness {
	readonly node: INode;

	readonly workflowId: string;

	/** The workflow's static data as last written to the database (all nodes). */
	saved: IDataObject = {};

	/** `durable` only: the poller's stored cursor (null until the first commit). */
	cursor: IDataObject | null = null;

	/** How many times the static data or cursor was written to the database. */
	writes = 0;

	private workflow!: Workflow;

	/** `classic`: the activation's poll context, which n8n polls with at every tick. */
	private context: PollContext | undefined;

	/** How n8n activated the workflow: by a user, or at n8n's start (after `restart`). */
	private activationMode: WorkflowActivateMode = 'activate';

	/** Where each poll's emit and failure go, so polls that overlap keep theirs apart. */
	private readonly outcomes = new AsyncLocalStorage<PollOutcome>();

	private readonly credentials: Record<string, IDataObject>;

	private readonly persistence: Persistence;

	constructor(options: {
		parameters: INodeParameters;
		credentials: Record<string, IDataObject>;
		persistence?: Persistence;
		/** Another harness's workflow id: a second trigger node of that workflow. */
		workflowId?: string;
		nodeId?: string;
	}) {
		noteEngineUse();
		this.credentials = options.credentials;
		this.persistence = options.persistence ?? 'classic';
		this.workflowId = options.workflowId ?? `trigger-workflow-${++harnesses}`;
		this.node = {
			id: options.nodeId ?? 'fansly-trigger-node',
			name: TRIGGER_NAME,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: options.parameters,
			credentials: Object.fromEntries(
				Object.keys(options.credentials).map((type) => [type, { id: `${type}-id`, name: `${type} test` }]),
			),
		};
		this.workflow = this.newWorkflow();
	}

	/** The trigger node's state as n8n would load it now (after a restart). */
	get state(): IDataObject {
		if (this.persistence === 'durable') return clone(this.cursor ?? {});
		return plain(this.saved[`node:${TRIGGER_NAME}`] as IDataObject | undefined);
	}

	/** The state the next poll will read (classic: the in-memory copy). */
	get liveState(): IDataObject {
		if (this.persistence === 'durable') return this.state;
		return plain(this.workflow.staticData[`node:${TRIGGER_NAME}`] as IDataObject | undefined);
	}

	/** n8n restarts (or the workflow is re-activated): the workflow is rebuilt from the database. */
	restart(): void {
		this.workflow = this.newWorkflow();
		this.context = undefined;
		this.activationMode = 'init';
	}

	/**
	 * The poll n8n runs when the workflow is activated. A failure is thrown (activation fails).
	 * After a successful activation n8n saves the workflow's static data if it changed
	 * (ActiveWorkflowManager.add, 2.41 and 1.123): in classic mode that is the baseline the
	 * activation poll recorded; a durable poll wrote only its staged cursor, which is not committed.
	 */
	async activate(): Promise<PollOutcome> {
		const outcome = await this.run(true);
		if (this.persistence === 'classic') this.saveStaticData(this.workflow);
		return outcome;
	}

	/** One scheduled poll (a cron tick of Poll Times). */
	async tick(): Promise<PollOutcome> {
		return await this.run(false);
	}

	/** "Fetch Test Event" in the editor: the node run by WorkflowExecute in manual mode. */
	async fetchTestEvent(): Promise<{ items: INodeExecutionData[]; error?: ExecutionError; run: IRun }> {
		const workflow = this.newWorkflow();
		const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
			id: workflow.id,
			name: workflow.name ?? 'test',
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			nodes: [this.node],
			connections: {},
		});
		const additionalData = { ...this.additionalData(), hooks, executionId: 'test-execution' } as IWorkflowExecuteAdditionalData;
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node: this.node, data: { main: [[{ json: {} }]] }, source: null }] },
		});
		const run = await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
		const task = run.data.resultData.runData[TRIGGER_NAME]?.[0];
		// The editor's run must leave the saved state alone.
		if (workflow.staticData.__dataChanged === true) throw new Error('Fetch Test Event changed the static data');
		return { items: task?.data?.main?.[0] ?? [], error: run.data.resultData.error, run };
	}

	/**
	 * The account picker as the editor calls it: n8n-core's LoadOptionsContext, with the
	 * parameters the editor sends (`currentNodeParameters`) as the node's parameters.
	 */
	async searchAccounts(currentParameters: INodeParameters, filter?: string): Promise<INodeListSearchResult> {
		const node = { ...this.node, parameters: currentParameters };
		const workflow = new Workflow({
			id: this.workflowId,
			name: 'trigger',
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: new TriggerNodeTypes(),
		});
		const additionalData = { ...this.additionalData(), currentNodeParameters: currentParameters, userId: 'test-user' };
		const context = new LoadOptionsContext(workflow, node, additionalData as IWorkflowExecuteAdditionalData, 'parameters.account');
		return await fanslyTrigger.methods.listSearch.searchAccounts.call(context, filter);
	}

	private newWorkflow(): Workflow {
		return new Workflow({
			id: this.workflowId,
			name: 'trigger',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: new TriggerNodeTypes(),
			staticData: clone(this.saved),
		});
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		return testAdditionalData(this.credentials);
	}

	private async run(activation: boolean): Promise<PollOutcome> {
		const outcome: PollOutcome = {};
		await this.outcomes.run(outcome, async () => await this.poll(activation));
		return outcome;
	}

	private async poll(activation: boolean): Promise<void> {
		// Durable mode builds the workflow and its context for every poll (a scheduler tick's
		// context has the activation mode "update": TriggerExecutionContextFactory
		// .createPollExecutionContext); classic mode keeps the activation's workflow and context
		// for all of them (ActiveWorkflowTriggers.activatePollTrigger).
		let workflow: Workflow;
		let context: PollContext;
		if (this.persistence === 'durable') {
			workflow = this.newWorkflow();
			context = this.pollContext(workflow, activation ? this.activationMode : 'update');
		} else {
			workflow = this.workflow;
			if (activation || this.context === undefined) this.context = this.pollContext(workflow, this.activationMode);
			context = this.context;
		}
		if (!ENGINE_HAS_TICK_EXECUTOR) {
			// n8n-core 1.x: ActiveWorkflows.activatePolling's executeTrigger, as it is there: the
			// poll's items are emitted unless it returned null; at activation a failure is
			// thrown, later it becomes a failed execution.
			try {
				const response = await fanslyTrigger.poll.call(context);
				if (response !== null) context.__emit(response);
			} catch (error) {
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- n8n's own behaviour, rebuilt
				if (activation) throw error;
				context.__emitError(error as Error);
			}
			return;
		}
		const executePollTrigger = new PollTriggerExecutor(
			// n8n-core's executor with quiet stand-ins for its logger, tracing and error reporter
			{ scoped: () => ({ debug() {}, error() {} }) } as never,
			new TriggersAndPollers(),
			{
				pickWorkflowAttributes: () => ({}),
				pickNodeAttributes: () => ({}),
				startSpan: async (_o: unknown, fn: (span: unknown) => unknown) => await fn({ setStatus() {} }),
				startNewTraceSpan: async (_o: unknown, fn: (span: unknown) => unknown) => await fn({ setStatus() {} }),
			} as never,
			{ error() {} } as never,
		).create(workflow, this.node, context, () => true);
		await executePollTrigger(activation);
	}

	/** WorkflowStaticDataService.saveStaticData: the workflow's static data, if it changed. */
	private saveStaticData(workflow: Workflow): void {
		if (workflow.staticData.__dataChanged !== true) return;
		this.saved = plain(workflow.staticData);
		workflow.staticData.__dataChanged = false;
		this.writes++;
	}

	private outcome(): PollOutcome {
		const outcome = this.outcomes.getStore();
		if (outcome === undefined) throw new Error('emit outside of a poll');
		return outcome;
	}

	/** The server's getExecutePollFunctions, rebuilt (see the file comment). */
	private pollContext(workflow: Workflow, activationMode: WorkflowActivateMode): PollContext {
		type Staged = { migrated: false } | { migrated: true; snapshot: IDataObject; seed: IDataObject };
		const staging = new AsyncLocalStorage<Staged>();
		const durable = this.persistence === 'durable';

		const runPoll = async <T>(poll: () => Promise<T>): Promise<T> => {
			if (!durable) return await staging.run({ migrated: false }, poll);
			// PollCursorService.resolveCursor: the stored cursor, or (first time) the node's
			// static data as the initial cursor.
			const seed = this.cursor ?? plain(workflow.getStaticData('node', this.node));
			return await staging.run({ migrated: true, snapshot: clone(seed), seed }, poll);
		};
		// TriggerExecutionContextFactory's takeStagedCursor: the copy, once, if it changed.
		const takeStagedCursor = (): IDataObject | null => {
			const staged = staging.getStore();
			if (staged === undefined || !staged.migrated || isDeepStrictEqual(staged.snapshot, staged.seed)) return null;
			const cursor = clone(staged.snapshot);
			staged.seed = cursor;
			return cursor;
		};
		const commit = (cursor: IDataObject) => {
			this.cursor = cursor;
			this.writes++;
		};
		const emit = (data: INodeExecutionData[][]) => {
			const cursor = takeStagedCursor();
			this.saveStaticData(workflow);
			if (cursor !== null) commit(cursor);
			this.outcome().items = data[0];
		};
		const emitError = (error: Error) => {
			this.outcome().error = error;
		};
		const commitCursor = async () => {
			const cursor = takeStagedCursor();
			if (cursor !== null) commit(cursor);
		};
		const resolveNodeStaticData = (): IDataObject => {
			const staged = staging.getStore();
			if (staged === undefined) throw new Error('static data read outside of a poll');
			return staged.migrated ? staged.snapshot : workflow.getStaticData('node', this.node);
		};
		return new PollContext(
			workflow,
			this.node,
			this.additionalData(),
			'trigger',
			activationMode,
			emit,
			emitError,
			commitCursor,
			runPoll as never,
			resolveNodeStaticData,
		);
	}
}
