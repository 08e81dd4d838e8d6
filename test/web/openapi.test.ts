import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../adapters/web/api-tokens.js';
import { startTestDashboard, type Dashboard } from './support.js';

let d: Dashboard;
beforeAll(async () => {
  d = await startTestDashboard();
  await d.desk.say('ann', '/ticket new Printer on fire');
});
afterAll(async () => {
  await d.close();
});

type Operation = { operationId: string; parameters: Array<{ name: string; in: string }>; requestBody?: unknown; 'x-token-scope': string };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

async function document(): Promise<Document> {
  const res = await fetch(`${d.base}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  return (await res.json()) as Document;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists exactly the routes the server registered', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const registered = d.web.api.routes.map((r) => `${r.method} ${r.path}`);
    expect(documented.sort()).toEqual(registered.sort());
    expect(registered).toContain('POST /tickets/{number}/escalate');
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares every path parameter, a body for every POST, and the scope each needs', async () => {
    const doc = await document();
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(
          op.parameters.filter((p) => p.in === 'path').map((p) => p.name),
          `${method} ${path}`,
        ).toEqual(inPath);
        expect(op.requestBody !== undefined, `${method} ${path}`).toBe(method === 'post');
        expect(op['x-token-scope'], `${method} ${path}`).toBe(method === 'post' ? 'write' : 'read');
      }
    const escalate = doc.paths['/tickets/{number}/escalate']!.post! as unknown as {
      requestBody: { content: { 'application/json': { schema: { properties: Record<string, { enum?: string[] }>; required?: string[] } } } };
    };
    const schema = escalate.requestBody.content['application/json'].schema;
    expect(schema.properties.to!.enum).toEqual(['L1', 'L2']);
    expect(schema.required).toEqual(['reason']);
  });

  it('documents only what the server answers: each documented operation reaches its route', async () => {
    const { token } = await createApiToken(d.desk.db, { person: 'lena', scope: 'read', label: 'walk' }, d.desk.clock.now());
    const doc = await document();
    for (const [path, ops] of Object.entries(doc.paths))
      for (const method of Object.keys(ops)) {
        const url = `${d.base}/api/v1${path.replace('{number}', '1').replace('{id}', '1').replace('{name}', 'x')}`;
        const res = await fetch(url, { method: method.toUpperCase(), headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { error?: { code: string } };
        expect(body.error?.code, `${method} ${path}`).not.toBe('no_such_route');
        expect(body.error?.code, `${method} ${path}`).not.toBe('method_not_allowed');
      }
  });
});
