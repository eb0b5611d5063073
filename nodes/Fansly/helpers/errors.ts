import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export type FailureKind = 'http' | 'network' | 'shape' | 'notFound' | 'unsupported' | 'input' | 'cancelled';

export interface FailureDetails {
	kind: FailureKind;
	/** HTTP status of the provider's last answer, when there was one. */
	httpCode?: number;
	/** The provider's own message, when it gave one. */
	providerMessage?: string;
	description?: string;
	/** How many requests were sent for this call, when more than one. */
	attempts?: number;
}

/**
 * The node's own error, thrown below the operations (providers, transport). It never holds
 * request options, headers or credentials, only words and numbers that are safe to show.
 * `toNodeError` turns it into the NodeApiError or NodeOperationError n8n shows.
 */
export class FanslyError extends Error {
	readonly details: FailureDetails;

	constructor(message: string, details: FailureDetails) {
		super(message);
		this.name = 'FanslyError';
		this.details = details;
	}
}

export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof FanslyError) {
		const { kind, httpCode, providerMessage, description, attempts } = error.details;
		if (kind === 'input' || kind === 'unsupported' || kind === 'cancelled') {
			return new NodeOperationError(node, error.message, { itemIndex, description });
		}
		const response: JsonObject = { message: error.message };
		if (httpCode !== undefined) response.httpCode = String(httpCode);
		if (providerMessage !== undefined) response.providerMessage = providerMessage;
		if (attempts !== undefined) response.attempts = attempts;
		const apiError = new NodeApiError(node, response, {
			message: error.message,
			description,
			httpCode: httpCode === undefined ? undefined : String(httpCode),
			itemIndex,
		});
		// NodeApiError swaps any message mentioning a Node error code (ECONNRESET, ...) for a
		// generic sentence; ours already says what failed, for which link, after how many attempts.
		apiError.message = error.message;
		return apiError;
	}
	// Anything else is a bug or an engine error; keep its message only (never its object,
	// which may hold request options).
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}
