// Dev tooling: run a REAL n8n (2.41.1 on Node 24 from the npm registry, or with
// FANSLY_N8N_LINE=1 the newest 1.x, 1.123.81 on Node 22) with this package installed the way
// n8n installs community packages.
//
// Dependency-free: only node: built-ins, runs on the system Node 20.
// Used by the demo, end-to-end tests, editor screenshots and the benchmark.
// See dev/n8n/README.md for what works, timings and gotchas.
//
// This file is the library's one entry point and only re-exports; the code lives in one
// module per concern:
//   config.mjs     which n8n line runs, versions, paths, fixed names (owner, encryption key)
//   processes.mjs  process groups started here, stopAll/onStop, run a command
//   runtime.mjs    install n8n + its Node once into .cache/ (ensureRuntime)
//   services.mjs   free ports, Debian packages, redis
//   env.mjs        the environment of one n8n process (n8nEnv, queueEnv)
//   cli.mjs        the n8n CLI: import, publish, execute
//   server.mjs     n8n start / worker, webhooks
//   rest.mjs       the internal REST API as the owner (login)
//   package.mjs    install this package as a community package

export {
	CACHE_DIR,
	ENCRYPTION_KEY,
	LINES,
	N8N_BIN,
	N8N_LINE,
	N8N_VERSION,
	NODE_BIN,
	NODE_TYPE,
	NODE_VERSION,
	OWNER,
	PACKAGE_NAME,
	PROJECT_DIR,
	RUNTIME_DIR,
	RUNTIME_SRC_DIR,
	TOOL_NODE_TYPE,
} from './config.mjs';
export { cleanEnv, onStop, run, stopAll } from './processes.mjs';
export { ensureRuntime, runtimeEnv } from './runtime.mjs';
export { ensureApt, freePort, startRedis } from './services.mjs';
export { n8nEnv, ownerPasswordHash, queueEnv } from './env.mjs';
export {
	executeWorkflow,
	extractJson,
	importCredentials,
	importWorkflow,
	importWorkflows,
	publishWorkflow,
	randomId,
	runCli,
} from './cli.mjs';
export { startN8n, waitForWebhook } from './server.mjs';
export { login, setUpOwner } from './rest.mjs';
export { installPackage, makeUserFolder, readTarGz, registerInstalledPackage } from './package.mjs';
