import type { Logger } from '../platform/logger';

export interface Job {
  name: string;
  run(): Promise<unknown>;
}

/**
 * Runs each job every `intervalMs`, never two runs of one job at once in this process. Running in
 * several processes is the jobs' own business: each one is written to be safe with that.
 */
export function startJobs(jobs: Job[], intervalMs: number, logger: Logger): { stop(): Promise<void> } {
  const running = new Map<string, Promise<unknown>>();
  const tick = () => {
    for (const job of jobs) {
      if (running.has(job.name)) continue;
      const run = job
        .run()
        .then((result) => logger.debug({ job: job.name, result }, 'job done'))
        .catch((err) => logger.error({ err, job: job.name }, 'job failed'))
        .finally(() => running.delete(job.name));
      running.set(job.name, run);
    }
  };
  const timer = intervalMs > 0 ? setInterval(tick, intervalMs) : null;
  timer?.unref();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await Promise.allSettled(running.values());
    },
  };
}
