/**
 * What the n8n editor shows for each provider, computed with n8n-workflow's own functions (the
 * ones the editor calls): `NodeHelpers.getNodeParameters` for the values of a new node and after
 * a change (the way the editor's parameter panel updates a node), `NodeHelpers.displayParameter`
 * for which parameters it shows, `makeNodeName` / `makeDescription` for the names n8n gives new
 * nodes and AI tools. Saved workflows keep their values, and run through the real engine.
 */
import nock from 'nock';
import type {
	IDataObject,
	INode,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { fansly, requiredParameterRefusal, runFansly } from './helpers/engine';
import { recordingReply, trackUnmatched } from './fixtures/http';
import type { RecordedRequest } from './fixtures/http';
import {
	ACCOUNT,
	APIFANSLY_BASE,
	APIFANSLY_FAKE_VALUE,
	apiFanslyCredentials,
	fansApiCredentials,
} from './fixtures/fansApi';

const { description } = fansly;
const properties = description.properties;

type Provider = 'apiFanslyApi' | 'fansApiApi';

const ALL_OPERATIONS = ['Create', 'Delete', 'Get', 'Get Many', 'Get Stats', 'Update'];
const OFFERED: Record<Provider, string[]> = {
	apiFanslyApi: ['Delete', 'Update'],
	fansApiApi: ALL_OPERATIONS,
};
const OPERATION_VALUES: Record<string, string> = {
	Create: 'create',
	Delete: 'delete',
	Get: 'get',
	'Get Many': 'getAll',
	'Get Stats': 'getStats',
	Update: 'update',
};

function nodeWith(parameters: INodeParameters): INode {
	return {
		id: 'fansly-node',
		name: 'Fansly',
		type: 'n8n-nodes-fansly.fansly',
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
}

/** The parameters of a node just added to the canvas, as the editor fills them in. */
function newNode(given: INodeParameters = {}): INodeParameters {
	return NodeHelpers.getNodeParameters(properties, given, true, false, nodeWith(given), description) as INodeParameters;
}

/**
 * One edit in the parameter panel, as the editor's node settings apply it: keep only the values
 * that differ from their defaults, set the new one, fill in the defaults again.
 */
function edit(parameters: INodeParameters, name: string, value: INodeParameters[string]): INodeParameters {
	const node = nodeWith(parameters);
	const changed = {
		...(NodeHelpers.getNodeParameters(properties, parameters, false, false, node, description) as INodeParameters),
		[name]: value,
	};
	return NodeHelpers.getNodeParameters(properties, changed, true, false, nodeWith(changed), description) as INodeParameters;
}

/**
 * A credential picked in the panel, as the editor applies it: it sets the Provider parameter on
 * the node first, then handles it as a parameter change.
 */
function chooseCredential(parameters: INodeParameters, provider: Provider): INodeParameters {
	return edit({ ...parameters, authentication: provider }, 'authentication', provider);
}

function pickAccount(parameters: INodeParameters, value = ACCOUNT): INodeParameters {
	return edit(parameters, 'account', { __rl: true, mode: 'list', value });
}

/** The parameters the panel shows for these values, top level, in order. */
function shown(parameters: INodeParameters): INodeProperties[] {
	const node = nodeWith(parameters);
	return properties.filter((p) => NodeHelpers.displayParameter(parameters, p, node, description));
}

function shownOne(parameters: INodeParameters, name: string): INodeProperties {
	const matching = shown(parameters).filter((p) => p.name === name);
	expect(matching).toHaveLength(1);
	return matching[0];
}

const optionNames = (p: INodeProperties) => ((p.options ?? []) as INodePropertyOptions[]).map((o) => o.name);

describe('editor: each provider sees only its own operations', () => {
	it('a new node is API Fansly, Tracking Link, Update', () => {
		const values = newNode();
		expect(values).toMatchObject({ authentication: 'apiFanslyApi', resource: 'trackingLink', operation: 'update' });
	});

	it.each(Object.entries(OFFERED))('%s: the Operation list is exactly %j, Update first chosen', (provider, offered) => {
		const values = chooseCredential(newNode(), provider as Provider);
		const operation = shownOne(values, 'operation');
		expect(optionNames(operation)).toEqual(offered);
		expect(values.operation).toBe('update');
	});

	it.each(Object.entries(OFFERED))(
		'%s: every operation it offers shows each parameter once, and no notice',
		(provider, offered) => {
			for (const name of offered) {
				const values = edit(pickAccount(chooseCredential(newNode(), provider as Provider)), 'operation', OPERATION_VALUES[name]);
				const names = shown(values).map((p) => p.name);
				expect({ name, duplicates: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({ name, duplicates: [] });
				expect({ name, notices: shown(values).filter((p) => p.type === 'notice') }).toEqual({ name, notices: [] });
			}
		},
	);

	it('switching the provider keeps a chosen operation both offer', () => {
		const fansApi = edit(chooseCredential(newNode(), 'fansApiApi'), 'operation', 'delete');
		const apiFansly = chooseCredential(fansApi, 'apiFanslyApi');
		expect(apiFansly.operation).toBe('delete');
		expect(optionNames(shownOne(apiFansly, 'operation'))).toEqual(['Delete', 'Update']);
	});

	it.each([
		['create', 'API Fansly cannot create tracking links (it documents no endpoint for it): choose a Fans API credential for this operation'],
		['get', 'API Fansly cannot read a tracking link (it documents no endpoint for it): choose a Fans API credential for this operation'],
		['getAll', 'API Fansly cannot list tracking links (it documents no endpoint for it): choose a Fans API credential for this operation'],
		['getStats', 'API Fansly offers no tracking link statistics (it documents no endpoint for them): choose a Fans API credential for this operation'],
	])(
		'a Fans API %s switched to API Fansly keeps its value, and the panel says why it cannot run',
		(operation, notice) => {
			const fansApi = edit(chooseCredential(newNode(), 'fansApiApi'), 'operation', operation);
			const apiFansly = chooseCredential(fansApi, 'apiFanslyApi');
			expect(apiFansly.operation).toBe(operation);
			expect(optionNames(shownOne(apiFansly, 'operation'))).not.toContain(
				ALL_OPERATIONS.find((n) => OPERATION_VALUES[n] === operation),
			);
			expect(shown(apiFansly).filter((p) => p.type === 'notice').map((p) => p.displayName)).toEqual([notice]);
		},
	);

	it('the first Operation parameter lists every operation: n8n names new nodes and AI tools from it', () => {
		// n8n's node creator and NodeHelpers.makeNodeName read the first Operation parameter of
		// the resource: with API Fansly's list first, Fans API nodes would get bare names.
		const first = properties.find((p) => p.name === 'operation');
		expect(first && optionNames(first)).toEqual(ALL_OPERATIONS);
		const names = ALL_OPERATIONS.map((n) => {
			const values = { authentication: 'fansApiApi', resource: 'trackingLink', operation: OPERATION_VALUES[n] };
			return [NodeHelpers.makeNodeName(values, description), NodeHelpers.makeDescription(values, description)];
		});
		// An action only Fans API offers says so: the node creator lists every action before a
		// credential is picked, and a node it adds may start on API Fansly.
		expect(names).toEqual([
			['Create tracking link (Fans API)', 'Create tracking link (Fans API) in Fansly'],
			['Delete tracking link', 'Delete tracking link in Fansly'],
			['Get tracking link (Fans API)', 'Get tracking link (Fans API) in Fansly'],
			['Get many tracking links (Fans API)', 'Get many tracking links (Fans API) in Fansly'],
			['Get tracking link statistics (Fans API)', 'Get tracking link statistics (Fans API) in Fansly'],
			['Update tracking link', 'Update tracking link in Fansly'],
		]);
	});
});

describe('editor: the Tracking Link field starts in the mode that works', () => {
	const modeOf = (values: INodeParameters) => (values.trackingLink as IDataObject).mode;

	it.each([
		['apiFanslyApi', 'id', 'By ID'],
		['fansApiApi', 'list', 'From List'],
	])('%s: a new node, its credential, an account: the field appears in "%s" (%s)', (provider, mode, modeName) => {
		const values = pickAccount(chooseCredential(newNode(), provider as Provider));
		expect(values.trackingLink).toEqual({ __rl: true, mode, value: '' });
		const field = shownOne(values, 'trackingLink');
		expect(field.modes?.find((m) => m.name === mode)?.displayName).toBe(modeName);
		// Both modes stay available (a saved value in either mode keeps its mode).
		expect(field.modes?.map((m) => m.name)).toEqual(['list', 'id']);
	});

	it('before an account is chosen the field is not shown, and a new node holds no value for it', () => {
		// n8n fills a new node with the default provider (API Fansly) before any credential is
		// picked: a value filled in then would keep API Fansly's mode under Fans API.
		for (const values of [newNode(), chooseCredential(newNode(), 'fansApiApi')]) {
			expect(values.trackingLink).toBeUndefined();
			expect(shown(values).map((p) => p.name)).not.toContain('trackingLink');
			expect(shownOne(values, 'account')).toMatchObject({ required: true });
		}
	});

	it('an account given as an expression shows the field at once', () => {
		const values = edit(chooseCredential(newNode(), 'fansApiApi'), 'account', {
			__rl: true,
			mode: 'id',
			value: '={{ $json.accountId }}',
		});
		expect(modeOf(values)).toBe('list');
		expect(shownOne(values, 'trackingLink').displayName).toBe('Tracking Link');
	});

	it('the Account field starts in From List for both providers (both can list accounts)', () => {
		for (const provider of ['apiFanslyApi', 'fansApiApi'] as const) {
			expect(chooseCredential(newNode(), provider).account).toEqual({ __rl: true, mode: 'list', value: '' });
		}
	});

	it('once shown, the field keeps its mode and value when the provider changes', () => {
		const apiFansly = pickAccount(newNode());
		expect(modeOf(apiFansly)).toBe('id');
		expect(modeOf(chooseCredential(apiFansly, 'fansApiApi'))).toBe('id');

		const filled = edit(apiFansly, 'trackingLink', { __rl: true, mode: 'id', value: '845759434926862336' });
		expect(chooseCredential(filled, 'fansApiApi').trackingLink).toEqual({
			__rl: true,
			mode: 'id',
			value: '845759434926862336',
		});
		const picked = edit(pickAccount(chooseCredential(newNode(), 'fansApiApi')), 'trackingLink', {
			__rl: true,
			mode: 'list',
			value: '845759434926862336',
		});
		expect(chooseCredential(picked, 'apiFanslyApi').trackingLink).toEqual({
			__rl: true,
			mode: 'list',
			value: '845759434926862336',
		});
	});
});

describe('saved workflows keep working', () => {
	const tracked = trackUnmatched();

	// As version 0.1.0 could save it: API Fansly (the default, so not written out) with an
	// operation it does not offer.
	const savedGetAll: INodeParameters = {
		resource: 'trackingLink',
		operation: 'getAll',
		account: { __rl: true, mode: 'id', value: ACCOUNT },
		returnAll: true,
	};

	it('n8n keeps a saved operation its provider does not offer', () => {
		const values = NodeHelpers.getNodeParameters(
			properties,
			savedGetAll,
			true,
			false,
			nodeWith(savedGetAll),
			description,
		) as INodeParameters;
		expect(values).toMatchObject({ authentication: 'apiFanslyApi', operation: 'getAll', returnAll: true });
	});

	it('and the run stops with the clear error, before any request', async () => {
		const { items, error } = await runFansly({ parameters: savedGetAll, credentials: apiFanslyCredentials });
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('API Fansly does not support this operation');
		expect(error?.description).toBe(
			'API Fansly documents no endpoint to list, read, create or get statistics of tracking links. Choose Fans API as the provider for this operation.',
		);
		expect(tracked.unmatched).toEqual([]);
	});

	it('an API Fansly update saved with the Tracking Link in From List still sends the link ID', async () => {
		const log: RecordedRequest[] = [];
		const scope = nock(APIFANSLY_BASE)
			.matchHeader('x-api-key', APIFANSLY_FAKE_VALUE)
			.put(`/api/fansly/${ACCOUNT}/tracking-links`)
			.reply(
				recordingReply(log, 200, {
					statusCode: 200,
					message: 'Tracking link updated successfully',
					data: {
						status_code: 200,
						data: {
							success: true,
							response: { id: '845759434926862336', accountId: ACCOUNT, label: 'Saved', description: null },
						},
					},
					timestamp: '2026-03-21T04:08:45.000Z',
				}),
			);
		const { items, error } = await runFansly({
			parameters: {
				resource: 'trackingLink',
				operation: 'update',
				account: { __rl: true, mode: 'list', value: ACCOUNT },
				trackingLink: { __rl: true, mode: 'list', value: '845759434926862336' },
				updateFields: { label: 'Saved' },
			},
			credentials: apiFanslyCredentials,
		});
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(log.map((r) => [r.method, r.path, r.body])).toEqual([
			['PUT', `/api/fansly/${ACCOUNT}/tracking-links`, { id: '845759434926862336', label: 'Saved' }],
		]);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			json: { id: '845759434926862336', accountId: ACCOUNT, label: 'Saved', provider: 'apiFansly' },
			pairedItem: { item: 0 },
		});
		expect(tracked.unmatched).toEqual([]);
	});

	it.each([
		['apiFanslyApi', apiFanslyCredentials],
		['fansApiApi', fansApiCredentials],
	])('%s: a node saved without a Tracking Link is refused by n8n before the run', async (provider, credentials) => {
		await expect(
			runFansly({
				parameters: {
					authentication: provider,
					resource: 'trackingLink',
					operation: 'delete',
					account: { __rl: true, mode: 'list', value: ACCOUNT },
				},
				credentials,
			}),
		).rejects.toThrow(requiredParameterRefusal('Tracking Link'));
		expect(tracked.unmatched).toEqual([]);
	});
});
