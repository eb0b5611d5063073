const { src, dest, series } = require('gulp');

// tsc compiles nodes/ and credentials/; gulp copies what tsc does not: the icons and the
// node's codex file (Fansly.node.json), keeping their folders under dist/.
function copyIcons() {
	return src('icons/*.{png,svg}').pipe(dest('dist/icons'));
}

function copyNodeAssets() {
	return src('nodes/**/*.{png,svg,json}', { base: '.' }).pipe(dest('dist'));
}

exports.build = series(copyIcons, copyNodeAssets);
exports.default = exports.build;
