import { decodeReferences } from './entities';
import type { Secrets } from './secrets';

/*
 * Reading an answer's body. Every step is one pass over a bounded amount of text, whatever the
 * body holds: an error page of nested or unclosed tags, comment openers or long runs of `<`,
 * `&` or spaces costs what its size costs, and only its start is read at all.
 */

/** The longest piece of a non-JSON body kept for messages and error items. */
const SNIPPET_LENGTH = 300;

/**
 * How much of an error answer is read and looked at: a provider's JSON error is a few hundred
 * bytes, and the visible start of an HTML error page comes within its first kilobytes. The
 * rest is never read.
 */
export const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * How much of a successful answer is read. The largest is an account's list of tracking links,
 * about 600 bytes a link: 64 MiB holds some 100 000 links. A larger answer fails clearly
 * instead of filling n8n's memory.
 */
export const SUCCESS_BODY_LIMIT = 64 * 1024 * 1024;

/**
 * The most of a text the snippet looks at: twice what an error answer is read to, so that what
 * the transport already cut (and scrubbed, which can lengthen it) is not cut again; a 2xx body
 * that is not JSON can be far longer.
 */
const SNIPPET_INPUT_LIMIT = 2 * ERROR_BODY_LIMIT;

export interface BodyText {
	text: string;
	/** False when the body goes on past `text` and was not read further. */
	complete: boolean;
}

function isReadableStream(body: unknown): body is AsyncIterable<unknown> & { destroy(): void } {
	return (
		body !== null &&
		typeof body === 'object' &&
		Symbol.asyncIterator in body &&
		typeof (body as { destroy?: unknown }).destroy === 'function'
	);
}

function bufferOf(chunk: unknown): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	if (chunk instanceof Uint8Array) return Buffer.from(chunk);
	return Buffer.from(String(chunk), 'utf8');
}

function decodeUtf8(bytes: Buffer): string {
	const text = bytes.toString('utf8');
	// A byte-order mark is not part of the JSON (axios drops it from the bodies it reads).
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The body's text, read up to `limit` bytes. A stream (what the transport asks n8n for) stops
 * being read there and is closed, so the rest of a large or endless answer never arrives in
 * memory; a body n8n already read (a string, a Buffer, parsed JSON) is cut the same way.
 */
export async function readBody(body: unknown, limit: number): Promise<BodyText> {
	if (body === undefined || body === null) return { text: '', complete: true };
	if (isReadableStream(body)) {
		const chunks: Buffer[] = [];
		let size = 0;
		// Leaving the loop early closes the stream (and its connection).
		for await (const chunk of body) {
			const bytes = bufferOf(chunk);
			chunks.push(bytes);
			size += bytes.length;
			if (size > limit) break;
		}
		const all = Buffer.concat(chunks);
		return { text: decodeUtf8(all.subarray(0, limit)), complete: size <= limit };
	}
	if (typeof body === 'string') {
		return { text: body.length > limit ? body.slice(0, limit) : body, complete: body.length <= limit };
	}
	const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body), 'utf8');
	return { text: decodeUtf8(bytes.subarray(0, limit)), complete: bytes.length <= limit };
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; text: string };

/**
 * Parses a body as JSON, scrubbed of secrets as raw text and again once parsed (parsing turns
 * an escaped echo of the key back into the key). A body that is not JSON comes back as its
 * scrubbed text.
 */
export function parseBody(text: string, secrets: Secrets): ParsedBody {
	const scrubbed = secrets.text(text);
	if (scrubbed.trim() === '') return { ok: true, value: undefined };
	// The raw text too: scrubbing can take a quote or a backslash of the JSON with a secret
	// that ends in one. Every string of what it gives is scrubbed.
	for (const candidate of scrubbed === text ? [text] : [scrubbed, text]) {
		try {
			return { ok: true, value: secrets.value(JSON.parse(candidate) as unknown) };
		} catch {
			// not JSON
		}
	}
	return { ok: false, text: scrubbed };
}

/**
 * An answer's body as the transport keeps it: parsed when it was read whole; otherwise only its
 * start, as text (the key scrubbed, and nothing of it left at the cut).
 */
export function parseAnswer(body: BodyText, secrets: Secrets): ParsedBody {
	if (body.complete) return parseBody(body.text, secrets);
	return { ok: false, text: secrets.head(body.text, ERROR_BODY_LIMIT, true) };
}

/** Lower-case tag names whose content is not text. */
const RAW_TEXT_ELEMENT = /^<(script|style)[\s/>]/i;

/** What may follow `<` in a tag: a name, an end tag, a declaration or a processing instruction. */
const TAG_START = /[a-zA-Z/!?]/;

/**
 * The text of a page with its markup left out, each tag, comment, script and style as one
 * space. One pass: every search starts where the last one ended. Unclosed comments, scripts
 * and styles run to the end of the text, as a browser reads them; a `<` that starts no tag,
 * or one that no `>` closes, is text.
 */
function stripMarkup(text: string): { text: string; found: boolean } {
	const parts: string[] = [];
	let kept = 0;
	let found = false;
	// Every search for a `>` starts past where the last tag ended, and a tag ends at the `>`
	// found: no part of the text is searched twice.
	const closeAfter = (from: number) => text.indexOf('>', from);
	let at = text.indexOf('<');
	while (at !== -1) {
		let end = -1;
		if (text.startsWith('<!--', at)) {
			const close = text.indexOf('-->', at + 4);
			end = close === -1 ? text.length : close + 3;
		} else if (TAG_START.test(text.charAt(at + 1))) {
			const close = closeAfter(at + 1);
			// No `>` is left: no tag can start here or later.
			if (close === -1) break;
			end = close + 1;
			const element = RAW_TEXT_ELEMENT.exec(text.slice(at, at + 8))?.[1];
			if (element !== undefined) {
				const endTag = new RegExp(`</${element}`, 'gi');
				endTag.lastIndex = end;
				const endAt = endTag.exec(text)?.index;
				const endClose = endAt === undefined ? -1 : closeAfter(endAt);
				end = endClose === -1 ? text.length : endClose + 1;
			}
		}
		if (end === -1) {
			at = text.indexOf('<', at + 1);
			continue;
		}
		parts.push(text.slice(kept, at), ' ');
		found = true;
		kept = end;
		at = text.indexOf('<', end);
	}
	parts.push(text.slice(kept));
	return { text: parts.join(''), found };
}

/**
 * A short, readable piece of a text body: an HTML error page from a proxy or a CDN can be tens
 * of kilobytes, and it would otherwise be copied into every failed item. Markup, scripts and
 * styles are left out, character references decoded, whitespace collapsed, and the result cut
 * at `max` characters. The secrets are scrubbed after each of these steps, before the cut.
 */
export function snippet(text: string, secrets: Secrets, max = SNIPPET_LENGTH): string {
	let flat = secrets.head(text, SNIPPET_INPUT_LIMIT);
	const stripped = stripMarkup(flat);
	if (stripped.found) flat = secrets.text(decodeReferences(stripped.text));
	flat = secrets.text(flat.replace(/\s+/g, ' ')).trim();
	return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
