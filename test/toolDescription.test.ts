/**
 * The node is usable as an AI tool: the agent only sees the descriptions, so every parameter a
 * user can see must say what it is for, and every operation must have an action and a
 * description. The tests list everything missing.
 */
import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
} from 'n8n-workflow';

import { Fansly } from '../nodes/Fansly/Fansly.node';

const { description } = new Fansly();

type Option = INodeProperties | INodePropertyOptions | INodePropertyCollection;

const isProperty = (o: Option): o is INodeProperties => 'type' in o && 'displayName' in o;
const isCollectionEntry = (o: Option): o is INodePropertyCollection => 'values' in o;
const isPlainOption = (o: Option): o is INodePropertyOptions => 'value' in o && !('type' in o);

const hasText = (text: unknown) => typeof text === 'string' && text.trim() !== '';

/** Every parameter at every depth, with a readable path. */
function walk(properties: INodeProperties[], path: string[] = []): Array<{ path: string; property: INodeProperties }> {
	const out: Array<{ path: string; property: INodeProperties }> = [];
	for (const property of properties) {
		const here = [...path, property.name];
		out.push({ path: here.join('.'), property });
		for (const option of (property.options ?? []) as Option[]) {
			if (isProperty(option)) out.push(...walk([option], here));
			else if (isCollectionEntry(option)) out.push(...walk(option.values, [...here, option.name]));
		}
	}
	return out;
}

/** Why a visible parameter's purpose is unclear to an agent, or undefined when it is clear. */
function missingDescription(property: INodeProperties): string | undefined {
	if (property.type === 'hidden' || property.type === 'notice') return undefined;
	if (hasText(property.description)) return undefined;
	if (property.type === 'options' || property.type === 'multiOptions') {
		const options = (property.options ?? []) as Option[];
		const undescribed = options.filter((o) => isPlainOption(o) && !hasText(o.description));
		if (options.length > 0 && undescribed.length === 0) return undefined;
		return `no description, and options without one: ${undescribed
			.map((o) => (isPlainOption(o) ? String(o.value) : o.name))
			.join(', ')}`;
	}
	return 'no description';
}

describe('AI tool descriptions', () => {
	it('the node is usable as a tool and describes itself', () => {
		expect(description.usableAsTool).toBe(true);
		expect(hasText(description.description)).toBe(true);
	});

	it('every visible parameter (at every depth) has a description', () => {
		const missing = walk(description.properties)
			.map(({ path, property }) => ({ path, why: missingDescription(property) }))
			.filter((m) => m.why !== undefined)
			.map((m) => `${m.path}: ${m.why}`);
		expect(missing).toEqual([]);
	});

	it('every choice of a multi-choice options parameter is described', () => {
		// Stricter than the test above: even when the parameter itself has a description, the
		// agent needs each choice explained to tell them apart.
		const bare: string[] = [];
		for (const { path, property } of walk(description.properties)) {
			if (property.type !== 'options' && property.type !== 'multiOptions') continue;
			if (property.name === 'operation') continue; // checked below
			for (const option of (property.options ?? []) as Option[]) {
				if (isPlainOption(option) && !hasText(option.description) && (property.options ?? []).length > 1) {
					bare.push(`${path} = ${String(option.value)}`);
				}
			}
		}
		expect(bare).toEqual([]);
	});

	it('every operation option has an action and a description', () => {
		const operations = walk(description.properties).filter(({ property }) => property.name === 'operation');
		expect(operations.length).toBeGreaterThan(0);
		const missing: string[] = [];
		for (const { property } of operations) {
			for (const option of (property.options ?? []) as Option[]) {
				if (!isPlainOption(option)) continue;
				if (!hasText(option.action)) missing.push(`${String(option.value)}: no action`);
				if (!hasText(option.description)) missing.push(`${String(option.value)}: no description`);
			}
		}
		expect(missing).toEqual([]);
	});

	it('operations cover create, delete, get, getAll, getStats and update', () => {
		const operation = description.properties.find((p) => p.name === 'operation');
		const values = ((operation?.options ?? []) as INodePropertyOptions[]).map((o) => o.value).sort();
		expect(values).toEqual(['create', 'delete', 'get', 'getAll', 'getStats', 'update']);
	});
});
