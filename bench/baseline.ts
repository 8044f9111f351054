import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/** The short hash of a ref, for the tables. */
export const shortSha = (ref: string) => git('rev-parse', '--short', ref);

/**
 * A baseline checkout for benchmarks measured in the same run (`BENCH_BASELINE` refs): a detached
 * worktree under /tmp with this checkout's node_modules hard-linked, made once per commit; its H5 built
 * when `h5` (a server alone needs none).
 */
export function baselineCheckout(ref: string, { h5 }: { h5: boolean }): string {
  const sha = git('rev-parse', ref);
  const dir = `/tmp/linli-baseline-${sha.slice(0, 12)}`;
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    git('worktree', 'add', '--detach', dir, sha);
    for (const ws of ['', 'server', 'shared']) {
      const from = path.join(root, ws, 'node_modules');
      if (fs.existsSync(from)) execFileSync('cp', ['-al', from, path.join(dir, ws, 'node_modules')]);
    }
  }
  if (h5) buildH5(dir);
  return dir;
}

/** A checkout's H5 app, built unless it is there. */
export function buildH5(checkout: string): void {
  if (fs.existsSync(path.join(checkout, 'dist/h5/index.html'))) return;
  console.log(`building the H5 app in ${checkout}…`);
  execFileSync('npx', ['taro', 'build', '--type', 'h5'], { cwd: checkout, stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } });
}
