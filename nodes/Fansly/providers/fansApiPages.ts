/**
 * Whether a Fans API list answer is the whole list, and if not, how to ask for the rest.
 *
 * Fans API's envelope documents an optional `_pagination` whose `next_page` is the URL of the
 * next page (with its `offset` and `limit`), null on the last page; one of its examples puts it
 * under `_meta` instead (https://docs.onlyfansapi.com/introduction/essentials/response-structure).
 * The Fansly tracking-link list is documented without paging, so none of this is expected; it
 * is here so that an answer that says more exists is never taken for the whole list. Other
 * common signs (`has_more`, `current_page` < `last_page`, Laravel's `next_page_url`) count too.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Secrets } from '../transport/secrets';

export type PageSign =
	/** Nothing says more exists. */
	| { kind: 'last' }
	/** The next page: the list path again with this query. */
	| { kind: 'next'; query: IDataObject }
	/** More exists, but the answer does not say how to read it (in words, for an error). */
	| { kind: 'unreadable'; reason: string };

const NEXT_URL_KEYS = ['next_page', 'nextPage', 'next_page_url', 'nextPageUrl', 'next_url', 'nextUrl', 'next'];
const MORE_FLAG_KEYS = ['has_more', 'hasMore', 'has_next_page', 'hasNextPage', 'more'];
const CURSOR_KEYS = ['next_cursor', 'nextCursor'];

function asObject(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

const objectAt = (value: unknown, key: string) => asObject(asObject(value)?.[key]);

/** Where paging information may sit: `_pagination`, `_meta._pagination`, Laravel's `meta` and `links`, the envelope itself. */
function pagingBlocks(body: unknown): Array<{ at: string; block: IDataObject }> {
	const blocks: Array<{ at: string; block: IDataObject | undefined }> = [
		{ at: '_pagination', block: objectAt(body, '_pagination') },
		{ at: '_meta._pagination', block: objectAt(objectAt(body, '_meta'), '_pagination') },
		{ at: 'meta', block: objectAt(body, 'meta') },
		{ at: 'links', block: objectAt(body, 'links') },
		{ at: '', block: asObject(body) },
	];
	return blocks.filter((b): b is { at: string; block: IDataObject } => b.block !== undefined);
}

const field = (at: string, key: string) => (at ? `${at}.${key}` : key);

const number = (value: unknown): number | undefined => {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/**
 * Reads the paging signs of one answer to `GET <listPath>`. A next-page URL is only used for
 * its query: the request goes to the same list path on the credential's own Base URL, so the
 * API key never follows a URL to another host.
 *
 * `entries`: what the list holds, in words (`links`, `accounts`).
 *
 * `secrets`: what scrubbed the answer. Reading a URL decodes it (tabs and line breaks dropped,
 * `\` made `/`, `..` resolved, the query percent-decoded), which can make the key out of text
 * that held no form of it: what was decoded is scrubbed again, before it is cut short and
 * before it is used.
 */
export function pageSign(body: unknown, listPath: string, secrets: Secrets, entries = 'links'): PageSign {
	let more: string | undefined;
	for (const { at, block } of pagingBlocks(body)) {
		for (const key of NEXT_URL_KEYS) {
			const value = block[key];
			if (typeof value !== 'string' || value.trim() === '') continue;
			let url: URL;
			try {
				url = new URL(value.trim(), `http://list.invalid${listPath}`);
			} catch {
				// As the answer wrote it, which the transport scrubbed: nothing was decoded.
				return { kind: 'unreadable', reason: `${field(at, key)} is not a URL ("${secrets.head(value, 80)}")` };
			}
			if (!url.pathname.endsWith(listPath)) {
				return { kind: 'unreadable', reason: `${field(at, key)} points to another list (${secrets.head(url.pathname, 120)})` };
			}
			const query: IDataObject = {};
			url.searchParams.forEach((v, k) => {
				query[secrets.text(k)] = secrets.text(v);
			});
			if (Object.keys(query).length === 0) {
				return { kind: 'unreadable', reason: `${field(at, key)} gives no page to ask for` };
			}
			return { kind: 'next', query };
		}
		for (const key of MORE_FLAG_KEYS) {
			if (block[key] === true) more ??= `${field(at, key)} is true`;
		}
		for (const key of CURSOR_KEYS) {
			if (typeof block[key] === 'string' && block[key] !== '') more ??= `${field(at, key)} is set`;
		}
		const current = number(block.current_page ?? block.currentPage ?? block.page);
		const last = number(block.last_page ?? block.lastPage ?? block.total_pages ?? block.totalPages);
		if (current !== undefined && last !== undefined && current < last) {
			more ??= `page ${current} of ${last}`;
		}
	}
	return more === undefined ? { kind: 'last' } : { kind: 'unreadable', reason: `the answer says more ${entries} exist (${more}) but gives no next page to read` };
}
