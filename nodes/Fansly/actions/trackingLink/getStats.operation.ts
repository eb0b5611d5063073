import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { operationError } from '../../helpers/errors';
import type { StatsRange } from '../../providers/types';
import { accountLocator, trackingLinkLocator } from '../common.descriptions';
import type { LinkParams } from '../linkParams';
import { linkSubject, readLinkParams } from '../linkParams';
import type { Operation } from '../types';

const show = { resource: ['trackingLink'], operation: ['getStats'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'API Fansly offers no tracking link statistics (it documents no endpoint for them): choose a Fans API credential for this operation',
		name: 'getStatsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, authentication: ['apiFanslyApi'] } },
	},
	accountLocator(show),
	...trackingLinkLocator(show),
	{
		displayName: 'Date Range',
		name: 'range',
		type: 'collection',
		placeholder: 'Add Date',
		default: {},
		displayOptions: { show },
		description:
			'Without dates, the provider returns the last 30 days. Its days are UTC days: the first and the last day the range covers only in part are output too.',
		options: [
			{
				displayName: 'After',
				name: 'after',
				type: 'dateTime',
				default: '',
				description: 'Start of the range (inclusive)',
			},
			{
				displayName: 'Before',
				name: 'before',
				type: 'dateTime',
				default: '',
				description: 'End of the range',
			},
		],
	},
];

interface Params extends LinkParams {
	range: StatsRange;
}

function fromText(text: string, zone: string): DateTime {
	const options = { zone, setZone: false };
	const iso = DateTime.fromISO(text, options);
	return iso.isValid ? iso : DateTime.fromSQL(text, options);
}

function toIso(
	ctx: IExecuteFunctions,
	value: unknown,
	name: string,
	itemIndex: number,
): string | undefined {
	if (value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined;
	if (value === null) {
		throw operationError(ctx.getNode(), `${name} must be a date, but the value is null (item ${itemIndex})`, {
			itemIndex,
			description: 'The expression for this field resolved to null. Leave the field empty for no bound.',
		});
	}
	// The date picker gives local times without an offset: n8n means them in the workflow's
	// time zone. A value with an offset (or Z) keeps its own. Text must start with its year:
	// ISO 8601 also reads "12" or "10:00" as a time of today. A space instead of the "T" (as a
	// spreadsheet or SQL writes a date and time) reads as the "T".
	const parsed =
		value instanceof Date
			? DateTime.fromJSDate(value)
			: DateTime.isDateTime(value)
				? value
				: /^[+-]?\d{4}/.test(String(value).trim())
					? fromText(String(value).trim(), ctx.getTimezone())
					: DateTime.invalid('no year first');
	if (!parsed.isValid) {
		throw operationError(ctx.getNode(), `${name} is not a date: "${String(value)}" (item ${itemIndex})`, { itemIndex });
	}
	return parsed.toUTC().toISO({ suppressMilliseconds: false }) as string;
}

export const getStats: Operation<Params> = {
	capability: 'getStats',
	description,

	read(ctx: IExecuteFunctions, itemIndex: number): Params {
		const link = readLinkParams(ctx, itemIndex);
		const raw = ctx.getNodeParameter('range', itemIndex, {}) as IDataObject;
		const range: StatsRange = {
			after: toIso(ctx, raw.after, 'After', itemIndex),
			before: toIso(ctx, raw.before, 'Before', itemIndex),
		};
		// As instants: ISO text sorts wrongly past the year 9999 ("+010026-…" before "2026-…").
		if (range.after && range.before && Date.parse(range.after) > Date.parse(range.before)) {
			throw operationError(ctx.getNode(), `After is later than Before (item ${itemIndex})`, { itemIndex });
		}
		return { ...link, range };
	},

	subject: linkSubject,

	async execute({ accountId, trackingLinkId, range }, { provider, client }) {
		return await provider.getStats(client, accountId, trackingLinkId, range);
	},
};
