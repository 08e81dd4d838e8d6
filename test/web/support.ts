/** A dashboard over a test desk, and a client that signs in with one-time links like a browser. */
import type { AddressInfo } from 'node:net';
import { createLoginToken } from '../../adapters/web/auth.js';
import { createWebServer, type WebServer } from '../../adapters/web/server.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

export const SECRET = 'test-secret-of-at-least-thirty-two-characters';

export const YAML = `
people:
  ann: { name: Ann Asker, console: ann, slack: UANN }
  sam: { name: Sam Someone, console: sam }
  agent1: { name: Agent One, console: agent1 }
  agent2: { name: Agent Two, console: agent2 }
  lena: { name: Lena Lead, console: lena }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], leads: [lena], channels: { console: l1-desk } }
  - { id: L2, name: Second level, agents: [agent2], channels: { console: l2-desk } }
calendars:
  office: { zone: UTC, hours: 24x7 }
sla:
  policies:
    - { priority: P3, first_response: 4 hours, resolution: 3 days, calendar: office }
    - { priority: P2, first_response: 1 hour, resolution: 8 hours, calendar: office }
`;

export interface Dashboard {
  desk: TestDesk;
  web: WebServer;
  base: string;
  close(): Promise<void>;
}

export async function startTestDashboard(yaml = YAML, signInAttempts?: number): Promise<Dashboard> {
  const desk = await createTestDesk({ yaml });
  const web = createWebServer({ desk: desk.desk, secret: SECRET, secure: false, ...(signInAttempts ? { signInAttempts } : {}) });
  await new Promise<void>((resolve) => web.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(web.server.address() as AddressInfo).port}`;
  return {
    desk,
    web,
    base,
    async close() {
      await web.close();
      await desk.close();
    },
  };
}

export interface Answer {
  status: number;
  body: string;
  headers: Headers;
}

/** One browser: keeps its session cookie, reads the CSRF token off the last page. */
export class Browser {
  cookie = '';
  csrf = '';
  constructor(private readonly d: Dashboard) {}

  async signIn(person: string): Promise<Answer> {
    const token = await createLoginToken(this.d.desk.db, SECRET, person, this.d.desk.clock.now());
    return this.useToken(token);
  }

  async useToken(token: string): Promise<Answer> {
    const a = await this.post('/login', { token }, false);
    const set = a.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return a;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(this.d.base + path, { headers: { ...headers, ...(this.cookie ? { cookie: this.cookie } : {}) }, redirect: 'manual' });
    const body = await res.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(body);
    if (csrf) this.csrf = csrf[1]!;
    return { status: res.status, body, headers: res.headers };
  }

  async post(path: string, fields: Record<string, string>, withCsrf = true): Promise<Answer> {
    const form = new URLSearchParams({ ...(withCsrf && this.csrf ? { _csrf: this.csrf } : {}), ...fields });
    const res = await fetch(this.d.base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: form.toString(),
      redirect: 'manual',
    });
    return { status: res.status, body: await res.text(), headers: res.headers };
  }
}
