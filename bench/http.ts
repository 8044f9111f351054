import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';

export interface HttpFigure {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(
  name: string,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: () => string; connections?: number; seconds?: number; rate?: number },
): Promise<HttpFigure> {
  const result = await autocannon({
    url,
    method: (options.method ?? 'GET') as 'GET',
    headers: options.headers,
    connections: options.connections ?? 20,
    duration: options.seconds ?? 5,
    overallRate: options.rate,
    requests: options.body
      ? [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: options.body!() }) }]
      : undefined,
  });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** The baseline: a bare node:http server answering a fixed JSON body of the given size. */
export async function bareServer(body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
