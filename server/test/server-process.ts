import { spawn, type ChildProcess } from 'node:child_process';
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

export interface ServerProcess {
  baseUrl: string;
  /** Graceful stop (SIGTERM), then removes the temporary data folder. */
  stop(): Promise<void>;
  /** Sends a signal without cleaning up, e.g. SIGKILL to crash it. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The real server as `npm run serve` starts it (its own process, migrations, demo seed), on a free
 * port, with a fresh embedded database unless `env.DATABASE_URL` names one. `checkout`: another checkout's
 * server and H5 build (the bench's baseline), this one by default.
 */
export async function startServerProcess(env: Record<string, string> = {}, checkout = root): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-server-'));
  // node --import tsx, not the tsx binary: tsx runs the server in a child process, which a SIGKILL
  // of the wrapper would leave running.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: checkout,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'on', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
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
