import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Capability, ProviderClient, TrackingLinkProvider } from '../providers/types';
import type { Deletions } from './deletions';
import type { LinkDirectory } from './linkDirectory';

/** Settings read once per execution from the node's Options. */
export interface RunOptions {
	onlyUpdateWhenDifferent: boolean;
}

/** What an operation gets to do its work for one item. */
export interface OperationContext {
	provider: TrackingLinkProvider;
	client: ProviderClient;
	links: LinkDirectory;
	/**
	 * What this node run's Deletes did to each link (deleted it, or failed in a way the provider
	 * may still have deleted it), in this try and in n8n's earlier tries of it (Retry On Fail);
	 * rows of one link run in order.
	 */
	deletions: Deletions;
	options: RunOptions;
}

/**
 * One operation: its parameters, how it reads and checks them for one item (before any
 * request is sent), and what it does with them.
 */
export interface Operation<P> {
	/** What the provider must offer for this operation. */
	capability: Capability;
	description: INodeProperties[];
	/** `provider`: what the run's provider accepts (for example whether an update needs a label). */
	read(ctx: IExecuteFunctions, itemIndex: number, provider: TrackingLinkProvider): P;
	/** Items with the same key never run at the same time (for example: one tracking link). */
	key?(params: P): string | undefined;
	/** The output items of one input item (plain JSON objects). */
	execute(params: P, op: OperationContext): Promise<object[]>;
	/** Fields that identify what an item was about, for error items. */
	subject(params: P): IDataObject;
}
