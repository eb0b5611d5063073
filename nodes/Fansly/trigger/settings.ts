/**
 * The trigger's settings, read and checked before any request.
 */
import type { IPollFunctions } from 'n8n-workflow';

import type { DiffSettings, TriggerEventName } from './diff';
import type { CounterField } from './state';
import { operationError } from '../helpers/errors';
import { checkId, decimalNumber } from '../helpers/input';

const EVENT_NAMES: readonly TriggerEventName[] = ['created', 'deleted', 'increased'];
const COUNTER_CHOICES: Record<string, readonly CounterField[]> = {
	clicks: ['clicks'],
	claims: ['claims'],
	follows: ['follows'],
	subscriptions: ['subscriptions'],
	revenue: ['totalNet', 'totalGross'],
};

export interface TriggerSettings extends DiffSettings {
	/** The account id given, or undefined for every account of the credential. */
	account: string | undefined;
}

function choices(ctx: IPollFunctions, name: string, label: string, allowed: readonly string[]): string[] {
	const value = ctx.getNodeParameter(name, []) as unknown;
	const list = Array.isArray(value) ? value : [];
	const unknown = list.filter((v) => !allowed.includes(v as string));
	if (unknown.length > 0 || list.length === 0) {
		throw operationError(
			ctx.getNode(),
			list.length === 0
				? `"${label}" is empty: choose at least one`
				: `"${label}" has ${unknown.length === 1 ? 'an unknown value' : 'unknown values'}: ${unknown.map((v) => JSON.stringify(v)).join(', ')}`,
			{ description: `Possible values: ${allowed.join(', ')}.` },
		);
	}
	return list as string[];
}

/** Reads and checks the parameters before any request. */
export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const node = ctx.getNode();
	const scope = ctx.getNodeParameter('accountScope', 'one');
	if (scope !== 'one' && scope !== 'all') {
		throw operationError(node, `"Accounts to Watch" must be "one" or "all", not ${JSON.stringify(scope)}`);
	}
	let account: string | undefined;
	if (scope === 'one') {
		const value = ctx.getNodeParameter('account', '', { extractValue: true });
		if (typeof value !== 'string' || value.trim() === '') {
			throw operationError(node, '"Account" is empty: choose the account to watch', {
				description: 'Pick an account from the list, enter its ID, or set "Accounts to Watch" to "All Accounts".',
			});
		}
		// By the node's rules: `..` would read another endpoint, a control character another path.
		account = checkId(ctx, value, 'Account');
	}
	const events = choices(ctx, 'events', 'Trigger On', EVENT_NAMES) as TriggerEventName[];
	const watched = new Set<CounterField>();
	let minimumIncrease = 1;
	if (events.includes('increased')) {
		for (const choice of choices(ctx, 'counters', 'Counters', Object.keys(COUNTER_CHOICES))) {
			for (const field of COUNTER_CHOICES[choice]) watched.add(field);
		}
		const raw = ctx.getNodeParameter('minimumIncrease', 1);
		// Text in decimal only, as the node's options: blank text would read as 0, "0x2" as 2.
		const n = decimalNumber(raw);
		if (!Number.isFinite(n) || n < 1) {
			throw operationError(node, `"Minimum Increase" must be a number of at least 1, not ${JSON.stringify(raw)}`);
		}
		minimumIncrease = n;
	}
	return { account, events: new Set(events), watched, minimumIncrease };
}
