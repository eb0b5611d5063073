import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchAccounts } from '../methods/listSearch';
import { TRIGGER_CREDENTIAL } from './poll';

/**
 * The account picker, for Fans API whatever the editor sends. The Fansly node's picker
 * (methods/listSearch.ts) chooses its provider from the `authentication` parameter and
 * defaults to API Fansly; the trigger's `authentication` is a hidden parameter fixed to Fans
 * API, and an editor request may leave a parameter at its default out. So this answers
 * `authentication` itself and hands every other read to n8n's context.
 */
export async function searchTriggerAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchAccounts.call(onFansApi(this), filter);
}

/** The same context, except that it reads `authentication` as Fans API. */
function onFansApi(context: ILoadOptionsFunctions): ILoadOptionsFunctions {
	const read = context.getNodeParameter as (...args: unknown[]) => unknown;
	const getNodeParameter = (name: string, ...rest: unknown[]) =>
		name === 'authentication' ? TRIGGER_CREDENTIAL : read.call(context, name, ...rest);
	return Object.create(context, { getNodeParameter: { value: getNodeParameter } }) as ILoadOptionsFunctions;
}
