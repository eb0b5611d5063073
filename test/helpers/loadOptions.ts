/**
 * Runs the Fansly node's list-search methods through n8n-core's real LoadOptionsContext, the
 * way the n8n editor calls them: the node's saved parameters on the node, the parameters being
 * edited in `additionalData.currentNodeParameters`, credentials decrypted by a credentials
 * helper and applied by the credential type's `authenticate`, requests sent through n8n-core's
 * HTTP stack (where nock intercepts them).
 *
 * engine.ts does not export its NodeTypes and credentials helper, so this file has its own
 * small copies, reusing what engine.ts does export (credential types, defaults, expression
 * resolution).
 */
import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsHelper,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { Fansly } from '../../nodes/Fansly/Fansly.node';
import { credentialTypes, noteEngineUse, resolveWithCredentials, withDefaults } from './engine';

const fansly = new Fansly();

class OneNodeType implements INodeTypes {
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

class StoreCredentialsHelper implements ICredentialsHelper {
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
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (authenticate === undefined) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!workflow || !node) throw new Error('authenticate needs the workflow and the node');
		const headers = (authenticate.properties.headers ?? {}) as Record<string, string>;
		const options: IHttpRequestOptions = { ...requestOptions, headers: { ...(requestOptions.headers ?? {}) } };
		for (const [name, value] of Object.entries(headers)) {
			(options.headers as IDataObject)[name] = resolveWithCredentials(workflow, node, value, credentials) as string;
		}
		return options;
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
		nodeTypes: new OneNodeType(),
	});
	const additionalData = {
		credentialsHelper: new StoreCredentialsHelper(credentials),
		currentNodeParameters: currentParameters,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		variables: {},
		executionId: undefined,
		userId: 'test-user',
	} as unknown as IWorkflowExecuteAdditionalData;
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
