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
	/**
	 * An attempt of the request failed in a way the provider may still have carried it out (a
	 * time-out, a reset connection, a 500, 502 or 504): the request may be done though it
	 * failed, and a later 404 to a Delete of it means the link is gone.
	 */
	mayHaveBeenApplied?: boolean;
	/**
	 * For a 404, what the provider's message says is missing: the account, or the tracking link;
	 * absent when it says neither (an empty answer, a proxy's page).
	 */
	missing?: 'account' | 'link';
}

/** What a 404's message says is missing (see FailureDetails.missing). */
export function missingIn(message: string | undefined): FailureDetails['missing'] {
	if (message === undefined) return undefined;
	// "TrackingLink" (a model's name) counts too; "linked" ("Account not linked") does not.
	if (/tracking|\blinks?\b/i.test(message)) return 'link';
	return /\baccount\b/i.test(message) ? 'account' : undefined;
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

/**
 * Whether a failed request may still have been carried out: it failed after it may have reached
 * the provider (a time-out, a reset connection, a 500, 502 or 504: `mayHaveBeenApplied`), or its
 * 2xx answer was in an unexpected shape (the provider answered; what it did is not known).
 */
export function mayHaveBeenCarriedOut(failure: unknown): failure is FanslyError {
	return failure instanceof FanslyError && (failure.details.mayHaveBeenApplied === true || failure.details.kind === 'shape');
}

type OperationErrorOptions = ConstructorParameters<typeof NodeOperationError>[2];

/**
 * n8n-workflow's node errors replace any message that mentions a Node error code (ECONNRESET,
 * ETIMEDOUT, ENOENT, ... anywhere in it) with a generic sentence naming no field, item,
 * account or link; a value quoted from the user's input can look like one. The node's own
 * message is kept, and not listed a second time among the earlier messages.
 */
function keepMessage<E extends NodeApiError | NodeOperationError>(error: E, message: string): E {
	error.message = message;
	error.messages = error.messages.filter((earlier) => earlier !== message);
	return error;
}

/** The NodeOperationError for every failure the node itself describes, its message kept. */
export function operationError(node: INode, error: Error | string, options?: OperationErrorOptions): NodeOperationError {
	return keepMessage(new NodeOperationError(node, error, options), typeof error === 'string' ? error : error.message);
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
			return operationError(node, error.message, { itemIndex, description });
		}
		const response: JsonObject = { message: error.message };
		if (httpCode !== undefined) response.httpCode = String(httpCode);
		if (providerMessage !== undefined) response.providerMessage = providerMessage;
		if (attempts !== undefined) response.attempts = attempts;
		// Its message says what failed, for which link, after how many attempts.
		const apiError = new NodeApiError(node, response, {
			message: error.message,
			description,
			httpCode: httpCode === undefined ? undefined : String(httpCode),
			itemIndex,
		});
		return keepMessage(apiError, error.message);
	}
	// Anything else is a bug or an engine error; keep its message only (never its object,
	// which may hold request options).
	const message = error instanceof Error ? error.message : String(error);
	return operationError(node, message, { itemIndex });
}

/** What scrubs the API key from a string or a value (transport/secrets.ts). */
export interface Scrubber {
	text(text: string): string;
	value<T>(value: T): T;
}

/**
 * A thrown error scrubbed: an n8n error in every string it carries, any other its message and
 * stack. As it is when there is nothing to scrub with.
 */
export function scrubThrown<T>(error: T, scrub: Scrubber | undefined): T {
	if (scrub === undefined) return error;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return scrubNodeError(error, scrub);
	if (error instanceof Error) {
		error.message = scrub.text(error.message);
		if (error.stack !== undefined) error.stack = scrub.text(error.stack);
	}
	return error;
}

/**
 * Scrubs every string an n8n error carries into the run data, the editor and the logs: its
 * message, description, stack, earlier messages, context, and what it was made from.
 */
export function scrubNodeError<E extends NodeApiError | NodeOperationError>(error: E, scrub: Scrubber): E {
	error.message = scrub.text(error.message);
	if (typeof error.description === 'string') error.description = scrub.text(error.description);
	if (error.stack !== undefined) error.stack = scrub.text(error.stack);
	error.messages = error.messages.map((message) => scrub.text(message));
	error.context = scrub.value(error.context);
	const made = error as { cause?: unknown; errorResponse?: unknown };
	if (made.cause instanceof Error) {
		made.cause.message = scrub.text(made.cause.message);
		if (made.cause.stack !== undefined) made.cause.stack = scrub.text(made.cause.stack);
	} else if (made.cause !== undefined) {
		made.cause = scrub.value(made.cause);
	}
	if (made.errorResponse !== undefined) made.errorResponse = scrub.value(made.errorResponse);
	return error;
}
