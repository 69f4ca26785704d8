// `postinstall`: applies patches/node-rdkafka/lean-consume.patch to the installed node-rdkafka (its C++ source) and
// rebuilds its addon incrementally with npm's own node-gyp (`node-gyp build`: the two patched files compile and the
// addon relinks; librdkafka, built by node-rdkafka's own install, is not compiled again). The patch adds
// `consumeBatch` (docs/performance.md, "Lean consume"). Idempotent: an applied patch is recognised and only the
// (then empty) incremental build runs. When the patch cannot be applied or built, the install goes on with a warning
// and the sink uses node-rdkafka's standard `consume` (CI sets REQUIRE_LEAN_CONSUME=1, which fails a test then).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PATCH = join(ROOT, 'patches', 'node-rdkafka', 'lean-consume.patch');
/** The node-rdkafka version the patch was written against (package.json pins it). */
const PATCHED_VERSION = '3.6.1';

const say = (line) => process.stdout.write(`patch-node-rdkafka: ${line}\n`);
const fallBack = (why) => {
  process.stderr.write(`patch-node-rdkafka: WARNING ${why}; the sink will use node-rdkafka's standard consume (slower)\n`);
  process.exit(0);
};
const run = (command, args, cwd) => spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

let pkgDir;
try {
  pkgDir = dirname(createRequire(join(ROOT, 'package.json')).resolve('node-rdkafka/package.json'));
} catch {
  fallBack('node-rdkafka is not installed');
}
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version.replace(/^v/, '');
if (version !== PATCHED_VERSION) fallBack(`node-rdkafka ${version} is not ${PATCHED_VERSION}, the version the patch is for`);
if (!existsSync(join(pkgDir, 'build', 'config.gypi'))) fallBack(`node-rdkafka was not built by its install (no ${join(pkgDir, 'build')})`);

const patchArgs = (...extra) => ['-p1', '-s', '-f', '-d', pkgDir, '-i', PATCH, ...extra];
if (run('patch', ['--version']).status !== 0) fallBack('the `patch` command is missing');
if (run('patch', patchArgs('-R', '--dry-run')).status === 0) {
  say(`already applied to ${pkgDir}`);
} else {
  const dry = run('patch', patchArgs('--forward', '--dry-run'));
  if (dry.status !== 0) fallBack(`the patch does not apply to ${pkgDir}: ${dry.stdout}${dry.stderr}`);
  const applied = run('patch', patchArgs('--forward'));
  if (applied.status !== 0) fallBack(`patch failed: ${applied.stdout}${applied.stderr}`);
  say(`applied to ${pkgDir}`);
}

// npm sets npm_config_node_gyp to its bundled node-gyp in lifecycle scripts; outside npm, the one next to this node.
const nodeGyp = [process.env.npm_config_node_gyp, join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')].find(
  (candidate) => candidate && existsSync(candidate),
);
if (!nodeGyp) {
  run('patch', patchArgs('-R'));
  fallBack("npm's node-gyp was not found (patch reverted)");
}
// `build`, not `rebuild`: node-rdkafka's install configured the build (npm_config_nodedir included) and built
// librdkafka; make recompiles only what the patch changed.
const started = Date.now();
const built = spawnSync(process.execPath, [nodeGyp, 'build'], { cwd: pkgDir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: process.env });
if (built.status !== 0) {
  process.stderr.write(`${built.stdout.slice(-4000)}${built.stderr.slice(-4000)}\n`);
  run('patch', patchArgs('-R'));
  // The sources are back as released: rebuild them so the addon matches (best effort; the old binary stays otherwise).
  spawnSync(process.execPath, [nodeGyp, 'build'], { cwd: pkgDir, stdio: 'ignore', env: process.env });
  fallBack('node-gyp build of the patched node-rdkafka failed (patch reverted)');
}
const compiled = (built.stdout.match(/CXX\(target\)/g) ?? []).length;
say(`node-gyp build: ${compiled} file(s) compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
