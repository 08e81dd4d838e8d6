/**
 * What an API route is: its method and path, who may call it with which token scope, the zod shapes
 * of its path parameters, query and body, and what it runs. The server (./serve.ts) and the OpenAPI
 * document (./openapi.ts) are both read from these declarations, so neither can list a route the
 * other lacks.
 */
import type { z } from 'zod';
import type { Desk } from '../../../src/core/desk.js';
import type { TokenScope } from '../api-tokens.js';
import type { Viewer } from '../viewer.js';

/** An expected failure: the status, a stable code, one line, and the field at fault when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface ApiCall {
  desk: Desk;
  viewer: Viewer;
  /** The token's id: with an Idempotency-Key header, the key of the inbound event. */
  tokenId: string;
  idempotencyKey?: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
}

export interface ApiRoute {
  method: 'GET' | 'POST';
  /** Under /api/v1, OpenAPI style: `/tickets/{number}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** The token scope it needs: `write` for anything that changes state. */
  scope: TokenScope;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodObject;
  /** The answer's shape, for the document. */
  response: z.ZodType;
  run(call: ApiCall): Promise<unknown>;
}

/** `/tickets/{number}` → a matcher of `/tickets/12` giving `{number: '12'}`. */
export function pathMatcher(path: string): (actual: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = path.replace(/\{([a-zA-Z]+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'));
  const re = new RegExp(`^${pattern}$`);
  return (actual) => {
    const m = re.exec(actual);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    names.forEach((n, i) => {
      try {
        out[n] = decodeURIComponent(m[i + 1]!);
      } catch {
        out[n] = m[i + 1]!;
      }
    });
    return out;
  };
}
