// `npm run build:server`: the production server as plain JavaScript in server/dist, run by `node`.
//
// esbuild bundles server/src with the shared workspace (`@linli/shared` is TypeScript source, so it is
// compiled into the bundle) and leaves every npm package outside, to be installed from
// server/dist/package.json. Why esbuild and not tsc: tsc would leave `require('@linli/shared')` pointing
// at TypeScript source that plain node cannot load. The entities need no emitted decorator metadata
// (every column names its type; tsx, which runs the server in development, is esbuild too), and
// `keepNames` keeps class names as written (TypeORM reads entity and migration class names).
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'server/dist');
const serverPackage = JSON.parse(fs.readFileSync(path.join(root, 'server/package.json'), 'utf8'));
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const externals = new Set();
const keepPackagesOutside = {
  name: 'packages-outside',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (builtins.has(args.path)) return { path: args.path, external: true };
      const name = packageOf(args.path);
      if (name === '@linli/shared') return undefined; // our own TypeScript: into the bundle
      externals.add(name);
      return { path: args.path, external: true };
    });
  },
};

fs.rmSync(outdir, { recursive: true, force: true });
const started = performance.now();
await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'server/src/main.ts',
    migrate: 'server/src/db/migrate.ts',
    seed: 'server/src/seed/run.ts',
  },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  format: 'cjs',
  keepNames: true,
  sourcemap: 'linked',
  tsconfig: path.join(root, 'server/tsconfig.json'),
  plugins: [keepPackagesOutside],
  logLevel: 'warning',
});

// What the bundle needs at run time: the packages it imports, at the versions it was built and tested
// with. Each must be a runtime dependency of the server: a dev dependency would be missing after
// `npm install --omit=dev`.
// TypeORM loads its database drivers by name at run time: the embedded database's too.
for (const driver of ['sql.js']) externals.add(driver);
const dependencies = {};
for (const name of [...externals].sort()) {
  if (!serverPackage.dependencies?.[name]) {
    throw new Error(`the server bundle imports ${name}, which is not in server/package.json "dependencies"`);
  }
  const installed = JSON.parse(fs.readFileSync(installedPackageJson(name), 'utf8'));
  dependencies[name] = installed.version;
}
fs.writeFileSync(
  path.join(outdir, 'package.json'),
  `${JSON.stringify({ name: '@linli/server-dist', version: serverPackage.version, private: true, description: 'linli server, production build (npm run build:server)', engines: { node: '>=20.19' }, dependencies }, null, 2)}\n`,
);
console.log(`server/dist: main.js, migrate.js, seed.js and package.json (${externals.size} runtime packages) in ${Math.round(performance.now() - started)} ms`);

/** The package.json of an installed package, looked up from the server workspace as node would. */
function installedPackageJson(name) {
  for (let dir = path.join(root, 'server'); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name, 'package.json');
    if (fs.existsSync(candidate)) return candidate;
    if (dir === path.dirname(dir)) throw new Error(`${name} is not installed`);
  }
}
