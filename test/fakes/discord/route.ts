import { ApiError } from './api-error.js';
import type { UploadedFile } from './messages.js';
import type { Json } from './validate.js';
import type { DiscordWorld } from './world.js';

export interface RouteRequest {
  world: DiscordWorld;
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

/**
 * One REST route. `template` uses `:name` for ids (`/channels/:channel/messages`); literal
 * segments such as `@me` and `@original` win over parameters. `auth: 'none'` routes (interaction
 * callbacks, interaction webhooks) are the ones discord.js calls without the bot token.
 * A handler's result is answered as 200 JSON, or 204 with no body when it returns undefined.
 */
export interface Route {
  method: string;
  template: string;
  auth: 'bot' | 'none';
  handle(request: RouteRequest): unknown;
}

export function route(method: string, template: string, handle: Route['handle'], auth: Route['auth'] = 'bot'): Route {
  return { method, template, auth, handle };
}

export function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
  for (const r of routes) {
    if (r.method !== method) continue;
    const parts = r.template.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const ok = parts.every((part, i) => {
      const segment = segments[i] ?? '';
      if (part.startsWith(':')) return (params[part.slice(1)] = segment) !== '';
      literals += 1;
      return part === segment;
    });
    if (ok && (!best || literals > best.literals)) best = { route: r, params, literals };
  }
  return best && { route: best.route, params: best.params };
}

/** The request body as a JSON object; a missing body is `{}`, anything else a 400 like Discord's. */
export function jsonObject(body: unknown): Json {
  if (body === undefined) return {};
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Json;
  throw new ApiError(400, 50109, 'The request body contains invalid JSON.');
}

export function jsonArray(body: unknown): Json[] {
  if (Array.isArray(body)) return body as Json[];
  throw new ApiError(400, 50035, 'Invalid Form Body', { _errors: [{ code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }] });
}
