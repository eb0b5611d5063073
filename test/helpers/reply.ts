/**
 * nock 15 calls a reply function with one Fetch API `Request` (a two-parameter function is
 * taken for the callback style and never answers). These adapters give tests the raw path and
 * the parsed JSON body instead.
 */
export interface SeenRequest {
	method: string;
	/** The path and query exactly as sent (still URL-encoded). */
	path: string;
	body: unknown;
	headers: Record<string, string>;
}

type ReplyTuple = [number, unknown?, Record<string, string>?];

async function seen(request: Request): Promise<SeenRequest> {
	const url = new URL(request.url);
	const text = await request.text();
	let body: unknown = undefined;
	if (text !== '') {
		try {
			body = JSON.parse(text);
		} catch {
			body = text;
		}
	}
	const headers: Record<string, string> = {};
	request.headers.forEach((value, key) => {
		headers[key] = value;
	});
	return { method: request.method, path: url.pathname + url.search, body, headers };
}

/** For `.reply(replyWith(req => [status, body, headers]))`. */
export function replyWith(fn: (req: SeenRequest) => ReplyTuple | Promise<ReplyTuple>) {
	return async (request: Request) => await fn(await seen(request));
}
