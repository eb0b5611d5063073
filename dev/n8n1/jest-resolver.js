// Jest resolver for `npm run test:n8n1` (jest.n8n1.config.js): the unit suite on the n8n 1.x
// engine installed by dev/n8n1/run.mjs into .cache/n8n1-engine.
//
// - `n8n-core` and `n8n-workflow` (and their subpaths) resolve to the 1.x copies for EVERY
//   requester: the node under test, the test harness and n8n-core itself then share one
//   n8n-workflow (one set of classes: Workflow, NodeApiError, ...), and the project's own
//   2.x devDependencies are never loaded.
// - `zod` and `luxon` resolve to n8n 1.x's copies only for the project's own files (nodes/,
//   credentials/, test/): that is what community-package code gets inside n8n 1.x (NODE_PATH
//   points at n8n's node_modules). Packages inside the engine keep their own: n8n-core 1.x
//   loads @langchain/core, which needs its nested zod 4, so a global moduleNameMapper for
//   `zod` would be wrong, hence this resolver instead of moduleNameMapper.
// Everything else (nock, ...) resolves as usual from the project's node_modules.
const path = require('node:path');

const ENGINE_DIR = path.resolve(__dirname, '..', '..', '.cache', 'n8n1-engine');
const ENGINE_WIDE = /^(n8n-core|n8n-workflow)(\/|$)/;
const FOR_PROJECT_CODE = /^(zod|luxon)(\/|$)/;

function isProjectFile(basedir) {
	return !basedir.split(path.sep).includes('node_modules');
}

module.exports = (request, options) => {
	if (ENGINE_WIDE.test(request) || (FOR_PROJECT_CODE.test(request) && isProjectFile(options.basedir))) {
		return options.defaultResolver(request, { ...options, basedir: ENGINE_DIR });
	}
	return options.defaultResolver(request, options);
};

module.exports.ENGINE_DIR = ENGINE_DIR;
