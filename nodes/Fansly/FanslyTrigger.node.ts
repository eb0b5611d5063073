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
		description:
			'Starts the workflow when a Fansly tracking link is created or deleted, or gets more clicks, claims, follows, subscriptions or revenue (Fans API)',
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
