import Router from '@koa/router';
import { describe, expect, it } from 'vitest';
import { mountRoutes } from './mount-routes';
import { route } from './route';

describe('mounting routes', () => {
  it('only a GET route may read from replicas: every query of a request that writes runs on the primary', () => {
    const reading = route({ method: 'get', path: '/things', reads: 'replica', tag: 'test', summary: 'list', handler: () => [] });
    expect(() => mountRoutes(new Router(), [reading])).not.toThrow();
    for (const method of ['post', 'put', 'delete'] as const) {
      const writing = route({ method, path: '/things', reads: 'replica', tag: 'test', summary: 'write', handler: () => null });
      expect(() => mountRoutes(new Router(), [writing])).toThrow(`${method.toUpperCase()} /things: only a GET route may read from replicas`);
    }
  });
});
