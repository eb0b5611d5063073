import { createHash } from 'crypto';

import { NAMED_REFERENCES } from './entities';

/**
 * Keeps the API key out of everything the node shows. A provider or a proxy that echoes the
 * request may write the key in any encoding, and each step that reads an answer (JSON parsing,
 * a JSON string inside JSON, HTML references, percent-decoding by whoever reads the output)
 * can turn one back into the key. So every string is scrubbed of the key in every form it can
 * take, each character in any of its encodings, mixed freely:
 *  - as it is;
 *  - JSON- or JavaScript-escaped, once or nested (`\/`, `\"`, `\\`, `\u002F`, `\\\u002f`);
 *  - percent-encoded in upper or lower case, once or again (`%2F`, `%2f`, `%252F`; `+` for a space);
 *  - as an HTML character reference (`&amp;`, `&#38;`, `&#x26;`, with or without `;`);
 *  - an escape or a reference, percent-encoded in turn (`%5C%2F`, `%5Cu002F`, `%26amp%3B`), as a
 *    JSON state or a page's text is when a URL carries it.
 * The transport scrubs the raw answer, the parsed answer and every string it builds from it,
 * after each decoding step; the router scrubs the final items and errors once more.
 */

const REDACTED = '[redacted]';

/** Shorter values are not scrubbed: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** `%` itself encoded up to three times more (`%2F`, `%252F`, `%25252F`, `%2525252F`). */
const MAX_PERCENT_NESTING = 3;

/** The start of a percent-encoded byte, however many times the `%` was encoded again. */
const PERCENT = `%(?:25){0,${MAX_PERCENT_NESTING}}`;

/** Leading zeros a numeric character reference may carry. */
const MAX_LEADING_ZEROS = 8;

/**
 * A run of backslashes longer than any form's leading run, all but its last few: passed over in
 * one step. Without it, each backslash of a long run (a hostile answer: 1 MB of `\\`) is tried
 * against every escape form of the key, about 50 ns each. Only used when no key holds a
 * backslash, so no form of the key can start inside such a run: a form's backslashes before an
 * escaped character are at most seven.
 */
const LONG_BACKSLASH_RUN = '(\\\\+(?=\\\\{8}))';

/**
 * The longest form one character can take in the patterns below, with room to spare: a
 * surrogate pair's two `\u` escapes, each after seven backslashes percent-encoded with the `%`
 * encoded three times more (`%2525255C`), is 136.
 */
const MAX_FORM_LENGTH_PER_CHAR = 160;

/** JSON's one-letter escapes of control characters. */
const SHORT_ESCAPES: Record<string, string> = { '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't' };

function escapeRegExp(text: string): string {
	return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** A hexadecimal number in either case, e.g. `[2][fF]`. */
function anyCaseHex(value: number, width: number): string {
	return [...value.toString(16).padStart(width, '0')]
		.map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
		.join('');
}

/** Percent-encoding of a character's UTF-8 bytes. */
function percentPattern(char: string): string {
	return [...Buffer.from(char, 'utf8')].map((byte) => `${PERCENT}${anyCaseHex(byte, 2)}`).join('');
}

/**
 * A character that starts or ends an escape or a reference (`\`, `&`, `#`, `;`): as it is, or
 * percent-encoded with the rest of the text.
 */
function plainOrPercent(char: string): string {
	return `(?:${escapeRegExp(char)}|${percentPattern(char)})`;
}

/**
 * The backslashes before an escaped character, up to three JSON encodings deep: each encoding
 * doubles them, and adds one where the character itself is escaped again (`\u0041`,
 * `\\u0041`, `\\\\u0041`; `\"`, `\\\"`, `\\\\\\\"`). All as they are, or all
 * percent-encoded (`%5C%5C%5C%22`): an encoder encodes every one. Kept apart, the run as it is
 * stays one quick repetition of a character, which ordinary text fails at once. Percent-encoded,
 * any count up to seven: five or six only scrub a little more, and the pattern is shorter and
 * backtracks less over a run of `%5C`.
 */
const PERCENT_BACKSLASH = percentPattern('\\');
const ESCAPE_BACKSLASHES = `(?:\\\\{7}|\\\\{1,4}|(?:${PERCENT_BACKSLASH}){1,7})`;

const AMPERSAND = plainOrPercent('&');
const NUMBER_SIGN = plainOrPercent('#');
const SEMICOLON = plainOrPercent(';');

/** Every encoding of one character, as alternatives of a regular expression. */
function charPattern(char: string): string {
	const code = char.codePointAt(0) as number;
	const forms: string[] = [];
	const percent = percentPattern(char);
	// JSON and JavaScript escapes: \u with four hex digits (a surrogate pair above U+FFFF),
	// a one-letter escape, and a backslash before any punctuation (`\/`, `\"`, `\\`), which
	// may be percent-encoded too (`%5C%2F`).
	const units = [...Array(char.length).keys()].map((i) => char.charCodeAt(i));
	const escapes = [units.map((unit, i) => `${i ? ESCAPE_BACKSLASHES : ''}u${anyCaseHex(unit, 4)}`).join('')];
	if (SHORT_ESCAPES[char]) escapes.push(SHORT_ESCAPES[char]);
	if (!/[\p{L}\p{N}]/u.test(char)) escapes.push(escapeRegExp(char), percent);
	forms.push(`${ESCAPE_BACKSLASHES}(?:${escapes.join('|')})`);
	// HTML character references, their `&`, `#` and `;` possibly percent-encoded. Before the
	// percent form: `%26amp%3B` is taken whole, not as `%26` and a rest.
	const zeros = `0{0,${MAX_LEADING_ZEROS}}`;
	forms.push(`${AMPERSAND}${NUMBER_SIGN}(?:${zeros}${code}|[xX]${zeros}${anyCaseHex(code, 1)})${SEMICOLON}?`);
	const names = NAMED_REFERENCES[char];
	if (names) forms.push(`${AMPERSAND}(?:${names.join('|')})${SEMICOLON}?`);
	forms.push(percent);
	// The character itself last: where an encoded form also matches (a `%` that starts
	// `%25`), the longer one is taken, so none of it is left behind.
	forms.push(escapeRegExp(char));
	if (char === ' ') forms.push('\\+');
	return `(?:${forms.join('|')})`;
}

/** The one pattern that finds a secret in any of its forms. */
function secretPattern(secret: string): string {
	return [...secret].map(charPattern).join('');
}

/** The secrets to scrub: strings, trimmed, long enough, each once, the longest first. */
function secretList(values: unknown[]): string[] {
	return [
		...new Set(
			values
				.filter((v): v is string => typeof v === 'string')
				.map((v) => v.trim())
				.filter((v) => v.length >= MIN_SECRET_LENGTH),
		),
	].sort((a, b) => b.length - a.length);
}

/**
 * What identifies values that hold a key without showing it: the sha256 of the values, each
 * apart. The rate budgets and the shared Secrets are kept by it.
 */
export function fingerprintOf(values: string[]): string {
	return createHash('sha256').update(values.join('\u0000')).digest('hex');
}

/** Secrets in use, by the fingerprint of their values (see Secrets.for). */
const shared = new Map<string, WeakRef<Secrets>>();

/** How many Secrets are shared now: what the tests read to see the collected ones forgotten. */
export function sharedSecretsCount(): number {
	return shared.size;
}

/**
 * Forgets every shared Secrets, for the tests: each test then builds its own, as a freshly
 * started n8n would, so that a test reaches the code that builds the pattern for its key.
 */
export function forgetSharedSecrets(): void {
	shared.clear();
}

export class Secrets {
	/** Every form of every secret; undefined when there is nothing to scrub. */
	private readonly pattern: RegExp | undefined;

	/** No form of a secret is shorter than the secret itself. */
	private readonly shortest: number;

	/** The longest text any form of a secret can take. */
	readonly longestForm: number;

	/**
	 * The Secrets for `values`, shared with every execution that holds them for the same values
	 * at the same time. The pattern of a 40-character key holds about 1 MiB once compiled
	 * (every character in all of its forms, escapes and references percent-encoded too); a burst
	 * of a thousand executions on one key paid that a thousand times, in the memory n8n's
	 * process peaks with.
	 * Held weakly, by a fingerprint of the values: once no execution holds them they can be
	 * collected, and no map key shows a secret.
	 */
	static for(values: unknown[]): Secrets {
		const id = fingerprintOf(secretList(values));
		const held = shared.get(id)?.deref();
		if (held) return held;
		for (const [otherId, ref] of shared) if (ref.deref() === undefined) shared.delete(otherId);
		const secrets = new Secrets(values);
		shared.set(id, new WeakRef(secrets));
		return secrets;
	}

	/** `values` are used as they are sent: the credentials trim the key, and so does this. */
	constructor(values: unknown[]) {
		const secrets = secretList(values);
		const forms = secrets.map(secretPattern);
		if (!secrets.some((s) => s.includes('\\'))) forms.unshift(LONG_BACKSLASH_RUN);
		this.pattern = secrets.length ? new RegExp(forms.join('|'), 'g') : undefined;
		this.shortest = Math.min(...secrets.map((s) => s.length));
		this.longestForm = Math.max(0, ...secrets.map((s) => s.length * MAX_FORM_LENGTH_PER_CHAR));
	}

	/** Text with every form of every secret replaced. */
	text(text: string): string {
		if (this.pattern === undefined || text.length < this.shortest) return text;
		// `run` is the long run of backslashes passed over, when the pattern has that group: without
		// it (a key that holds a backslash), the second argument is the match's offset, a number.
		return text.replace(this.pattern, (form: string, run: unknown) => (typeof run === 'string' ? form : REDACTED));
	}

	/**
	 * The first `limit` characters of `text`, scrubbed. A secret that starts before the cut is
	 * replaced whole, so no part of it is left at the end. `more`: the text goes on past what is
	 * given (a body read only in part), so a secret may be cut at its end too.
	 */
	head(text: string, limit: number, more = false): string {
		const cut = more ? Math.min(limit, Math.max(0, text.length - this.longestForm)) : limit;
		if (this.pattern === undefined) return text.slice(0, cut);
		if (!more && text.length <= limit) return this.text(text);
		const window = text.slice(0, cut + this.longestForm);
		let out = '';
		let last = 0;
		for (const match of window.matchAll(this.pattern)) {
			if (match.index >= cut) break;
			if (match[1] !== undefined) continue;
			out += `${window.slice(last, match.index)}${REDACTED}`;
			last = match.index + match[0].length;
		}
		return last < cut ? `${out}${window.slice(last, cut)}` : out;
	}

	/**
	 * A parsed JSON value with every string (and key) scrubbed. The input is not changed: what
	 * holds a secret is copied, the rest is handed back as it is.
	 */
	value<T>(value: T): T {
		if (this.pattern === undefined) return value;
		return this.scrubValue(value, new Set()) as T;
	}

	/** `ancestors`: the objects above this one, so that a cycle ends instead of recursing forever. */
	private scrubValue(value: unknown, ancestors: Set<object>): unknown {
		if (typeof value === 'string') return this.text(value);
		if (value === null || typeof value !== 'object') return value;
		if (ancestors.has(value)) return '[circular]';
		ancestors.add(value);
		// A copy is made only from the first part that changes.
		let copy: unknown[] | Record<string, unknown> | undefined;
		if (Array.isArray(value)) {
			for (let i = 0; i < value.length; i++) {
				const scrubbed = this.scrubValue(value[i], ancestors);
				if (copy === undefined && scrubbed !== value[i]) copy = value.slice(0, i);
				if (copy !== undefined) (copy as unknown[]).push(scrubbed);
			}
		} else {
			const record = value as Record<string, unknown>;
			const keys = Object.keys(record);
			for (let i = 0; i < keys.length; i++) {
				const key = this.text(keys[i]);
				const scrubbed = this.scrubValue(record[keys[i]], ancestors);
				if (copy === undefined && (key !== keys[i] || scrubbed !== record[keys[i]])) {
					copy = Object.fromEntries(keys.slice(0, i).map((k) => [k, record[k]]));
				}
				if (copy !== undefined) (copy as Record<string, unknown>)[key] = scrubbed;
			}
		}
		ancestors.delete(value);
		return copy ?? value;
	}
}
