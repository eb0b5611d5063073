#!/usr/bin/env node
'use strict';
/**
 * Starts the provider stand-in.
 *
 *   node dev/standin/cli.js [--port 5680] [--host 127.0.0.1] [--latency 150]
 *                           [--apifansly-rpm 600|unlimited] [--fansapi-rpm 5000|unlimited]
 *                           [--window-ms 60000] [--apifansly-key K] [--fansapi-key K]
 *                           [--no-seed] [--no-log] [--verbose] [--quiet]
 *
 * stdout: exactly one JSON line once listening: {"ready":true,"url":...}. Everything else goes
 * to stderr (silenced by --quiet). SIGINT/SIGTERM close the server and exit 0.
 */

const { parseArgs } = require('node:util');
const { createStandin } = require('./server.js');

const USAGE = `Usage: node dev/standin/cli.js [options]
  --port N             port to listen on (default 5680; 0 = any free port)
  --host H             interface (default 127.0.0.1)
  --latency MS         delay added to every provider response (default 0)
  --apifansly-rpm N    API Fansly requests per window, or "unlimited" (default unlimited)
  --fansapi-rpm N      Fans API requests per window, or "unlimited" (default unlimited)
  --window-ms MS       rate-limit sliding window (default 60000)
  --apifansly-key K    accepted x-api-key (default standin-apifansly-key)
  --fansapi-key K      accepted Bearer token (default standin-fansapi-key)
  --no-seed            start with an empty store
  --no-log             do not keep the request log (benchmarks)
  --verbose            one line per request on stderr
  --quiet              nothing on stderr except errors
  --help               this text`;

function fail(msg) {
	process.stderr.write(`standin: ${msg}\n${USAGE}\n`);
	process.exit(2);
}

function num(name, v, { min = 0, integer = false } = {}) {
	if (v === undefined) return undefined;
	const n = Number(v);
	if (v.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) fail(`--${name} must be a number >= ${min}, got "${v}"`);
	return n;
}

function rpm(name, v) {
	if (v === undefined) return undefined;
	if (/^(unlimited|none|null|off)$/i.test(v)) return null;
	return num(name, v, { min: 0, integer: true });
}

let values;
try {
	({ values } = parseArgs({
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			latency: { type: 'string' },
			'apifansly-rpm': { type: 'string' },
			'fansapi-rpm': { type: 'string' },
			'window-ms': { type: 'string' },
			'apifansly-key': { type: 'string' },
			'fansapi-key': { type: 'string' },
			'no-seed': { type: 'boolean' },
			'no-log': { type: 'boolean' },
			verbose: { type: 'boolean' },
			quiet: { type: 'boolean' },
			help: { type: 'boolean' },
		},
		strict: true,
		allowPositionals: false,
	}));
} catch (err) {
	fail(err.message);
}

if (values.help) {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}

const quiet = Boolean(values.quiet);
const say = (msg) => {
	if (!quiet) process.stderr.write(`standin: ${msg}\n`);
};

const options = {
	port: values.port === undefined ? 5680 : num('port', values.port, { integer: true }),
	host: values.host,
	latencyMs: num('latency', values.latency),
	windowMs: num('window-ms', values['window-ms'], { min: 1 }),
	apiFanslyKey: values['apifansly-key'],
	fansApiKey: values['fansapi-key'],
	seed: values['no-seed'] ? false : undefined,
	log: values['no-log'] ? false : undefined,
	verbose: values.verbose ? true : undefined,
};
const afRpm = rpm('apifansly-rpm', values['apifansly-rpm']);
const faRpm = rpm('fansapi-rpm', values['fansapi-rpm']);
if (afRpm !== undefined || faRpm !== undefined) {
	options.rateLimit = {};
	if (afRpm !== undefined) options.rateLimit.apiFansly = afRpm;
	if (faRpm !== undefined) options.rateLimit.fansApi = faRpm;
}
for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];

// Signal handlers go in before anything is printed, so a supervisor that signals as soon as it
// reads the ready line cannot hit the default (non-clean) action.
let standin = null;
let stopping = false;
function stop(signal) {
	if (stopping) process.exit(1);
	stopping = true;
	say(`${signal} received, closing`);
	if (!standin) process.exit(0);
	standin.close().then(
		() => process.exit(0),
		(err) => {
			process.stderr.write(`standin: error while closing: ${err && err.message}\n`);
			process.exit(1);
		},
	);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

createStandin(options).then(
	(s) => {
		standin = s;
		if (stopping) {
			s.close().then(() => process.exit(0));
			return;
		}
		const cfg = s.config;
		process.stdout.write(
			`${JSON.stringify({
				ready: true,
				url: s.url,
				port: s.port,
				apiFanslyBaseUrl: s.apiFanslyBaseUrl,
				fansApiBaseUrl: s.fansApiBaseUrl,
				apiFanslyKey: cfg.apiFanslyKey,
				fansApiKey: cfg.fansApiKey,
				latencyMs: cfg.latencyMs,
				rateLimit: cfg.rateLimit,
				windowMs: cfg.windowMs,
				pid: process.pid,
			})}\n`,
		);
		say(`listening on ${s.url} (control: ${s.url}/__standin)`);
	},
	(err) => {
		process.stderr.write(`standin: cannot start: ${err && err.message}\n`);
		process.exit(1);
	},
);
