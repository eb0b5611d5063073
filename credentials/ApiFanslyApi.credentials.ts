import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class ApiFanslyApi implements ICredentialType {
	name = 'apiFanslyApi';

	displayName = 'API Fansly API';

	icon: Icon = { light: 'file:../icons/apiFansly.svg', dark: 'file:../icons/apiFansly.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-fansly/n8n-nodes-fansly#api-fansly';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The API key from your API Fansly dashboard (sent in the x-api-key header)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://v1.apifansly.com',
			required: true,
			description:
				'Keep the default unless you reach API Fansly through a proxy or a test server',
		},
	];

	/**
	 * Sends the key in the x-api-key header. A function rather than an expression template:
	 * n8n calls it directly, without evaluating an expression for every request.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, 'x-api-key': String(credentials.apiKey ?? '').trim() },
		};
	}

	/**
	 * Never follows a redirect: n8n would send the key to wherever a `3xx` points (it keeps
	 * the x-api-key header on every hop). A redirect fails the test instead, as it fails every
	 * request of the node. An HTTP 200 whose envelope says `statusCode` 400 or more is that
	 * failure, as the node reads it (providers/apiFansly.ts): n8n compares each rule's value
	 * exactly, so the statuses the API documents, and the usual server errors, are listed.
	 */
	test: ICredentialTestRequest = {
		request: {
			disableFollowRedirect: true,
			// As the node reads it (providers/apiFansly.ts resolveBaseUrl): spaces around it
			// dropped, the provider's domain when empty.
			baseURL: '={{ ($credentials.baseUrl || "").trim() || "https://v1.apifansly.com" }}',
			url: '/api/fansly/accounts',
			method: 'GET',
		},
		rules: (
			[
				[401, 'API Fansly rejected the API key (statusCode 401 in its answer)'],
				[402, 'API Fansly: the credits of this API key are used up (statusCode 402 in its answer)'],
				[403, 'API Fansly refused access with this API key (statusCode 403 in its answer)'],
				...[400, 404, 429, 500, 502, 503, 504].map((status): [number, string] => [
					status,
					`API Fansly answered with statusCode ${status}: check the API key and the Base URL`,
				]),
			] as Array<[number, string]>
		)
			// The node reads "401" as 401: each status as a number and as text.
			.flatMap(([status, message]) => [status, String(status)].map((value) => ({ value, message })))
			.map(({ value, message }) => ({ type: 'responseSuccessBody' as const, properties: { key: 'statusCode', value, message } })),
	};
}
