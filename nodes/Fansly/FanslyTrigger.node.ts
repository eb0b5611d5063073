import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerProperties } from './trigger/description';
import { searchTriggerAccounts } from './trigger/listSearch';
import { pollTrigger, TRIGGER_CREDENTIAL } from './trigger/poll';

export class FanslyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fansly Trigger',
		name: 'fanslyTrigger',
		icon: { light: 'file:../../icons/fansly.svg', dark: 'file:../../icons/fansly.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"On " + $parameter["events"].join(", ")}}',
		// n8n's node creator shows this trigger's description for the one "Fansly" entry it makes of
		// both nodes, so it describes both: the actions, then this trigger's events.
		description:
			'Fansly tracking links through API Fansly or Fans API (OnlyFansAPI): update, create, list, delete and get statistics, or start a workflow when a link is created, deleted or gets more clicks, claims, follows, subscriptions or revenue',
		defaults: { name: 'Fansly Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: TRIGGER_CREDENTIAL, required: true }],
		properties: triggerProperties,
	};

	methods = {
		// `searchAccounts` is the method the account locator names (actions/common.descriptions.ts).
		listSearch: { searchAccounts: searchTriggerAccounts },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollTrigger.call(this);
	}
}
