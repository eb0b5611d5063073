/**
 * Runs the Fansly node's list-search methods through n8n-core's real LoadOptionsContext, the
 * way the n8n editor calls them: the node's saved parameters on the node, the parameters being
 * edited in `additionalData.currentNodeParameters`, credentials decrypted by a credentials
 * helper and applied by the credential type's `authenticate`, requests sent through n8n-core's
 * HTTP stack (where nock intercepts them).
 *
 * It shares engine.ts's node types and credentials helper.
 */
import { LoadOptionsContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeListSearchResult,
	INodeParameters,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { fansly, NodeTypes, noteEngineUse, testAdditionalData } from './engine';

export interface TinyWorkflow {
	workflow: Workflow;
	node: INode;
	additionalData: IWorkflowExecuteAdditionalData;
}

/** A one-node workflow holding the Fansly node with these parameters and credentials. */
export function tinyWorkflow(
	parameters: INodeParameters,
	credentials: Record<string, IDataObject> = {},
	currentParameters: INodeParameters = parameters,
): TinyWorkflow {
	noteEngineUse();
	const node: INode = {
		id: 'fansly-node',
		name: 'Fansly',
		type: 'n8n-nodes-fansly.fansly',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: Object.fromEntries(
			Object.keys(credentials).map((type) => [type, { id: `${type}-id`, name: `${type} test` }]),
		),
	};
	const workflow = new Workflow({
		id: 'picker-workflow',
		name: 'picker',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypes(),
	});
	const additionalData = testAdditionalData(credentials, {
		currentNodeParameters: currentParameters as IDataObject,
		executionId: undefined,
		userId: 'test-user',
	});
	return { workflow, node, additionalData };
}

export type ListSearchMethod = 'searchAccounts' | 'searchTrackingLinks';

/**
 * Calls one of the node's list-search methods the way the editor does, through a real
 * LoadOptionsContext. `path` is the parameter being filled (for example `parameters.account`).
 */
export async function runListSearch(
	method: ListSearchMethod,
	options: {
		/** The parameters as shown in the editor (`currentNodeParameters`). */
		parameters: INodeParameters;
		/** The node's last saved parameters; the same as `parameters` unless given. */
		savedParameters?: INodeParameters;
		credentials: Record<string, IDataObject>;
		filter?: string;
		path?: string;
	},
): Promise<INodeListSearchResult> {
	const { workflow, node, additionalData } = tinyWorkflow(
		options.savedParameters ?? options.parameters,
		options.credentials,
		options.parameters,
	);
	const path =
		options.path ?? (method === 'searchAccounts' ? 'parameters.account' : 'parameters.trackingLink');
	const context = new LoadOptionsContext(workflow, node, additionalData, path);
	const search = fansly.methods.listSearch[method];
	return await search.call(context, options.filter);
}
