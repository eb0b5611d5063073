// The environment of one n8n process: offline, on loopback, owner and encryption key fixed,
// nothing leaked from the caller's shell.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { ENCRYPTION_KEY, N8N_LINE, OWNER, RUNTIME_DIR } from './config.mjs';
import { runtimeEnv } from './runtime.mjs';


let ownerHashCache;
/**
 * bcrypt hash of OWNER.password, computed once with n8n's own bcryptjs (from the runtime)
 * and cached in the runtime folder.
 */
export function ownerPasswordHash(password = OWNER.password) {
	if (ownerHashCache?.password === password) return ownerHashCache.hash;
	const file = path.join(RUNTIME_DIR, '.owner-hash.json');
	try {
		const c = JSON.parse(fs.readFileSync(file, 'utf8'));
		if (c.password === password && typeof c.hash === 'string') {
			ownerHashCache = c;
			return c.hash;
		}
	} catch {
		/* compute */
	}
	const req = createRequire(path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'));
	let bcrypt;
	try {
		bcrypt = req('bcryptjs');
	} catch {
		bcrypt = createRequire(path.join(RUNTIME_DIR, 'package.json'))('bcryptjs');
	}
	const hash = bcrypt.hashSync(password, 10);
	ownerHashCache = { password, hash };
	try {
		fs.writeFileSync(file, JSON.stringify(ownerHashCache));
	} catch {
		/* runtime folder not there yet: keep it in memory */
	}
	return hash;
}

/**
 * Environment for one n8n process (main or worker) using `userFolder`.
 * Every n8n process needs its own `port` + `brokerPort` pair (task-runner broker).
 * `extra` is merged last (e.g. queue settings from queueEnv()).
 */
export function n8nEnv({ userFolder, port, brokerPort, extra = {} } = {}) {
	if (!userFolder) throw new Error('n8nEnv: userFolder is required (otherwise n8n writes ~/.n8n)');
	if (!port || !brokerPort) throw new Error('n8nEnv: port and brokerPort are required (use freePort())');
	const base = runtimeEnv();
	delete base.npm_config_nodedir;
	return {
		...base,
		N8N_USER_FOLDER: path.resolve(userFolder),
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_PORT: String(port),
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// never reach the internet: don't try to npm-install packages listed in the DB
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		// no look-ups of n8n's vetted-package list (api.n8n.io); installed packages load anyway
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		// when true, Settings > Community nodes runs `npm outdated` against the registry
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'false',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		...lineEnv(),
		...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])),
	};
}

/**
 * What only one line has. n8n 2.x: the owner comes from the environment at every boot, and the
 * mcp-registry module (which polls api.n8n.io at boot) is switched off. n8n 1.x knows neither:
 * an unknown module name stops its boot, and startN8n() sets the owner up through REST.
 */
function lineEnv() {
	if (N8N_LINE === 1) return {};
	return {
		// its system task polls api.n8n.io/api/mcp-servers at boot (fails offline, noisy)
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: ownerPasswordHash(),
	};
}

/** Extra env for queue mode (pass as n8nEnv({ extra })). */
export function queueEnv({ redisPort, redisHost = '127.0.0.1' }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redisHost,
		QUEUE_BULL_REDIS_PORT: String(redisPort),
	};
}
