import type { IExecuteFunctions, INode, INodeParameterResourceLocator } from 'n8n-workflow';

import { operationError } from './errors';

// C0 and C1 controls (U+0085 is a line break too) and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Unicode's invisible format characters (category Cf): zero-width spaces and joiners, the soft
 * hyphen, the byte order mark, and the direction marks, embeddings, overrides and isolates that
 * text copied from a web page or a right-to-left document carries.
 */
const FORMAT = /\p{Cf}/u;

/** A lone surrogate: half of a character beyond U+FFFF, which encodeURIComponent refuses. */
const SURROGATE = /\p{Cs}/u;

/**
 * What a copy and paste leaves around a value, which trim() keeps: whitespace and line breaks
 * (U+0085 as well as "\n" and U+2028) and the invisible format characters. One character.
 */
const EDGE = /^[\s\u0085\p{Cf}]$/u;

/**
 * A value without EDGE characters at either end. A loop, not a regular expression: one that
 * strips the end (/[\s]+$/) tries again from every character of a long run of spaces inside a
 * value, and took seconds for an ID of 100 000 characters.
 */
function trimEdges(value: string): string {
	let start = 0;
	while (start < value.length) {
		const char = String.fromCodePoint(value.codePointAt(start) as number);
		if (!EDGE.test(char)) break;
		start += char.length;
	}
	let end = value.length;
	while (end > start) {
		// The last character, a surrogate pair when it is one (the Cf tag characters are).
		const pair = end - start >= 2 ? String.fromCodePoint(value.codePointAt(end - 2) as number) : '';
		const char = pair.length === 2 ? pair : value[end - 1];
		if (!EDGE.test(char)) break;
		end -= char.length;
	}
	return value.slice(start, end);
}

/** A character as a message names it: U+200E. */
function codePointOf(char: string): string {
	return `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Every character CONTROL, FORMAT or SURROGATE finds: what a message cannot show as it is. */
const UNSHOWABLE = new RegExp(`${CONTROL.source}|${FORMAT.source}|${SURROGATE.source}`, 'gu');

/**
 * Text as a message can show it: each character checkId refuses in an ID named by its code
 * point in brackets ("fansly_acct_1[U+200B]"); `named` says whether there was any.
 */
export function withCodePoints(text: string): { shown: string; named: boolean } {
	let named = false;
	const shown = text.replace(UNSHOWABLE, (char) => {
		named = true;
		return `[${codePointOf(char)}]`;
	});
	return { shown, named };
}

/** Where digits are grouped: a comma, a dot, an apostrophe (Swiss), a space (plain, no-break, thin or narrow no-break). */
const GROUP = "[,.'\u2019 \u00a0\u2009\u202f]";

/**
 * A number as a spreadsheet or a locale writes it once it no longer holds every digit:
 * 8.45759434926862E+17 (an 18-digit ID in a cell formatted as a number, "8,45759434926862E+17"
 * with a decimal comma), with digit groups (845,759,434,926,862,336; 845.759.434.926.862.336;
 * 845 759 434 926 862 336; 845'759'434'926'862'336; the Indian 84,57,59,43,49,26,86,23,336),
 * with decimals (845759434926862000.00, 845,759,434,926,862,000.00). A plain run of digits
 * (NUMBER_AS_WRITTEN matches it too) is an ID. No part can take what the part before it gave
 * back beyond a few characters, so a long value that almost matches is read in linear time.
 */
const NUMBER_AS_WRITTEN = new RegExp(
	`^[+-]?(?:\\d{1,3}(?:${GROUP}\\d{3})+|\\d{1,2}(?:,\\d{2})+,\\d{3}|\\d+)(?:[.,]\\d+)?(?:e[+-]?\\d+)?$`,
	'i',
);

const DIGITS = /^[+-]?\d+$/;

const AS_TEXT_HINT =
	'Large IDs lose digits when they pass through a number. Map the ID as text (for example format the spreadsheet column as plain text).';

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing (the expression returned undefined)';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Reads an id from a resource locator (or a plain value mapped by an expression), trimmed.
 * Anything that is not a usable id is an error naming the field and the item, before any
 * request is sent.
 */
export function readId(
	ctx: IExecuteFunctions,
	parameter: string,
	displayName: string,
	itemIndex: number,
): string {
	const raw = ctx.getNodeParameter(parameter, itemIndex, '') as
		| INodeParameterResourceLocator
		| string
		| number
		| null;
	if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && '__rl' in raw) {
		// The modes this node's fields offer: a URL or an unknown mode would be sent as the ID.
		const mode: unknown = raw.mode;
		if (mode !== undefined && mode !== null && mode !== '' && mode !== 'list' && mode !== 'id') {
			throw operationError(
				ctx.getNode(),
				`${displayName} has the mode "${String(mode)}", which this field does not offer (item ${itemIndex})`,
				{ itemIndex, description: 'Choose From list or By ID.' },
			);
		}
		return checkId(ctx, raw.value, displayName, itemIndex);
	}
	return checkId(ctx, raw, displayName, itemIndex);
}

export function checkId(
	ctx: { getNode(): INode },
	value: unknown,
	displayName: string,
	itemIndex?: number,
): string {
	const fail = (message: string, description?: string) =>
		operationError(ctx.getNode(), `${displayName} ${message}${itemIndex === undefined ? '' : ` (item ${itemIndex})`}`, {
			itemIndex,
			description,
		});
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value) || value < 0) {
			throw fail(`arrived as the number ${value}, which cannot be an exact ID`, AS_TEXT_HINT);
		}
		return String(value);
	}
	if (typeof value !== 'string') {
		throw fail(
			`must be text, but the value is ${describe(value)}`,
			'Check the expression that sets this field.',
		);
	}
	const id = trimEdges(value);
	if (id === '') throw fail('is empty', 'Choose a value or map one from the input item.');
	if (CONTROL.test(id)) throw fail('contains control characters, which no ID has');
	// Half of a character (a surrogate without its pair): no URL can carry it.
	const broken = SURROGATE.exec(id);
	if (broken !== null) {
		throw fail(
			`contains half of a character (${codePointOf(broken[0])} without its pair), which no ID has`,
			'Check the expression or the text that sets this field: the value was cut inside a character.',
		);
	}
	const format = FORMAT.exec(id);
	if (format !== null) {
		throw fail(
			`contains the invisible format character ${codePointOf(format[0])}, which no ID has`,
			'Text copied from a web page or a document can carry invisible characters, such as direction marks. Type the ID again, or remove them where it comes from.',
		);
	}
	if (NUMBER_AS_WRITTEN.test(id) && !DIGITS.test(id)) throw fail(`is the number "${id}" as a spreadsheet writes it, which cannot be an exact ID`, AS_TEXT_HINT);
	if (id === '.' || id === '..') throw fail(`"${id}" is not a valid ID`);
	return id;
}

/**
 * Reads an optional text field of a collection. Absent: undefined (not sent). Added and
 * empty: '' (sent, clears the value). Numbers and booleans become text; objects, lists and
 * null are errors, so a broken mapping never clears a field by accident.
 */
export function checkText(
	ctx: IExecuteFunctions,
	value: unknown,
	displayName: string,
	itemIndex: number,
): string | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'string') return value;
	// A number is accepted as text only when it is exact: 845759434926862336 would arrive as
	// 845759434926862300, and NaN or Infinity are no one's label.
	if ((typeof value === 'number' && Math.abs(value) <= Number.MAX_SAFE_INTEGER) || typeof value === 'boolean') {
		return String(value);
	}
	throw operationError(
		ctx.getNode(),
		`${displayName} must be text, but the value is ${typeof value === 'number' ? String(value) : describe(value)} (item ${itemIndex})`,
		{
			itemIndex,
			description:
				value === null
					? 'The expression for this field resolved to null. Remove the field to leave the value unchanged, or map an empty string to clear it.'
					: typeof value === 'number'
						? `The expression for this field resolved to the number ${String(value)}, which cannot be used as exact text. Map the value as text.`
						: 'Check the expression that sets this field.',
		},
	);
}

/** Text as a word to compare: trimmed, lower case; undefined for anything that is not text. */
function wordOf(value: unknown): string | undefined {
	return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
}

/** A value as an error message quotes it: text in quotes, anything else by its kind. */
function quoted(value: unknown): string {
	return typeof value === 'string' ? `"${value}"` : describe(value);
}

/**
 * `table[name]` when it is the table's own entry: a name given by a parameter ("constructor",
 * "toString") must not find what every object inherits.
 */
export function ownEntry<T>(table: Record<string, T> | undefined, name: string): T | undefined {
	return table !== undefined && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/**
 * A yes/no value: a boolean, or the text "true" or "false" (a webhook or a spreadsheet often
 * brings them as text, and JavaScript takes the text "false" for true); undefined for anything else.
 */
export function asFlag(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	const word = wordOf(value);
	return word === 'true' ? true : word === 'false' ? false : undefined;
}

/** Reads a yes/no field (see asFlag); anything else is an error naming the field and the item. */
export function checkFlag(
	ctx: IExecuteFunctions,
	value: unknown,
	displayName: string,
	itemIndex: number,
): boolean {
	const flag = asFlag(value);
	if (flag !== undefined) return flag;
	throw operationError(
		ctx.getNode(),
		`${displayName} must be true or false, but the value is ${quoted(value)} (item ${itemIndex})`,
		{ itemIndex, description: 'Check the expression that sets this field: it should give true or false.' },
	);
}

/**
 * A number written as text in decimal ("2", "2.0", ".5", "1e2"); "0x2", "0b10" and "0o2" are
 * not. Each digit can belong to one part only, so a long text that almost matches is read in
 * linear time.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** A number as given, or as decimal text; NaN for anything else (`Number()` would read "0x2", `[2]` or `true`). */
export function decimalNumber(value: unknown): number {
	if (typeof value === 'number') return value;
	return typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value) : Number.NaN;
}

/**
 * Reads a whole number. Numbers and decimal text are taken; a list, a boolean or an object is
 * an error, where `Number()` would quietly read `[2]` as 2 and `true` as 1.
 */
export function checkWholeNumber(
	ctx: IExecuteFunctions,
	value: unknown,
	displayName: string,
	itemIndex: number,
	minimum: number,
): number {
	const number = decimalNumber(value);
	if (Number.isSafeInteger(number) && number >= minimum) return number;
	const shown = typeof value === 'number' ? String(value) : quoted(value);
	throw operationError(ctx.getNode(), `${displayName} must be a whole number of at least ${minimum}, but the value is ${shown} (item ${itemIndex})`, {
		itemIndex,
	});
}

/**
 * Reads one of a field's choices. An expression may give the choice's value in another case
 * ("builtin"), which is taken; any other value is an error naming the choices, never a filter
 * that silently matches everything or nothing.
 */
export function checkChoice<T extends string>(
	ctx: IExecuteFunctions,
	value: unknown,
	choices: readonly T[],
	displayName: string,
	itemIndex: number,
): T {
	const word = wordOf(value);
	const found = choices.find((choice) => choice.toLowerCase() === word);
	if (found !== undefined) return found;
	throw operationError(
		ctx.getNode(),
		`${displayName} must be one of ${choices.map((c) => `"${c}"`).join(', ')}, but the value is ${quoted(value)} (item ${itemIndex})`,
		{ itemIndex, description: 'Check the expression that sets this field.' },
	);
}

/** Encodes one path segment. Ids are checked by checkId, so a segment is never "." or "..". */
export function segment(value: string): string {
	return encodeURIComponent(value);
}

/**
 * Text as a label search compares it (Label Contains, the Tracking Link picker): composed (a
 * label typed on a Mac may come decomposed, "e" and a combining accent), in one case: upper
 * case first, so that "ß", "ẞ" and "SS" meet, then lower case, with the Turkish dotted capital I
 * ("İstanbul") read as an i (lower-casing alone leaves a combining dot after it) and the Greek
 * final sigma as the sigma it is ("ΚΟΣ" lower-cases to "κος" alone, but to "κοσ" in "κοσμος").
 */
export function foldCase(text: string): string {
	return text
		.normalize('NFC')
		.replace(/ẞ/g, 'ss') // the capital sharp s stays itself in upper case, where "ß" becomes "SS"
		.toUpperCase()
		.toLowerCase()
		.replace(/i\u0307/g, 'i')
		.replace(/ς/g, 'σ')
		.normalize('NFC'); // a few Greek letters come back decomposed from the case changes
}
