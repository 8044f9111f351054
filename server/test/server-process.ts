import { execFile, spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { promisify } from 'node:util';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

let building: Promise<unknown> | null = null;

/** Builds the production server (server/dist) once per test run: esbuild, about a second. */
export function buildServerOnce(): Promise<unknown> {
  building ??= promisify(execFile)(process.execPath, [path.join(root, 'deploy/build-server.mjs')], { cwd: root });
  return building;
}

export interface ServerProcessOptions {
  /** Run the production build (`node server/dist/main.js`, see buildServerOnce) instead of the TypeScript source through tsx. */
  compiled?: boolean;
  /** Listen on this port (a restarted instance behind a proxy keeps its address); default a free one. */
  port?: number;
  /** Each line the server writes (its JSON log), instead of passing them to this process's output. */
  onOutput?: (line: string) => void;
  /** Another checkout's server and H5 build (the bench's baseline); this one by default. */
  checkout?: string;
}

export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** Graceful stop (SIGTERM), then removes the temporary data folder. */
  stop(): Promise<void>;
  /** Sends a signal without cleaning up, e.g. SIGKILL to crash it. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The real server as `npm run serve` starts it (its own process, migrations, demo seed), on a free
 * port, with a fresh embedded database unless `env.DATABASE_URL` names one.
 */
export async function startServerProcess(env: Record<string, string> = {}, options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-server-'));
  // node --import tsx, not the tsx binary: tsx runs the server in a child process, which a SIGKILL
  // of the wrapper would leave running.
  const args = options.compiled ? ['--enable-source-maps', 'server/dist/main.js'] : ['--import', 'tsx', 'server/src/main.ts'];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.checkout ?? root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'on', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', options.onOutput ? 'pipe' : 'inherit', options.onOutput ? 'pipe' : 'inherit'],
  });
  if (options.onOutput) {
    for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on('line', options.onOutput);
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('server did not become ready in 60 s');
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const exited = () => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));
  return {
    baseUrl,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    async kill(signal) {
      child.kill(signal);
      await exited();
    },
  };
}
