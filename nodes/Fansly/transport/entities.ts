/**
 * HTML character references, as an error page from a proxy or a CDN writes them. The snippet of
 * such a page decodes them (body.ts), and the API key is looked for in every one of them
 * (secrets.ts): both read this one table.
 */

/**
 * The named references of the characters an API key can hold besides letters and digits
 * (HTML5's names for ASCII punctuation; the four legacy ones also in capitals), and the
 * no-break space, which a page uses for a space.
 */
export const NAMED_REFERENCES: Readonly<Record<string, readonly string[]>> = {
	' ': ['nbsp', 'NonBreakingSpace'],
	'!': ['excl'],
	'"': ['quot', 'QUOT'],
	'#': ['num'],
	$: ['dollar'],
	'%': ['percnt'],
	'&': ['amp', 'AMP'],
	"'": ['apos'],
	'(': ['lpar'],
	')': ['rpar'],
	'*': ['ast', 'midast'],
	'+': ['plus'],
	',': ['comma'],
	'.': ['period'],
	'/': ['sol'],
	':': ['colon'],
	';': ['semi'],
	'<': ['lt', 'LT'],
	'=': ['equals'],
	'>': ['gt', 'GT'],
	'?': ['quest'],
	'@': ['commat'],
	'[': ['lsqb', 'lbrack'],
	'\\': ['bsol'],
	']': ['rsqb', 'rbrack'],
	'^': ['Hat'],
	_: ['lowbar', 'UnderBar'],
	'`': ['grave', 'DiacriticalGrave'],
	'{': ['lcub', 'lbrace'],
	'|': ['verbar', 'vert', 'VerticalLine'],
	'}': ['rcub', 'rbrace'],
	'\t': ['Tab'],
	'\n': ['NewLine'],
};

const BY_NAME = new Map<string, string>(
	Object.entries(NAMED_REFERENCES).flatMap(([char, names]) => names.map((name) => [name, char] as const)),
);

/** The largest code point; a reference above it (or a surrogate) stands for U+FFFD, as in a browser. */
const MAX_CODE_POINT = 0x10ffff;

/**
 * Decimal (`&#38;`), hexadecimal (`&#x26;`, `&#X26;`) and named (`&amp;`) references, the `;`
 * optional as browsers read them. Bounded repetitions: one pass over the text, whatever it holds.
 */
const REFERENCE = /&(?:#(\d{1,10})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z]{2,16}));?/g;

/** Replaces every known character reference by its character; unknown names stay as written. */
export function decodeReferences(text: string): string {
	if (!text.includes('&')) return text;
	return text.replace(REFERENCE, (whole, decimal?: string, hex?: string, name?: string) => {
		if (name !== undefined) return BY_NAME.get(name) ?? whole;
		const code = decimal !== undefined ? Number(decimal) : parseInt(hex as string, 16);
		const valid = code > 0 && code <= MAX_CODE_POINT && (code < 0xd800 || code > 0xdfff);
		return String.fromCodePoint(valid ? code : 0xfffd);
	});
}
