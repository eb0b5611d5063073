/**
 * Hostile input on every field of an update (account id, tracking link id, label,
 * description), for both providers, through n8n's real execution engine. Each row ends in
 * exactly one of two ways:
 *  - the exact, correctly encoded request (raw path and JSON body) is sent once, and the run
 *    succeeds; or
 *  - a NodeOperationError naming the field and "(item 0)", with no request sent at all.
 * A catch-all interceptor on both hosts and nock's 'no match' event prove that nothing else
 * was ever requested (for example a ".." segment resolving to another endpoint).
 */
import nock from 'nock';
import type { IDataObject, INodeParameters, NodeOperationError } from 'n8n-workflow';

import type { RunResult } from './helpers/engine';
import { requiredParameterRefusal, runFansly } from './helpers/engine';
import type { ProviderCase, UpdateFields } from './fixtures/faults';
import { PROVIDERS, Traffic, fansApiCase, listBody, rawLink } from './fixtures/faults';
import { updateParameters } from './fixtures/parameters';
import { providerFor } from '../nodes/Fansly/providers';
import type { TrackingLinkProvider } from '../nodes/Fansly/providers/types';

const ACC = 'fansly_acct_123456789012345';
const LINK = '845759434926862336';
const LABEL = 'New label';
const OPTIONS = { retry: false, timeout: 2000 };

let traffic: Traffic;

beforeEach(() => {
	traffic = new Traffic();
});

afterEach(() => {
	traffic.stop();
});

// ---------------------------------------------------------------------------------------
// The table

/**
 * sent: the value as text (JSON body) and, for ids, the exact path segment expected.
 * error: the node's own NodeOperationError. required: n8n itself refuses to start the run
 * (an empty required parameter), so the node never runs.
 */
type Expect = { sent: string; segment?: string } | { error: RegExp; description?: string } | { required: true };

interface IdRow {
	title: string;
	value: string;
	expect: Expect;
}

interface TextRow {
	title: string;
	value: string;
	expect: Expect;
	/** As a Label, on a provider that needs one with every update (Fans API), when it differs. */
	asRequiredLabel?: Expect;
}

const LONG_TEXT = `${'Ünïcødé-'.repeat(1249)}12345678`; // 10 000 characters
const LONG_ID = '7'.repeat(10_000);

/** The hint of an ID that went through a number (helpers/input.ts). */
const AS_TEXT_HINT =
	'Large IDs lose digits when they pass through a number. Map the ID as text (for example format the spreadsheet column as plain text).';
/** An ID as a spreadsheet writes a number, 100 000 characters long: 1,000,000,…,000.00. */
const LONG_NUMBER = `1${',000'.repeat(24_999)}.00`;
/**
 * A run of spaces inside a value, then an invisible character: a regular expression that strips
 * the end of a value tries again from each of the spaces, and took about a minute for these
 * 300 000 characters (jest's time-out cannot stop a synchronous step: it would show as a suite
 * minutes slower, not as a failure).
 */
const LONG_SPACES = `x${' '.repeat(299_997)}\u202ey`;

/** An ID as a spreadsheet writes a number: refused with the hint to map it as text. */
const asNumber = (written: string): Expect => ({
	error: new RegExp(`is the number "${written.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" as a spreadsheet writes it, which cannot be an exact ID`),
	description: AS_TEXT_HINT,
});

/** An ID with an invisible format character inside: refused, naming it by its code point. */
const withFormat = (codePoint: string): Expect => ({
	error: new RegExp(`^(Account|Tracking Link) contains the invisible format character ${codePoint.replace('+', '\\+')}, which no ID has \\(item 0\\)$`),
});

const ID_ROWS: IdRow[] = [
	{ title: 'empty string', value: '', expect: { required: true } },
	{ title: 'whitespace only', value: ' \t  ', expect: { error: /is empty/ } },
	{ title: 'empty string from an expression', value: '={{ "" }}', expect: { error: /is empty/ } },
	{ title: 'surrounding spaces (trimmed)', value: '  abc_123  ', expect: { sent: 'abc_123', segment: 'abc_123' } },
	{ title: 'a trailing newline (trimmed)', value: 'abc\n', expect: { sent: 'abc', segment: 'abc' } },
	{ title: 'a 10 000-character id', value: LONG_ID, expect: { sent: LONG_ID, segment: LONG_ID } },
	{
		title: 'Unicode and emoji',
		value: 'Créatrice ✨ 粉丝 😀',
		expect: {
			sent: 'Créatrice ✨ 粉丝 😀',
			segment: 'Cr%C3%A9atrice%20%E2%9C%A8%20%E7%B2%89%E4%B8%9D%20%F0%9F%98%80',
		},
	},
	{ title: 'a newline inside', value: 'a\nb', expect: { error: /control characters/ } },
	{ title: 'a NUL character', value: 'a\u0000b', expect: { error: /control characters/ } },
	{ title: 'a tab inside', value: 'a\tb', expect: { error: /control characters/ } },
	{ title: 'a C1 control inside (U+0085, a line break)', value: 'a\u0085b', expect: { error: /control characters/ } },
	{ title: 'a next-line (U+0085) at both ends (trimmed, as "\\n" and U+2028 are)', value: '\u0085abc_123\u0085', expect: { sent: 'abc_123', segment: 'abc_123' } },
	{ title: 'a C1 control inside (U+009B)', value: 'a\u009b31m', expect: { error: /control characters/ } },
	{ title: 'a line separator inside (U+2028)', value: 'a\u2028b', expect: { error: /control characters/ } },
	{ title: 'zero-width spaces around it (trimmed)', value: '\u200babc_123\u200b\u2060', expect: { sent: 'abc_123', segment: 'abc_123' } },
	// Unicode's format characters (Cf), invisible: a copy from a web page or a right-to-left
	// document leaves direction marks at the edges of what it copied.
	{ title: 'direction marks around it (U+200F, U+200E; trimmed)', value: `\u200f${LINK}\u200e`, expect: { sent: LINK, segment: LINK } },
	{ title: 'isolates and embeddings around it (U+2068, U+202A, U+202C, U+2069; trimmed)', value: '\u2068\u202aabc_123\u202c\u2069', expect: { sent: 'abc_123', segment: 'abc_123' } },
	{ title: 'soft hyphens at the edges (U+00AD; trimmed)', value: '\u00adabc_123\u00ad', expect: { sent: 'abc_123', segment: 'abc_123' } },
	{ title: 'an Arabic letter mark and a tag character at the edges (U+061C, U+E007F; trimmed)', value: '\u061cabc_123\u{E007F}', expect: { sent: 'abc_123', segment: 'abc_123' } },
	{ title: 'a right-to-left override inside (U+202E)', value: '845759434\u202e926862336', expect: withFormat('U+202E') },
	{ title: 'a left-to-right isolate inside (U+2066)', value: 'abc\u2066_123', expect: withFormat('U+2066') },
	{ title: 'a soft hyphen inside (U+00AD)', value: 'abc\u00ad_123', expect: withFormat('U+00AD') },
	{ title: 'a byte order mark inside (U+FEFF)', value: 'abc\ufeff_123', expect: withFormat('U+FEFF') },
	{ title: 'a zero-width space inside (U+200B)', value: 'abc\u200b_123', expect: withFormat('U+200B') },
	{ title: 'an Arabic letter mark inside (U+061C)', value: 'abc\u061c_123', expect: withFormat('U+061C') },
	{ title: 'a tag character inside (U+E0041, beyond U+FFFF)', value: 'abc\u{E0041}_123', expect: withFormat('U+E0041') },
	{ title: 'a 300 000-character value, a run of spaces then a right-to-left override inside (read in linear time)', value: LONG_SPACES, expect: withFormat('U+202E') },
	// Half of a character: no URL can carry it (encodeURIComponent throws "URI malformed").
	{ title: 'a lone high surrogate inside (U+D800)', value: 'abc\ud800_123', expect: { error: /^(Account|Tracking Link) contains half of a character \(U\+D800 without its pair\), which no ID has \(item 0\)$/ } },
	{ title: 'a lone low surrogate at the end (U+DC00)', value: `${LINK}\udc00`, expect: { error: /^(Account|Tracking Link) contains half of a character \(U\+DC00 without its pair\), which no ID has \(item 0\)$/ } },
	{
		title: 'an 18-digit id as a spreadsheet writes a number (8.45759434926862E+17)',
		value: '8.45759434926862E+17',
		expect: { error: /is the number "8\.45759434926862E\+17" as a spreadsheet writes it, which cannot be an exact ID/ },
	},
	{
		title: 'an id with digit grouping (845,759,434,926,862,336)',
		value: '845,759,434,926,862,336',
		expect: { error: /is the number "845,759,434,926,862,336" as a spreadsheet writes it/ },
	},
	// The same ID as other spreadsheets, formats and locales write the number.
	{ title: 'Google Sheets\' Number format: groups and two decimals', value: '845,759,434,926,862,000.00', expect: asNumber('845,759,434,926,862,000.00') },
	{ title: 'Excel\'s Number format: two decimals', value: '845759434926862000.00', expect: asNumber('845759434926862000.00') },
	{ title: 'the scientific form with a decimal comma', value: '8,45759434926862E+17', expect: asNumber('8,45759434926862E+17') },
	{ title: 'digit groups with dots (German)', value: '845.759.434.926.862.336', expect: asNumber('845.759.434.926.862.336') },
	{ title: 'digit groups with dots and a decimal comma (German)', value: '845.759.434.926.862.336,00', expect: asNumber('845.759.434.926.862.336,00') },
	{ title: 'digit groups with no-break spaces (U+00A0, French)', value: '845\u00a0759\u00a0434\u00a0926\u00a0862\u00a0336', expect: asNumber('845\u00a0759\u00a0434\u00a0926\u00a0862\u00a0336') },
	{ title: 'digit groups with narrow no-break spaces (U+202F, French)', value: '845\u202f759\u202f434\u202f926\u202f862\u202f336', expect: asNumber('845\u202f759\u202f434\u202f926\u202f862\u202f336') },
	{ title: 'digit groups with apostrophes (Swiss)', value: "845'759'434'926'862'336", expect: asNumber("845'759'434'926'862'336") },
	{ title: 'digit groups with spaces', value: '845 759 434 926 862 336', expect: asNumber('845 759 434 926 862 336') },
	{ title: 'Indian digit groups (84,57,59,43,49,26,86,23,336)', value: '84,57,59,43,49,26,86,23,336', expect: asNumber('84,57,59,43,49,26,86,23,336') },
	{ title: 'a 100 000-character number with groups and decimals', value: LONG_NUMBER, expect: asNumber(LONG_NUMBER) },
	{ title: 'a comma that groups no digits (kept)', value: 'a,b', expect: { sent: 'a,b', segment: 'a%2Cb' } },
	{ title: 'a slash', value: 'a/b', expect: { sent: 'a/b', segment: 'a%2Fb' } },
	{ title: 'a question mark', value: 'a?b=c', expect: { sent: 'a?b=c', segment: 'a%3Fb%3Dc' } },
	{ title: 'a hash', value: 'a#frag', expect: { sent: 'a#frag', segment: 'a%23frag' } },
	{ title: 'an encoded slash (%2F) kept literally', value: 'a%2Fb', expect: { sent: 'a%2Fb', segment: 'a%252Fb' } },
	{ title: 'dots inside', value: 'a..b', expect: { sent: 'a..b', segment: 'a..b' } },
	{ title: '"../" traversal', value: '../accounts', expect: { sent: '../accounts', segment: '..%2Faccounts' } },
	{ title: 'encoded dots (%2e%2e) kept literally', value: '%2e%2e', expect: { sent: '%2e%2e', segment: '%252e%252e' } },
	{ title: 'exactly ".."', value: '..', expect: { error: /"\.\." is not a valid ID/ } },
	{ title: 'exactly "."', value: '.', expect: { error: /"\." is not a valid ID/ } },
	{ title: 'a snowflake id as text', value: LINK, expect: { sent: LINK, segment: LINK } },
	{ title: 'a safe number', value: '={{ 123456789 }}', expect: { sent: '123456789', segment: '123456789' } },
	{
		title: 'an unsafe number (845759434926862336 as a JS number)',
		value: '={{ 845759434926862336 }}',
		expect: { error: /arrived as the number 845759434926862300, which cannot be an exact ID/ },
	},
	{ title: 'a negative number', value: '={{ -1 }}', expect: { error: /arrived as the number -1/ } },
	{ title: 'a fraction', value: '={{ 1.5 }}', expect: { error: /arrived as the number 1\.5/ } },
	{ title: 'NaN', value: '={{ NaN }}', expect: { error: /arrived as the number NaN/ } },
	{ title: 'a boolean', value: '={{ true }}', expect: { error: /must be text, but the value is a boolean/ } },
	{ title: 'an object', value: '={{ {a:1} }}', expect: { error: /must be text, but the value is an object/ } },
	{ title: 'an array', value: '={{ [1, 2] }}', expect: { error: /must be text, but the value is a list/ } },
	{ title: 'null', value: '={{ null }}', expect: { error: /must be text, but the value is null/ } },
	{ title: 'undefined', value: '={{ undefined }}', expect: { error: /must be text/ } },
];

const TEXT_ROWS: TextRow[] = [
	{ title: 'empty string (sent: clears; refused where a label is required)', value: '', expect: { sent: '' }, asRequiredLabel: { error: /^Label is empty \(item 0\)$/ } },
	{ title: 'whitespace only', value: '   ', expect: { sent: '   ' }, asRequiredLabel: { error: /^Label is empty \(item 0\)$/ } },
	{ title: 'empty string from an expression', value: '={{ "" }}', expect: { sent: '' }, asRequiredLabel: { error: /^Label is empty \(item 0\)$/ } },
	{ title: 'a 10 000-character value', value: LONG_TEXT, expect: { sent: LONG_TEXT } },
	{ title: 'Unicode and emoji', value: 'Été 🔥 粉丝 👩‍👩‍👧', expect: { sent: 'Été 🔥 粉丝 👩‍👩‍👧' } },
	{ title: 'bidi override and zero-width space', value: '\u202Eevil\u200B', expect: { sent: '\u202Eevil\u200B' } },
	{ title: 'newlines', value: 'line 1\nline 2\r\n', expect: { sent: 'line 1\nline 2\r\n' } },
	{ title: 'a NUL character', value: 'a\u0000b', expect: { sent: 'a\u0000b' } },
	{ title: 'URL-ish characters', value: 'a/b?c=d#e%2F..', expect: { sent: 'a/b?c=d#e%2F..' } },
	{ title: 'exactly ".."', value: '..', expect: { sent: '..' } },
	{ title: 'exactly "."', value: '.', expect: { sent: '.' } },
	{ title: 'JSON-looking text', value: '{"label":"x","id":"other"}', expect: { sent: '{"label":"x","id":"other"}' } },
	{ title: 'a safe number', value: '={{ 42 }}', expect: { sent: '42' } },
	{ title: 'an unsafe number', value: '={{ 845759434926862336 }}', expect: { error: /must be text, but the value is 845759434926862300/ } },
	{ title: 'NaN', value: '={{ NaN }}', expect: { error: /must be text, but the value is NaN/ } },
	{ title: 'Infinity', value: '={{ 1/0 }}', expect: { error: /must be text, but the value is Infinity/ } },
	{ title: 'a boolean', value: '={{ false }}', expect: { sent: 'false' } },
	{ title: 'an object', value: '={{ {a:1} }}', expect: { error: /must be text, but the value is an object/ } },
	{ title: 'an array', value: '={{ ["a", "b"] }}', expect: { error: /must be text, but the value is a list/ } },
	{ title: 'null', value: '={{ null }}', expect: { error: /must be text, but the value is null/ } },
];

type FieldName = 'account' | 'trackingLink' | 'label' | 'description';

const DISPLAY: Record<FieldName, string> = {
	account: 'Account',
	trackingLink: 'Tracking Link',
	label: 'Label',
	description: 'Description',
};

interface Case {
	field: FieldName;
	title: string;
	value: string;
	expect: Expect;
}

/** The rows for one provider: a Label it needs on every update is refused blank, before any request. */
const casesFor = (p: ProviderCase): Case[] => [
	...ID_ROWS.map((row) => ({ field: 'account' as const, ...row })),
	...ID_ROWS.map((row) => ({ field: 'trackingLink' as const, ...row })),
	...TEXT_ROWS.map(({ asRequiredLabel, ...row }) => ({
		field: 'label' as const,
		...row,
		// Fans API requires a label on every update (provider-apis.md); API Fansly's is optional.
		expect: asRequiredLabel !== undefined && p.id === 'fansApi' ? asRequiredLabel : row.expect,
	})),
	...TEXT_ROWS.map((row) => ({ field: 'description' as const, title: row.title, value: row.value, expect: row.expect })),
];

// ---------------------------------------------------------------------------------------
// Running one row

interface Request {
	path: string;
	body: IDataObject;
}

/** What the row's parameters are, and what must be sent when the row is accepted. */
function plan(p: ProviderCase, c: Case) {
	const account = c.field === 'account' ? c.value : ACC;
	const trackingLink = c.field === 'trackingLink' ? c.value : LINK;
	const updateFields: IDataObject =
		c.field === 'label'
			? { label: c.value }
			: c.field === 'description'
				? { label: LABEL, description: c.value }
				: { label: LABEL };
	let expected: (Request & { accountId: string; linkId: string; fields: UpdateFields }) | undefined;
	if ('sent' in c.expect) {
		const sent = c.expect.sent;
		const segment = c.expect.segment ?? sent;
		const accountId = c.field === 'account' ? sent : ACC;
		const linkId = c.field === 'trackingLink' ? sent : LINK;
		const fields: UpdateFields =
			c.field === 'label'
				? { label: sent }
				: c.field === 'description'
					? { label: LABEL, description: sent }
					: { label: LABEL };
		expected = {
			path: p.putPath(c.field === 'account' ? segment : ACC, c.field === 'trackingLink' ? segment : LINK),
			body: p.putBody(linkId, fields),
			accountId,
			linkId,
			fields,
		};
	}
	return { parameters: updateParameters(p.authentication, { account, trackingLink, updateFields, options: OPTIONS }), expected };
}

/** Answers `times` PUTs, each with the link it names (labelled LABEL), as the provider would. */
function answerPuts(p: ProviderCase, times = 1): void {
	nock(p.host)
		.put(() => true)
		.times(times)
		.reply(traffic.replyWith((seen) => ({ status: 200, body: p.ok(rawLink(p, p.linkIdOf(seen.path, seen.body), ACC, { label: LABEL })) })));
}

function expectNothingElse(): void {
	expect(traffic.strays).toEqual([]);
	expect(traffic.unmatched).toEqual([]);
}

function expectInputError(result: RunResult, field: string, says: RegExp, itemIndex = 0): void {
	expect(result.error).toBeDefined();
	const error = result.error as NonNullable<RunResult['error']>;
	expect(error.name).toBe('NodeOperationError');
	expect(error.message.startsWith(`${field} `)).toBe(true);
	expect(error.message).toMatch(says);
	expect(error.message).toContain(`(item ${itemIndex})`);
	expect(result.items).toEqual([]);
}

describe.each(PROVIDERS)('bad input: $name', (p) => {
	test.each(casesFor(p))('$field: $title', async (c) => {
		const { parameters, expected } = plan(p, c);
		// The only acceptable request (when the row is accepted), or a trap that must stay unused.
		const path = expected?.path ?? p.putPath(ACC, LINK);
		const scope = nock(p.host)
			.put(path)
			.reply(
				traffic.replyWith(() => ({
					status: 200,
					body: p.ok(rawLink(p, expected?.linkId ?? LINK, expected?.accountId ?? ACC, expected?.fields)),
				})),
			);
		traffic.catchAll();

		if ('required' in c.expect) {
			await expect(runFansly({ parameters, credentials: p.credentials })).rejects.toThrow(
				requiredParameterRefusal(DISPLAY[c.field]),
			);
			expect(traffic.seen).toEqual([]);
			expect(scope.isDone()).toBe(false);
			expectNothingElse();
			return;
		}

		const result = await runFansly({ parameters, credentials: p.credentials });

		if ('error' in c.expect) {
			expectInputError(result, DISPLAY[c.field], c.expect.error);
			if (c.expect.description !== undefined) expect(result.error?.description).toBe(c.expect.description);
			expect(traffic.seen).toEqual([]);
			expect(scope.isDone()).toBe(false);
		} else {
			const want = expected as NonNullable<typeof expected>;
			expect(want).toBeDefined();
			expect(result.error).toBeUndefined();
			expect(traffic.seen.map((s) => ({ method: s.method, path: s.path, body: s.body }))).toStrictEqual([
				{ method: 'PUT', path: want.path, body: want.body },
			]);
			expect(scope.isDone()).toBe(true);
			expect(result.items).toHaveLength(1);
			expect(result.items[0].json).toMatchObject({
				id: want.linkId,
				accountId: want.accountId,
				label: want.fields.label,
				provider: p.id,
			});
		}
		expectNothingElse();
	});

	test('a bad item stops the batch before any request is sent (no Continue On Fail)', async () => {
		const scope = nock(p.host)
			.persist()
			.put(() => true)
			.reply(traffic.replyWith(() => ({ status: 200, body: p.ok(rawLink(p, LINK, ACC, { label: LABEL })) })));
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: '={{ $json.acc }}',
				trackingLink: LINK,
				updateFields: { label: LABEL },
				options: OPTIONS,
			}),
			items: [{ acc: ACC }, { acc: { nested: true } }, { acc: ACC }],
			credentials: p.credentials,
		});
		expectInputError(result, 'Account', /must be text, but the value is an object/, 1);
		expect(traffic.seen).toEqual([]);
		expect(scope.isDone()).toBe(false);
		expectNothingElse();
	});

	test('with Continue On Fail, bad items become error items and only good items are sent', async () => {
		const links: unknown[] = ['111', { a: 1 }, '222', '..', '333'];
		nock(p.host)
			.persist()
			.put(() => true)
			.reply(
				traffic.replyWith((seen) => {
					const id = p.linkIdOf(seen.path, seen.body);
					return { status: 200, body: p.ok(rawLink(p, id, ACC, { label: LABEL })) };
				}),
			);
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: ACC,
				trackingLink: '={{ $json.link }}',
				updateFields: { label: LABEL },
				options: OPTIONS,
			}),
			items: links.map((link) => ({ link }) as IDataObject),
			credentials: p.credentials,
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		result.items.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
		expect(result.items.map((i) => i.json.id ?? null)).toEqual(['111', null, '222', null, '333']);
		expect(result.items[1].json).toMatchObject({ itemIndex: 1, provider: p.id });
		expect(result.items[1].json.error).toMatch(/^Tracking Link must be text, but the value is an object/);
		expect(result.items[3].json).toMatchObject({ itemIndex: 3, provider: p.id });
		expect(result.items[3].json.error).toMatch(/^Tracking Link "\.\." is not a valid ID/);
		expect(traffic.seen.map((s) => p.linkIdOf(s.path, s.body)).sort()).toEqual(['111', '222', '333']);
		expectNothingElse();
	});

	test('nothing to update (no field added): a clear error and no request', async () => {
		nock(p.host).put(() => true).reply(traffic.replyWith(() => ({ status: 200 })));
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, { account: ACC, trackingLink: LINK, updateFields: {}, options: OPTIONS }),
			credentials: p.credentials,
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(/Label or Description.*\(item 0\)/);
		expect(traffic.seen).toEqual([]);
		expectNothingElse();
	});
});

describe('bad input: Fans API description-only updates (the current label is read first)', () => {
	const p = fansApiCase;
	const current = rawLink(p, LINK, ACC, { label: 'Current label', description: 'old' });

	test.each<[string, string | null]>([
		['none (null)', null],
		['a blank one', '  '],
	])('a link that has %s as its label: a clear error after the list is read, and no PUT with a made-up label', async (_name, label) => {
		const list = nock(p.host)
			.get(`/api/fansly/${ACC}/tracking-links`)
			.reply(traffic.replyWith(() => ({ status: 200, body: listBody([{ ...current, label }]) })));
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, { account: ACC, trackingLink: LINK, updateFields: { description: 'new' }, options: OPTIONS }),
			credentials: p.credentials,
		});
		expect([result.error?.name, result.error?.message]).toEqual([
			'NodeOperationError',
			`Tracking link "${LINK}" on account "${ACC}" has no label, and Fans API needs one with every update (item 0)`,
		]);
		expect(traffic.seen.map((s) => s.method)).toEqual(['GET']);
		expect(list.isDone()).toBe(true);
		expectNothingElse();
	});

	test.each(TEXT_ROWS)('description: $title', async (row) => {
		const list = nock(p.host)
			.get(`/api/fansly/${ACC}/tracking-links`)
			.reply(traffic.replyWith(() => ({ status: 200, body: listBody([current]) })));
		const put = nock(p.host)
			.put(`/api/fansly/${ACC}/tracking-links/${LINK}`)
			.reply(
				traffic.replyWith((seen) => ({
					status: 200,
					body: p.ok(rawLink(p, LINK, ACC, seen.body as UpdateFields)),
				})),
			);
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: ACC,
				trackingLink: LINK,
				updateFields: { description: row.value },
				options: OPTIONS,
			}),
			credentials: p.credentials,
		});
		if ('error' in row.expect) {
			expectInputError(result, 'Description', row.expect.error);
			expect(traffic.seen).toEqual([]);
			expect(list.isDone()).toBe(false);
			expect(put.isDone()).toBe(false);
		} else if ('sent' in row.expect) {
			expect(result.error).toBeUndefined();
			expect(traffic.seen.map((s) => ({ method: s.method, path: s.path, body: s.body }))).toStrictEqual([
				{ method: 'GET', path: `/api/fansly/${ACC}/tracking-links`, body: undefined },
				{
					method: 'PUT',
					path: `/api/fansly/${ACC}/tracking-links/${LINK}`,
					body: { label: 'Current label', description: row.expect.sent },
				},
			]);
			expect(result.items[0].json).toMatchObject({ id: LINK, label: 'Current label', description: row.expect.sent });
		}
		expectNothingElse();
	});

	test.each(ID_ROWS.filter((row) => 'segment' in row.expect))(
		'account with $title: the list and the update use the same encoded account',
		async (row) => {
			const sent = row.expect as { sent: string; segment: string };
			nock(p.host)
				.get(`/api/fansly/${sent.segment}/tracking-links`)
				.reply(traffic.replyWith(() => ({ status: 200, body: listBody([rawLink(p, LINK, sent.sent, { label: 'Cur' })]) })));
			nock(p.host)
				.put(`/api/fansly/${sent.segment}/tracking-links/${LINK}`)
				.reply(traffic.replyWith(() => ({ status: 200, body: p.ok(rawLink(p, LINK, sent.sent, { label: 'Cur', description: 'd' })) })));
			traffic.catchAll();
			const result = await runFansly({
				parameters: updateParameters(p.authentication, {
					account: row.value,
					trackingLink: LINK,
					updateFields: { description: 'd' },
					options: OPTIONS,
				}),
				credentials: p.credentials,
			});
			expect(result.error).toBeUndefined();
			expect(traffic.seen.map((s) => [s.method, s.path, s.body])).toStrictEqual([
				['GET', `/api/fansly/${sent.segment}/tracking-links`, undefined],
				['PUT', `/api/fansly/${sent.segment}/tracking-links/${LINK}`, { label: 'Cur', description: 'd' }],
			]);
			expectNothingElse();
		},
	);
});

// ---------------------------------------------------------------------------------------
// Options: read once per run; a value out of range is an error before any request.

interface OptionRow {
	option: string;
	value: unknown;
	label: string;
	range: string;
}

const MAX_MS = 2_147_483_647;

/** Above MAX_MS a Node.js timer fires after 1 ms: every request would "time out" at once. */
const OPTION_ROWS: OptionRow[] = [
	{ option: 'timeout', value: MAX_MS + 1, label: 'Timeout (Ms)', range: `from 1 to ${MAX_MS}` },
	{ option: 'timeout', value: 0, label: 'Timeout (Ms)', range: `from 1 to ${MAX_MS}` },
	{ option: 'timeout', value: 'soon', label: 'Timeout (Ms)', range: `from 1 to ${MAX_MS}` },
	{ option: 'maxRetryWait', value: 3_000_000_000, label: 'Max Retry Wait (Ms)', range: `from 0 to ${MAX_MS}` },
	{ option: 'maxRetryWait', value: -1, label: 'Max Retry Wait (Ms)', range: `from 0 to ${MAX_MS}` },
	{ option: 'retryDelay', value: MAX_MS + 1, label: 'Retry Base Delay (Ms)', range: `from 0 to ${MAX_MS}` },
	{ option: 'maxRetries', value: -1, label: 'Max Retries', range: 'of at least 0' },
	{ option: 'requestsPerMinute', value: Number.NaN, label: 'Requests Per Minute', range: 'of at least 0' },
	{ option: 'maxConcurrency', value: 0, label: 'Max Concurrency', range: 'of at least 1' },
	// Above what the editor allows: an expression cannot go past it either.
	{ option: 'maxRetries', value: 11, label: 'Max Retries', range: 'from 0 to 10' },
	{ option: 'maxConcurrency', value: 257, label: 'Max Concurrency', range: 'from 1 to 256' },
	{ option: 'requestsPerMinute', value: 1e20, label: 'Requests Per Minute', range: `from 0 to ${Number.MAX_SAFE_INTEGER}` },
	// Only an option not added takes its default; text is read in decimal.
	{ option: 'maxRetries', value: null, label: 'Max Retries', range: 'of at least 0' },
	{ option: 'timeout', value: '0x10', label: 'Timeout (Ms)', range: `from 1 to ${MAX_MS}` },
];


describe.each(PROVIDERS)('bad options: $name', (p) => {
	test.each(OPTION_ROWS)('$option = $value: a clear error naming the option, no request', async (row) => {
		const scope = nock(p.host).put(() => true).reply(traffic.replyWith(() => ({ status: 200 })));
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: ACC,
				trackingLink: LINK,
				updateFields: { label: LABEL },
				// Retry stays on: its sub-options are hidden (and not read) when it is off.
				options: { timeout: 2000, [row.option]: row.value } as IDataObject,
			}),
			credentials: p.credentials,
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(`Option "${row.label}" must be a number ${row.range} (item 0)`);
		expect(traffic.seen).toEqual([]);
		expect(scope.isDone()).toBe(false);
		expectNothingElse();
	});

});

// ---------------------------------------------------------------------------------------
// Limit (Get Many, which only Fans API offers): a whole number, as text in decimal only.

const LIMIT_ROWS: Array<{ title: string; limit: string; shown: string }> = [
	{ title: 'hexadecimal text', limit: '={{ "0x2" }}', shown: '"0x2"' },
	{ title: 'binary text', limit: '={{ "0b10" }}', shown: '"0b10"' },
	{ title: 'octal text', limit: '={{ "0o2" }}', shown: '"0o2"' },
	{ title: 'hexadecimal text with spaces around it', limit: '={{ " 0X2 " }}', shown: '" 0X2 "' },
];

describe('bad Limit: Fans API', () => {
	const p = fansApiCase;

	test.each(LIMIT_ROWS)('$title ($shown): a clear error naming the Limit and the item, no request', async (row) => {
		traffic.catchAll();
		const result = await runFansly({
			parameters: {
				authentication: p.authentication,
				resource: 'trackingLink',
				operation: 'getAll',
				account: { __rl: true, mode: 'id', value: ACC },
				returnAll: false,
				limit: row.limit,
				options: OPTIONS,
			},
			credentials: p.credentials,
		});
		expect([result.error?.name, result.error?.message]).toEqual([
			'NodeOperationError',
			`Limit must be a whole number of at least 1, but the value is ${row.shown} (item 0)`,
		]);
		expect(result.items).toEqual([]);
		expect(traffic.seen).toEqual([]);
		expectNothingElse();
	});
});

describe.each(PROVIDERS)('resource locators in workflow JSON: $name', (p) => {
	test.each<[string, string, INodeParameters]>([
		['Account', 'url', { account: { __rl: true, mode: 'url', value: 'https://fansly.com/creator' } }],
		['Tracking Link', 'somethingElse', { trackingLink: { __rl: true, mode: 'somethingElse', value: LINK } }],
	])('%s in a mode the field does not offer (%s) is refused before any request', async (field, mode, locator) => {
		traffic.catchAll();
		const result = await runFansly({
			parameters: { ...updateParameters(p.authentication, { account: ACC, trackingLink: LINK, updateFields: { label: LABEL }, options: OPTIONS }), ...locator },
			credentials: p.credentials,
		});
		expectInputError(result, field, new RegExp(`^${field} has the mode "${mode}", which this field does not offer \\(item 0\\)$`));
		expect(traffic.seen).toEqual([]);
		expectNothingElse();
	});
});

test('Custom API Call says what to use instead', async () => {
	const p = PROVIDERS[0];
	traffic.catchAll();
	const result = await runFansly({ parameters: { ...withOptions(p, {}), operation: '__CUSTOM_API_CALL__' }, credentials: p.credentials });
	expect([result.error?.message, result.error?.description]).toEqual([
		'Custom API Call is not an operation of the Fansly node: use the HTTP Request node for other endpoints',
		'In an HTTP Request node choose Authentication → Predefined Credential Type and pick this node’s API Fansly or Fans API credential: n8n then sends the API key for you.',
	]);
	expect(traffic.seen).toEqual([]);
	expectNothingElse();
});

describe.each(PROVIDERS)('resource locators without a mode: $name', (p) => {
	test.each([null, ''])('mode %p is read as By ID', async (mode) => {
		answerPuts(p);
		traffic.catchAll();
		const result = await runFansly({
			parameters: {
				...updateParameters(p.authentication, { account: ACC, trackingLink: LINK, updateFields: { label: LABEL }, options: OPTIONS }),
				trackingLink: { __rl: true, mode, value: LINK } as unknown as INodeParameters,
			},
			credentials: p.credentials,
		});
		expect(result.error).toBeUndefined();
		expect(traffic.seen.map((seen) => p.linkIdOf(seen.path, seen.body))).toEqual([LINK]);
		expectNothingElse();
	});
});

describe.each(PROVIDERS)('options mapped from the input: $name', (p) => {
	test('Retry mapped to false: the retry options it hides are not read (a Max Retries past 10 is no error)', async () => {
		answerPuts(p, 2);
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: ACC,
				trackingLink: LINK,
				updateFields: { label: LABEL },
				options: { retry: '={{ false }}', maxRetries: '={{ 50 + $itemIndex }}', timeout: 2000 },
			}),
			items: [{}, {}],
			credentials: p.credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expectNothingElse();
	});

	test('the same value on every item (text on one, a number on another) is the run\'s', async () => {
		answerPuts(p, 3);
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: ACC,
				updateFields: { label: LABEL },
				options: { ...OPTIONS, requestsPerMinute: '={{ $json.rpm }}', timeout: '={{ $json.timeout }}' },
			}),
			items: [
				{ link: '1', rpm: 600, timeout: '2000' },
				{ link: '2', rpm: '600', timeout: 2000 },
				{ link: '3', rpm: ' 600 ', timeout: 2000.5 },
			],
			credentials: p.credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			['1', { item: 0 }],
			['2', { item: 1 }],
			['3', { item: 2 }],
		]);
		expectNothingElse();
	});
});

// ---------------------------------------------------------------------------------------
// Failures of the whole run, raised before any item is sent: they follow n8n's On Error rules
// like any failure of the node. Stop Workflow: the node throws. Continue (regular output):
// one error item per input item on the success output. Continue (using error output): the
// same items on the error output, and nothing on the success output (n8n would otherwise send
// the input items down the success branch). No request is sent in any case.

interface RunFailureRow {
	title: string;
	/** The node's parameters for this provider. */
	parameters(p: ProviderCase): INodeParameters;
	/** The credentials the node is given, when not the provider's own. */
	credentials?(p: ProviderCase): Record<string, IDataObject>;
	says: RegExp;
	/** The error's name when it stops the workflow: n8n's own error, as n8n raised it. */
	name?: string;
	/** The provider named in each error item (undefined when the node could not tell it). */
	provider?: (p: ProviderCase) => string;
}

const RUN_ITEMS: IDataObject[] = [{ row: 1 }, { row: 2 }, { row: 3 }];

const withOptions = (p: ProviderCase, options: IDataObject) =>
	updateParameters(p.authentication, { account: ACC, trackingLink: LINK, updateFields: { label: LABEL }, options: { ...OPTIONS, ...options } });

const RUN_FAILURE_ROWS: RunFailureRow[] = [
	{
		title: 'Requests Per Minute "abc" from an expression',
		parameters: (p) => withOptions(p, { requestsPerMinute: '={{ "abc" }}' }),
		says: /^Option "Requests Per Minute" must be a number of at least 0 \(item 0\)$/,
		provider: (p) => p.id,
	},
	// 0 is the provider's default: a value below 1 would become it once cut to a whole number
	// (0.5 requests a minute would run at 600 or 5,000).
	{
		title: 'Requests Per Minute 0.5',
		parameters: (p) => withOptions(p, { requestsPerMinute: 0.5 }),
		says: /^Option "Requests Per Minute" must be 0 \(the provider's default\) or a number of at least 1 \(item 0\)$/,
		provider: (p) => p.id,
	},
	{
		title: 'Requests Per Minute "0.999" from an expression',
		parameters: (p) => withOptions(p, { requestsPerMinute: '={{ "0.999" }}' }),
		says: /^Option "Requests Per Minute" must be 0 \(the provider's default\) or a number of at least 1 \(item 0\)$/,
		provider: (p) => p.id,
	},
	// "false" as text is true to JavaScript: a yes/no option takes the words, nothing else.
	{
		title: 'Retry "no" from an expression',
		parameters: (p) => withOptions(p, { retry: '={{ "no" }}' }),
		says: /^Option "Retry" must be true or false \(item 0\)$/,
		provider: (p) => p.id,
	},
	{
		title: 'Only Update When Different 1 from an expression',
		parameters: (p) => withOptions(p, { onlyUpdateWhenDifferent: '={{ 1 }}' }),
		says: /^Option "Only Update When Different" must be true or false \(item 0\)$/,
		provider: (p) => p.id,
	},
	{
		title: 'an Option whose expression fails (it names a node that does not exist)',
		parameters: (p) => withOptions(p, { timeout: '={{ $("Nowhere").item.json.timeout }}' }),
		says: /^Referenced node doesn't exist$/,
		name: 'ExpressionError',
		provider: (p) => p.id,
	},
	// An option mapped from the input applies to the whole run: every item must give a good
	// value, and the same one (a sheet column that varies would be followed for row 0 only).
	{
		title: 'Requests Per Minute "abc" on the second item only',
		parameters: (p) => withOptions(p, { requestsPerMinute: '={{ $json.row === 2 ? "abc" : 600 }}' }),
		says: /^Option "Requests Per Minute" must be a number of at least 0 \(item 1\)$/,
		provider: (p) => p.id,
	},
	{
		title: 'Timeout (Ms) that differs from one item to the next',
		parameters: (p) => withOptions(p, { timeout: '={{ $json.row === 3 ? 5000 : 2000 }}' }),
		says: /^Option "Timeout \(Ms\)" must be the same for every item, since it applies to the whole run: item 0 gives 2000, but item 2 gives 5000$/,
		provider: (p) => p.id,
	},
	{
		title: 'Requests Per Minute mapped from a column the second row lacks (so the default)',
		parameters: (p) => withOptions(p, { requestsPerMinute: '={{ $json.row === 2 ? undefined : 100 }}' }),
		says: /^Option "Requests Per Minute" must be the same for every item, since it applies to the whole run: item 0 gives 100, but item 1 gives nothing \(so the default, 0\)$/,
		provider: (p) => p.id,
	},
	{
		title: 'Only Update When Different mapped from a column that differs between rows',
		parameters: (p) => withOptions(p, { onlyUpdateWhenDifferent: '={{ $json.row === 2 }}' }),
		says: /^Option "Only Update When Different" must be the same for every item, since it applies to the whole run: item 0 gives false, but item 1 gives true$/,
		provider: (p) => p.id,
	},
	{
		title: 'Timeout (Ms) 0',
		parameters: (p) => withOptions(p, { timeout: 0 }),
		says: /^Option "Timeout \(Ms\)" must be a number from 1 to 2147483647 \(item 0\)$/,
		provider: (p) => p.id,
	},
	{
		title: 'a credential that cannot be read (the node has none of the chosen type)',
		parameters: (p) => withOptions(p, {}),
		credentials: (p) => (p.id === 'apiFansly' ? fansApiCase.credentials : PROVIDERS[0].credentials),
		says: /^Node does not have any credentials set/,
		provider: (p) => p.id,
	},
	{
		title: 'an operation the node does not know',
		parameters: (p) => ({ ...withOptions(p, {}), operation: 'explode' }),
		says: /^The operation "explode" of "trackingLink" is not known$/,
		provider: (p) => p.id,
	},
	{
		title: 'a provider the node does not know (a workflow written by hand)',
		parameters: (p) => ({ ...withOptions(p, {}), authentication: 'someOtherApi' }),
		says: /^Unknown provider: choose an API Fansly or a Fans API credential for this node$/,
	},
	{
		// n8n cannot read the operation, whose options depend on the resource: its own error,
		// which the node hands over as a NodeOperationError.
		title: 'a resource the node does not know (a workflow written by hand)',
		parameters: (p) => ({ ...withOptions(p, {}), resource: 'somethingElse' }),
		says: /^Could not get parameter/,
		provider: (p) => p.id,
	},
	{
		title: 'Custom API Call',
		parameters: (p) => ({ ...withOptions(p, {}), operation: '__CUSTOM_API_CALL__' }),
		says: /^Custom API Call is not an operation of the Fansly node/,
		provider: (p) => p.id,
	},
];

type OnError = 'stop' | 'continueRegularOutput' | 'continueErrorOutput';

const ON_ERROR: OnError[] = ['stop', 'continueRegularOutput', 'continueErrorOutput'];

describe.each(PROVIDERS)('failures of the whole run: $name', (p) => {
	const cases = RUN_FAILURE_ROWS.flatMap((row) => ON_ERROR.map((onError) => ({ ...row, onError })));

	test.each(cases)('$title, On Error $onError', async (row) => {
		traffic.catchAll();
		const result = await runFansly({
			parameters: row.parameters(p),
			items: RUN_ITEMS,
			credentials: row.credentials?.(p) ?? p.credentials,
			...(row.onError === 'stop' ? {} : { onError: row.onError }),
		});
		expect(traffic.seen).toEqual([]);
		expectNothingElse();
		if (row.onError === 'stop') {
			expect(result.error?.message).toMatch(row.says);
			expect(result.error?.name).toBe(row.name ?? 'NodeOperationError');
			expect(result.items).toEqual([]);
			return;
		}
		expect(result.error).toBeUndefined();
		const failed = row.onError === 'continueErrorOutput' ? result.errorItems : result.items;
		const other = row.onError === 'continueErrorOutput' ? result.items : result.errorItems;
		expect(other).toEqual([]);
		expect(failed).toHaveLength(RUN_ITEMS.length);
		failed.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const fields = row.onError === 'continueErrorOutput' ? (item.json.message as IDataObject) : item.json;
			expect(item.json.error).toMatch(row.says);
			expect(fields.itemIndex).toBe(index);
			expect(fields.provider).toBe(row.provider?.(p));
			// Only the fields that have a value: one without (the provider the node could not tell,
			// a description the error does not have) would show in n8n as an empty row.
			expect(Object.entries(fields).filter(([, value]) => value === undefined || value === null)).toEqual([]);
			if (row.onError === 'continueErrorOutput') expect(Object.keys(item.json).sort()).toEqual(['error', 'message']);
		});
	});
});

test('failures of the whole run: an operation API Fansly does not offer (Get Many) under each On Error setting', async () => {
	for (const onError of ON_ERROR) {
		traffic.catchAll();
		const result = await runFansly({
			parameters: { authentication: 'apiFanslyApi', resource: 'trackingLink', operation: 'getAll', account: { __rl: true, mode: 'id', value: ACC }, returnAll: true },
			items: RUN_ITEMS,
			credentials: PROVIDERS[0].credentials,
			...(onError === 'stop' ? {} : { onError }),
		});
		const failed = onError === 'continueErrorOutput' ? result.errorItems : result.items;
		if (onError === 'stop') expect(result.error?.message).toBe('API Fansly does not support this operation');
		else expect(failed.map((item) => [item.json.error, item.pairedItem])).toEqual(RUN_ITEMS.map((_, index) => ['API Fansly does not support this operation', { item: index }]));
		if (onError === 'continueErrorOutput') expect(result.items).toEqual([]);
		expect(traffic.seen).toEqual([]);
		expectNothingElse();
	}
});

// ---------------------------------------------------------------------------------------
// n8n-workflow's node errors put a generic sentence ("The connection to the server was closed
// unexpectedly…") in place of any message that mentions a Node error code (ECONNRESET,
// ETIMEDOUT, EAI_AGAIN…), even a user's value quoted in it or a bug's own words. The node keeps
// its message, which names the field, the item or what failed.

describe('messages that mention a Node error code are kept', () => {
	afterEach(() => {
		jest.restoreAllMocks();
	});

	test.each(ON_ERROR)('an operation named ECONNRESET (a workflow written by hand), On Error %s', async (onError) => {
		traffic.catchAll();
		const result = await runFansly({
			parameters: { ...withOptions(fansApiCase, {}), operation: 'ECONNRESET' },
			items: RUN_ITEMS,
			credentials: fansApiCase.credentials,
			...(onError === 'stop' ? {} : { onError }),
		});
		const says = 'The operation "ECONNRESET" of "trackingLink" is not known';
		if (onError === 'stop') {
			expect(result.error?.message).toBe(says);
			expect((result.error as NodeOperationError).messages).toEqual([]);
		} else {
			const failed = onError === 'continueErrorOutput' ? result.errorItems : result.items;
			expect(failed.map((item) => [item.json.error, item.pairedItem])).toEqual(RUN_ITEMS.map((_, index) => [says, { item: index }]));
		}
		expect(traffic.seen).toEqual([]);
		expectNothingElse();
	});

	test('Get Stats: After "ETIMEDOUT" is not a date, and the message quotes it', async () => {
		traffic.catchAll();
		const result = await runFansly({
			parameters: {
				authentication: 'fansApiApi',
				resource: 'trackingLink',
				operation: 'getStats',
				account: { __rl: true, mode: 'id', value: ACC },
				trackingLink: { __rl: true, mode: 'id', value: LINK },
				range: { after: 'ETIMEDOUT' },
			},
			credentials: fansApiCase.credentials,
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('After is not a date: "ETIMEDOUT" (item 0)');
		expect(traffic.seen).toEqual([]);
		expectNothingElse();
	});

	// A bug's error where the node sends an item (a provider's update) and where it prepares the
	// run (the credential's Base URL): its words are kept; a run that stops names the item.
	const UNEXPECTED = PROVIDERS.flatMap((p) => [
		{
			name: p.name,
			p,
			where: 'while an item is sent',
			words: 'read ECONNRESET in a bug',
			stops: 'read ECONNRESET in a bug (item 0)',
			break: (provider: TrackingLinkProvider) => jest.spyOn(provider, 'updateTrackingLink').mockRejectedValue(new Error('read ECONNRESET in a bug')),
		},
		{
			name: p.name,
			p,
			where: 'before any item is sent',
			words: 'getaddrinfo EAI_AGAIN in a bug',
			stops: 'getaddrinfo EAI_AGAIN in a bug',
			break: (provider: TrackingLinkProvider) =>
				jest.spyOn(provider, 'resolveBaseUrl').mockImplementation(() => {
					throw new Error('getaddrinfo EAI_AGAIN in a bug');
				}),
		},
	]);

	test.each(UNEXPECTED)('$name: an unexpected error $where keeps its words, On Error stop and error output', async (row) => {
		row.break(providerFor(row.p.authentication) as TrackingLinkProvider);
		traffic.catchAll();
		const parameters = withOptions(row.p, {});
		const stopped = await runFansly({ parameters, credentials: row.p.credentials });
		expect(stopped.error?.name).toBe('NodeOperationError');
		expect(stopped.error?.message).toBe(row.stops);
		const routed = await runFansly({ parameters, items: RUN_ITEMS, credentials: row.p.credentials, onError: 'continueErrorOutput' });
		expect(routed.items).toEqual([]);
		expect(routed.errorItems.map((item) => [item.json.error, item.pairedItem])).toEqual(RUN_ITEMS.map((_, index) => [row.words, { item: index }]));
		expect(traffic.seen).toEqual([]);
		expectNothingElse();
	});
});
