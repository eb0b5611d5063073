import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class FansApiApi implements ICredentialType {
	name = 'fansApiApi';

	displayName = 'Fans API (OnlyFansAPI) API';

	icon: Icon = { light: 'file:../icons/fansApi.svg', dark: 'file:../icons/fansApi.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-fansly/n8n-nodes-fansly#fans-api-onlyfansapi';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The API key from the Fans API console (sent as a Bearer token). Keys from OnlyFansAPI keep working.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'options',
			default: 'https://api.fansapi.com',
			options: [
				{
					name: 'Fans API (api.fansapi.com)',
					value: 'https://api.fansapi.com',
					description: 'The provider’s current domain',
				},
				{
					name: 'OnlyFansAPI (app.onlyfansapi.com)',
					value: 'https://app.onlyfansapi.com',
					description: 'The provider’s former domain; calls there are not redirected',
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'A proxy or a test server',
				},
			],
		},
		{
			displayName: 'Custom Base URL',
			name: 'customBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://proxy.example.com',
			required: true,
			displayOptions: { show: { baseUrl: ['custom'] } },
			description: 'Base URL without the trailing /api',
		},
	];

	/**
	 * Sends the key as a Bearer token. A function rather than an expression template: n8n
	 * calls it directly, without evaluating an expression for every request.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey ?? '').trim()}` },
		};
	}

	/**
	 * Never follows a redirect: n8n would send the key to wherever a `3xx` points (the
	 * Authorization header again on a cross-origin hop). A redirect fails the test instead,
	 * as it fails every request of the node.
	 */
	test: ICredentialTestRequest = {
		request: {
			disableFollowRedirect: true,
			// As the node reads it (providers/fansApi.ts resolveBaseUrl): spaces around it dropped,
			// the provider's domain when empty.
			baseURL:
				'={{ (($credentials.baseUrl === "custom" ? $credentials.customBaseUrl : $credentials.baseUrl) || "").trim() || "https://api.fansapi.com" }}',
			url: '/api/whoami',
			method: 'GET',
		},
	};
}
