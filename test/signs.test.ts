/** Rate-limit headers count only when written in digits. */
import { headerNumber } from '../nodes/Fansly/providers/signs';

const read = (value: string | undefined) => headerNumber({ statusCode: 200, headers: { h: value }, body: undefined } as never, 'h');

describe('headerNumber', () => {
	it.each<[string | undefined, number | undefined]>([
		['600', 600],
		[' 600 ', 600],
		['2.5', 2.5],
		['0', 0],
		['0x2', undefined],
		['2e2', undefined],
		['', undefined],
		['-1', undefined],
		['+5', undefined],
		['1_000', undefined],
		['١٢', undefined],
		['600, 600', undefined],
		[undefined, undefined],
		// 400 digits are no number: Infinity would be no report anyway (the limiter caps it), but it is none.
		['9'.repeat(400), undefined],
	])('%j -> %j', (value, expected) => {
		expect(read(value)).toBe(expected);
	});
});
