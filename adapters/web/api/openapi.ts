/**
 * The OpenAPI 3.1 document of /api/v1, written from the same route declarations the server
 * dispatches on: path parameters, query and body from their zod shapes (z.toJSONSchema, JSON
 * Schema 2020-12, which is OpenAPI 3.1's), the token scope each needs, and the error shape.
 */
import { z } from 'zod';
import type { ApiRoute } from './route.js';

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string', description: 'the input at fault' } },
    },
  },
};

const schemaOf = (t: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(t, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

function parameters(route: ApiRoute): unknown[] {
  const out: unknown[] = [];
  for (const [where, shape] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!shape) continue;
    const s = schemaOf(shape, 'input') as { properties?: Record<string, { description?: string }>; required?: string[] };
    for (const [name, schema] of Object.entries(s.properties ?? {}))
      out.push({
        name,
        in: where,
        required: where === 'path' || (s.required ?? []).includes(name),
        ...(schema.description ? { description: schema.description } : {}),
        schema,
      });
  }
  return out;
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function openApiDocument(routes: readonly ApiRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const op: Record<string, unknown> = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      'x-token-scope': r.scope,
      parameters: parameters(r),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: schemaOf(r.response, 'output') } } },
        '401': errorResponse('No token, or an unknown or revoked one'),
        '403': errorResponse(r.scope === 'write' ? 'Not allowed, or a read-only token' : 'Not allowed'),
        '404': errorResponse('No such thing'),
        '422': errorResponse('Invalid input: `field` names it'),
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'tierdesk API', version: '1', description: 'The help desk as JSON: the same use cases and permission checks as chat.' },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (tdk_…), created on /tokens or with `tierdesk tokens create`' },
      },
      schemas: { Error: ERROR },
    },
    paths,
  };
}
