/**
 * The Options apply to the whole run and are read per item: a refusal names the option and
 * every item it is about, once each, item 0 as any other, and gives n8n the index of the item at
 * fault (the error's `context.itemIndex`, as n8n's own NodeOperationErrors do). Through n8n's real
 * execution engine; catch-alls on both provider hosts prove that no request is sent.
 */
import type { IDataObject, NodeOperationError } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import { PROVIDERS, Traffic } from './fixtures/faults';
import { updateParameters } from './fixtures/parameters';

const ACC = 'fansly_acct_123456789012345';
const LINK = '845759434926862336';
const ITEMS: IDataObject[] = [{ row: 1 }, { row: 2 }, { row: 3 }];

let traffic: Traffic;

beforeEach(() => {
	traffic = new Traffic();
	traffic.catchAll();
});

afterEach(() => {
	traffic.stop();
});

interface Row {
	title: string;
	options: IDataObject;
	message: string;
	/** The item the error is about (its context.itemIndex). */
	itemIndex: number;
}

const ROWS: Row[] = [
	{
		title: 'Requests Per Minute "abc" on item 0 only names item 0, as it names item 1',
		options: { requestsPerMinute: '={{ $json.row === 1 ? "abc" : 600 }}' },
		message: 'Option "Requests Per Minute" must be a number of at least 0 (item 0)',
		itemIndex: 0,
	},
	{
		title: 'Requests Per Minute "abc" on item 1 only',
		options: { requestsPerMinute: '={{ $json.row === 2 ? "abc" : 600 }}' },
		message: 'Option "Requests Per Minute" must be a number of at least 0 (item 1)',
		itemIndex: 1,
	},
	{
		title: 'Timeout (Ms) 0 set in the editor (the same on every item: the first is named)',
		options: { timeout: 0 },
		message: 'Option "Timeout (Ms)" must be a number from 1 to 2147483647 (item 0)',
		itemIndex: 0,
	},
	{
		title: 'Retry "no" on every item',
		options: { retry: '={{ "no" }}' },
		message: 'Option "Retry" must be true or false (item 0)',
		itemIndex: 0,
	},
	{
		title: 'Timeout (Ms) that differs on item 2',
		options: { timeout: '={{ $json.row === 3 ? 5000 : 2000 }}' },
		message: 'Option "Timeout (Ms)" must be the same for every item, since it applies to the whole run: item 0 gives 2000, but item 2 gives 5000',
		itemIndex: 2,
	},
	{
		title: 'Requests Per Minute given on item 0 but not on item 1 (so its default)',
		options: { requestsPerMinute: '={{ $json.row === 2 ? undefined : 100 }}' },
		message:
			'Option "Requests Per Minute" must be the same for every item, since it applies to the whole run: item 0 gives 100, but item 1 gives nothing (so the default, 0)',
		itemIndex: 1,
	},
];

/** How many times the message names each item ("item 2", "(item 2)"). */
function namedItems(message: string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const [, index] of message.matchAll(/\bitem (\d+)\b/g)) counts[index] = (counts[index] ?? 0) + 1;
	return counts;
}

describe.each(PROVIDERS)('option refusals name their items: $name', (p) => {
	test.each(ROWS)('$title', async (row) => {
		const result = await runFansly({
			parameters: updateParameters(p.authentication, { account: ACC, trackingLink: LINK, updateFields: { label: 'x' }, options: row.options }),
			items: ITEMS,
			credentials: p.credentials,
		});
		const error = result.error as unknown as NodeOperationError;
		expect([error?.name, error?.message]).toEqual(['NodeOperationError', row.message]);
		expect(error.context.itemIndex).toBe(row.itemIndex);
		expect(Object.values(namedItems(row.message)).every((times) => times === 1)).toBe(true);
		expect(namedItems(row.message)[String(row.itemIndex)]).toBe(1);
		expect(result.items).toEqual([]);
		expect(traffic.strays).toEqual([]);
		expect(traffic.unmatched).toEqual([]);
	});

	test('with Continue (regular output), every input item carries the same message, which names each item once', async () => {
		const row = ROWS[4];
		const result = await runFansly({
			parameters: updateParameters(p.authentication, { account: ACC, trackingLink: LINK, updateFields: { label: 'x' }, options: row.options }),
			items: ITEMS,
			credentials: p.credentials,
			onError: 'continueRegularOutput',
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.error, item.json.itemIndex, item.pairedItem])).toEqual(
			ITEMS.map((_, index) => [row.message, index, { item: index }]),
		);
		expect(traffic.strays).toEqual([]);
		expect(traffic.unmatched).toEqual([]);
	});
});
