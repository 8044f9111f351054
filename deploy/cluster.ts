/**
 * `npm run cluster -- --instances 3 [--port 8080]`: N production instances of the server
 * (`node server/dist/main.js`, built first) and Debian's nginx in front of them, all on loopback,
 * with nginx running deploy/nginx/linli.conf (only its upstream `server` lines and `listen` rewritten).
 * The instances get this shell's environment (DATABASE_URL, DATABASE_REPLICA_URLS, STORAGE_URL, …) with
 * NODE_ENV=production, TRUST_PROXY=1 and, unless set, a JWT_SECRET made up for the run (printed).
 * Ctrl-C stops everything. The cluster test (tests/cluster) starts the same through `startCluster`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServerOnce, freePort, startServerProcess, type ServerProcess } from '../server/test/server-process';

const root = path.resolve(__dirname, '..');
export const NGINX_CONFIG = path.join(root, 'deploy/nginx/linli.conf');

export interface ClusterOptions {
  instances: number;
  /** The environment of every instance, over the defaults below. */
  env?: Record<string, string>;
  /** nginx's loopback port; default a free one. */
  frontPort?: number;
  /** Each instance's log lines (JSON), by instance index; default: their own output. */
  onOutput?: (index: number, line: string) => void;
}

export interface ClusterInstance {
  index: number;
  port: number;
  /** The instance itself, bypassing nginx. */
  baseUrl: string;
  pid(): number;
  /** Sends a signal (SIGKILL: a crash) and waits for the process to end. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port (nginx finds it there), and waits until it is ready. */
  start(): Promise<void>;
  running(): boolean;
}

export interface Cluster {
  /** nginx: what clients talk to. */
  frontUrl: string;
  instances: ClusterInstance[];
  /** Where nginx's configuration and logs are (access.log has each request's upstream and $request_id). */
  dir: string;
  stop(): Promise<void>;
}

/** nginx's own configuration for a loopback run, and linli.conf with the instances and port filled in. */
export function renderNginx(dir: string, frontPort: number, instancePorts: number[]): string {
  const upstreamServer = /^(\s*)server \S+:\d+ (max_fails=.*)$/;
  const lines = fs.readFileSync(NGINX_CONFIG, 'utf8').split('\n');
  const first = lines.findIndex((line) => upstreamServer.test(line));
  const listen = lines.findIndex((line) => /^\s*listen 80;$/.test(line));
  if (first < 0 || listen < 0) throw new Error(`${NGINX_CONFIG}: its upstream server lines or its listen line were not found`);
  const [, indent, settings] = upstreamServer.exec(lines[first])!;
  lines[listen] = lines[listen].replace('listen 80;', `listen 127.0.0.1:${frontPort};`);
  lines.splice(first, 0, ...instancePorts.map((port) => `${indent}server 127.0.0.1:${port} ${settings}`));
  const site = lines.filter((line, i) => i < first + instancePorts.length || !upstreamServer.test(line)).join('\n');
  fs.writeFileSync(path.join(dir, 'linli.conf'), site);
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, 'tmp', temp), { recursive: true, mode: 0o777 });
  // Workers run as nobody when nginx starts as root: they write request bodies (uploads) there.
  fs.chmodSync(path.join(dir, 'tmp'), 0o777);
  for (const temp of fs.readdirSync(path.join(dir, 'tmp'))) fs.chmodSync(path.join(dir, 'tmp', temp), 0o777);
  const main = `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
    log_format upstream '$remote_addr [$time_local] "$request" $status $body_bytes_sent $request_time '
                        'upstream=$upstream_addr upstream_status=$upstream_status request_id=$request_id';
    access_log ${dir}/access.log upstream;
    client_body_temp_path ${dir}/tmp/body;
    proxy_temp_path ${dir}/tmp/proxy;
    fastcgi_temp_path ${dir}/tmp/fastcgi;
    uwsgi_temp_path ${dir}/tmp/uwsgi;
    scgi_temp_path ${dir}/tmp/scgi;
    include ${dir}/linli.conf;
}
`;
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, main);
  return file;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
  if (!nginxBinary) throw new Error("nginx is not installed: apt-get install nginx (Debian's package; the cluster runs it on loopback)");
  await buildServerOnce();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-cluster-'));
  const frontPort = options.frontPort ?? (await freePort());
  const ports: number[] = [];
  for (let i = 0; i < options.instances; i++) ports.push(await freePort());
  const env = {
    TRUST_PROXY: '1',
    LOG_LEVEL: 'warn',
    PUBLIC_BASE_URL: `http://127.0.0.1:${frontPort}`,
    ...options.env,
    NODE_ENV: 'production',
  };
  const processes: (ServerProcess | null)[] = ports.map(() => null);
  const startInstance = async (index: number) => {
    processes[index] = await startServerProcess(env, {
      compiled: true,
      port: ports[index],
      onOutput: options.onOutput ? (line) => options.onOutput!(index, line) : undefined,
    });
  };
  // The first alone (it runs the migrations and the seed), then the rest together.
  await startInstance(0);
  await Promise.all(ports.slice(1).map((_, i) => startInstance(i + 1)));

  const nginx: ChildProcess = spawn(nginxBinary, ['-p', dir, '-c', renderNginx(dir, frontPort, ports)], { stdio: ['ignore', 'inherit', 'inherit'] });
  const frontUrl = `http://127.0.0.1:${frontPort}`;
  for (let waited = 0; ; waited += 100) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited with ${nginx.exitCode}; see ${dir}/error.log`);
    if ((await fetch(`${frontUrl}/healthz`).catch(() => null))?.ok) break;
    if (waited > 10_000) throw new Error('nginx did not answer in 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }

  const instances: ClusterInstance[] = ports.map((port, index) => ({
    index,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    pid: () => processes[index]?.pid ?? 0,
    running: () => processes[index] !== null,
    async kill(signal) {
      const process = processes[index];
      processes[index] = null;
      await process?.kill(signal);
    },
    start: () => startInstance(index),
  }));
  return {
    frontUrl,
    instances,
    dir,
    async stop() {
      nginx.kill('SIGQUIT');
      await new Promise((resolve) => (nginx.exitCode !== null ? resolve(null) : nginx.once('exit', resolve)));
      await Promise.all(processes.map((p) => p?.stop()));
    },
  };
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const instances = option('instances', 3);
  const frontPort = option('port', 0) || undefined;
  // This shell's environment (startServerProcess would otherwise give each instance its own embedded
  // database), but each instance has its own port and data folder.
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'PORT' && entry[0] !== 'DATA_DIR'));
  if (!process.env.JWT_SECRET) {
    env.JWT_SECRET = randomBytes(24).toString('hex');
    console.log(`JWT_SECRET=${env.JWT_SECRET}  (made up for this run; set it to keep tokens across runs)`);
  }
  if (!process.env.SEED_DEMO) env.SEED_DEMO = 'on';
  if (!process.env.DATABASE_URL) console.warn('DATABASE_URL is not set: each instance would have its own embedded database — set it to a MariaDB/MySQL database');
  const cluster = await startCluster({ instances, frontPort, env });
  console.log(`nginx ${cluster.frontUrl} → ${cluster.instances.map((i) => i.baseUrl).join(', ')}  (config and logs in ${cluster.dir}); Ctrl-C stops`);
  const stop = async () => {
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
