import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(__dirname, '../..');
// Under the server workspace: node finds the server's own packages (server/node_modules) from there up.
const outdir = path.join(root, 'server/node_modules/.cache/linli-test-scripts');
const bundles = new Map<string, Promise<string>>();

/** npm packages stay outside; our own TypeScript goes in. */
const packagesOutside: Plugin = {
  name: 'packages-outside',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@linli/shared') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * A test script (e.g. test/sweep-once.ts, which builds the whole app) as one plain JavaScript file for
 * `node`, bundled once per test process with esbuild as the production build is (deploy/build-server.mjs).
 * Started through tsx instead, each such process compiled the server's sources again: 2.5–5 s of a core
 * here, and four of them in a test.
 */
export function bundledScript(entry: string): Promise<string> {
  let bundle = bundles.get(entry);
  if (!bundle) {
    // Every test process writes the same bundle: each to a name of its own, then renamed into place at
    // once, so no process ever runs a half-written file.
    const outfile = path.join(outdir, `${path.basename(entry, '.ts')}.cjs`);
    const written = `${outfile}.${process.pid}`;
    bundle = build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: written,
      bundle: true,
      platform: 'node',
      target: 'node20.19',
      format: 'cjs',
      keepNames: true,
      tsconfig: path.join(root, 'server/tsconfig.json'),
      plugins: [packagesOutside],
      logLevel: 'warning',
    }).then(() => {
      fs.renameSync(written, outfile);
      return outfile;
    });
    bundles.set(entry, bundle);
  }
  return bundle;
}
