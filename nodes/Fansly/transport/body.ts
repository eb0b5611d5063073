import type { Secrets } from './secrets';

/** The longest piece of a non-JSON body kept for messages and error items. */
const SNIPPET_LENGTH = 300;

export type ParsedBody = { ok: true; value: unknown } | { ok: false; text: string };

/** Parses a response body as JSON after scrubbing secrets from it, raw and parsed. */
export function parseBody(raw: unknown, secrets: Secrets): ParsedBody {
	if (raw === undefined || raw === null) return { ok: true, value: undefined };
	const text = Buffer.isBuffer(raw)
		? raw.toString('utf8')
		: typeof raw === 'string'
			? raw
			: JSON.stringify(raw);
	const scrubbed = secrets.text(text);
	if (scrubbed.trim() === '') return { ok: true, value: undefined };
	try {
		return { ok: true, value: secrets.value(JSON.parse(scrubbed) as unknown) };
	} catch {
		return { ok: false, text: scrubbed };
	}
}

/**
 * A short, readable piece of a text body: an HTML error page from a proxy or a CDN can be tens
 * of kilobytes, and it would otherwise be copied into every failed item. Markup, scripts and
 * styles are left out, whitespace collapsed, and the result cut at a few hundred characters.
 */
export function snippet(text: string, max = SNIPPET_LENGTH): string {
	let flat = text;
	if (/<[a-z!/][^>]*>/i.test(flat)) {
		flat = flat
			.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
			.replace(/<!--[\s\S]*?-->/g, ' ')
			.replace(/<[^>]*>/g, ' ')
			.replace(/&nbsp;/gi, ' ')
			.replace(/&amp;/gi, '&')
			.replace(/&lt;/gi, '<')
			.replace(/&gt;/gi, '>')
			.replace(/&quot;/gi, '"')
			.replace(/&#39;/gi, "'");
	}
	flat = flat.replace(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
