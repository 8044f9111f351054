import { z, type ZodType } from 'zod';
import { ERROR_STATUS } from '@linli/shared';
import type { RouteSpec } from './route';

type JsonSchema = Record<string, unknown>;

/** OpenAPI 3.1 document built from the same route specs and zod schemas that validate requests. */
export function buildOpenApi(routes: RouteSpec[], info: { title: string; version: string }, basePath: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const openPath = basePath + spec.path.replace(/:(\w+)/g, '{$1}');
    paths[openPath] ??= {};
    paths[openPath][spec.method] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: errorSchema },
    },
  };
}

function operation(spec: RouteSpec) {
  const parameters = [
    ...objectParameters(spec.params, 'path'),
    ...objectParameters(spec.query, 'query'),
    ...[...(spec.headers ?? []), ...((spec.revalidate || spec.freshness) ? [{ name: 'If-None-Match', description: 'the ETag of the copy held', required: false }] : [])].map((h) => ({ name: h.name, in: 'header', required: !!h.required, description: h.description, schema: { type: 'string' } })),
  ];
  const successStatus = String(spec.status ?? 200);
  const errorResponse = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    operationId: `${spec.method}${spec.path.replace(/[/:{}-](\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.auth === false ? { security: [] } : { security: [{ bearer: [] }] }),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(spec.body, 'input') } } } } : {}),
    ...(spec.rawBody ? { requestBody: { required: true, content: spec.rawBody } } : {}),
    responses: {
      [successStatus]: { description: 'OK', ...((spec.revalidate || spec.freshness) ? { headers: { ETag: { schema: { type: 'string' } } } } : {}) },
      ...((spec.revalidate || spec.freshness) ? { '304': { description: 'Not modified (If-None-Match matched the ETag)' } } : {}),
      '4XX': errorResponse,
      '5XX': errorResponse,
    },
  };
}

function objectParameters(schema: ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, propertySchema]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: propertySchema,
  }));
}

function toSchema(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
};
