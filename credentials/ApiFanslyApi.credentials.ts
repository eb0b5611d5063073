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
	 * request of the node.
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
	};
}
