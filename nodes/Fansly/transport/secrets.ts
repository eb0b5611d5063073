/**
 * Keeps the API key out of everything the node shows: provider answers are scrubbed before
 * anything reads them, as raw text and again once parsed, since a provider that echoes request
 * headers may write the key with JSON escapes (`sk\/abc`, PHP's default) or URL-encoded, and
 * parsing turns an escaped echo back into the key itself.
 */

const REDACTED = '[redacted]';

/** Shorter values are not scrubbed: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;

export class Secrets {
	/** The plain values, for parsed strings. */
	private readonly plain: string[];

	/** Every form a value can take in raw text, longest first. */
	private readonly forms: string[];

	/** `values` are used as they are sent: the credentials trim the key, and so does this. */
	constructor(values: unknown[]) {
		this.plain = [
			...new Set(
				values
					.filter((v): v is string => typeof v === 'string')
					.map((v) => v.trim())
					.filter((v) => v.length >= MIN_SECRET_LENGTH),
			),
		];
		const forms = new Set<string>();
		for (const value of this.plain) {
			forms.add(value);
			const jsonEscaped = JSON.stringify(value).slice(1, -1);
			forms.add(jsonEscaped);
			forms.add(jsonEscaped.replace(/\//g, '\\/'));
			forms.add(encodeURIComponent(value));
		}
		this.forms = [...forms].sort((a, b) => b.length - a.length);
	}

	/** Raw text with every form of every secret replaced. */
	text(text: string): string {
		let out = text;
		for (const form of this.forms) {
			if (out.includes(form)) out = out.split(form).join(REDACTED);
		}
		return out;
	}

	/** A parsed JSON value with every string (and key) scrubbed; the input is not changed. */
	value(value: unknown): unknown {
		if (this.plain.length === 0) return value;
		if (typeof value === 'string') return this.plainText(value);
		if (Array.isArray(value)) return value.map((v) => this.value(v));
		if (value !== null && typeof value === 'object') {
			const out: Record<string, unknown> = {};
			for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
				out[this.plainText(key)] = this.value(v);
			}
			return out;
		}
		return value;
	}

	private plainText(text: string): string {
		let out = text;
		for (const secret of this.plain) {
			if (out.includes(secret)) out = out.split(secret).join(REDACTED);
		}
		return out;
	}
}
