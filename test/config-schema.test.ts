import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, DEMO_CONFIG_YAML, loadConfig } from '../src/config/config.js';
import { configCommand } from '../src/config/config-command.js';
import { configJsonSchema } from '../src/config/schema.js';

function problems(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadConfig({ text: yaml, env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

type JsonSchema = { anyOf?: JsonSchema[]; properties?: Record<string, JsonSchema>; additionalProperties?: JsonSchema | boolean; items?: JsonSchema };

/** Every key path the schema knows: `tiers[].channels.slack`, `calendars.*.zone`. */
function schemaPaths(node: JsonSchema, at: string[] = [], out: string[][] = []): string[][] {
  for (const branch of node.anyOf ?? []) schemaPaths(branch, at, out);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    out.push([...at, key]);
    schemaPaths(child, [...at, key], out);
  }
  if (typeof node.additionalProperties === 'object') schemaPaths(node.additionalProperties, [...at, '*'], out);
  if (node.items) schemaPaths(node.items, [...at, '[]'], out);
  return out;
}

function present(data: unknown, path: readonly string[]): boolean {
  if (path.length === 0) return true;
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '[]') return Array.isArray(data) && data.some((d) => present(d, rest));
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const record = data as Record<string, unknown>;
  if (head === '*') return Object.values(record).some((d) => present(d, rest));
  return head in record && present(record[head], rest);
}

describe('the configuration schema', () => {
  it('is committed as tierdesk.schema.json, equal to what `tierdesk config schema` prints', () => {
    const out: string[] = [];
    expect(
      configCommand(
        ['schema'],
        (t) => out.push(t),
        () => undefined,
      ),
    ).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual(configJsonSchema());
    expect(JSON.parse(readFileSync('tierdesk.schema.json', 'utf8'))).toEqual(configJsonSchema());
  });

  it('refuses an unknown config sub-command with a usage line and exit 2', () => {
    const err: string[] = [];
    expect(
      configCommand(
        ['shcema'],
        () => undefined,
        (t) => err.push(t),
      ),
    ).toBe(2);
    expect(err).toEqual([expect.stringMatching(/^Unknown config command "shcema"\. Usage: tierdesk config schema/)]);
  });

  it('names itself in the example, which shows every key the schema knows and loads without a problem', () => {
    const text = readFileSync('tierdesk.example.yaml', 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./tierdesk.schema.json');
    const example: unknown = parse(text);
    const missing = schemaPaths(configJsonSchema() as JsonSchema)
      .filter((p) => !present(example, p))
      .map((p) => p.join('.').replaceAll('.[]', '[]'));
    expect(missing).toEqual([]);
    expect(() =>
      loadConfig({ path: 'tierdesk.example.yaml', env: { TIERDESK_WEBHOOK_SECRET: 'the-webhook-secret-from-the-environment' } }),
    ).not.toThrow();
  });
});

describe('configuration problems', () => {
  const base = 'people: { ada: {} }\ntiers: [ { id: L1, agents: [ada] } ]\n';

  it('suggests the key that was meant, by edit distance, at every level, in the order of the file', () => {
    expect(
      problems(
        `${base}escalation_policy: {}\ntickets: { cooldwn: 1m }\nschedules:\n  s: { zone: UTC, layers: [ { users: [ada], start: "2024-01-01T00:00", turn: 1 week, tunrs: elapsed } ] }\n`,
      ),
    ).toEqual([
      expect.stringMatching(/^escalation_policy: unknown section \(known: .*\); did you mean `escalation_policies`\?$/),
      expect.stringMatching(/^tickets\.cooldwn: unknown key \(known: .*\); did you mean `cooldown`\?$/),
      expect.stringMatching(/^schedules\.s\.layers\[0\]\.tunrs: unknown key .*; did you mean `turns`\?$/),
    ]);
    expect(problems(`${base.replace('agents', 'escalation_polcy: p, agents')}`)).toEqual([
      expect.stringMatching(/^tiers\[0\]\.escalation_polcy: unknown key .*did you mean `escalation_policy`\?$/),
    ]);
  });

  it('reports a shape the readers do not check, with its key path', () => {
    expect(problems(`${base}routing: [ { category: [a, b], tier: L1 } ]\nkb: { authors: L2 }\n`)).toEqual(
      expect.arrayContaining(['kb.authors: must be a list of tier ids', expect.stringMatching(/^routing\[0\]\.category: /)]),
    );
  });

  it('never cascades: a broken calendar, schedule or policy is reported once, not again where it is named', () => {
    const found = problems(`
people: { ada: {} }
tiers: [ { id: L1, agents: [ada], hours: office, escalation_policy: pager, oncall_schedule: rota } ]
calendars: { office: { zone: Mars/Olympus, hours: 24x7 } }
schedules: { rota: { zone: Mars/Olympus, layers: [ { users: [ada], start: "2024-01-01T00:00", turn: 1 week } ] } }
escalation_policies: { pager: { steps: [ { notify: { schedule: rota } } ], repeat: -1 } }
sla: { policies: [ { priority: P1, first_response: 1h, resolution: 4h, calendar: office } ] }
peer: { unanswered: { ping_after: 1h, calendar: office } }
`);
    expect(found).toEqual([
      expect.stringMatching(/^calendars\.office\.zone: "Mars\/Olympus" is not a known IANA time zone/),
      expect.stringMatching(/^schedules\.rota\.zone: "Mars\/Olympus" is not a known IANA time zone/),
      expect.stringMatching(/^escalation_policies\.pager\.repeat: /),
    ]);
  });

  it('refuses an SLA target longer than a century of its calendar\u2019s open time, naming the key', () => {
    const found = problems(`${base}calendars: { weekly-hour: { zone: UTC, hours: { mon: ["09:00-10:00"] } } }
sla: { policies: [ { priority: P1, first_response: 1 hour, resolution: 6000 weeks, calendar: weekly-hour } ] }
`);
    expect(found).toEqual([expect.stringMatching(/^sla\.policies\[0\]\.resolution: is more open time than calendar weekly-hour has in a century/)]);
    expect(problems(`${base}calendars: { shut: { zone: UTC, hours: {} } }\n`)).toEqual([
      expect.stringMatching(/^calendars\.shut\.hours: no open time in the whole week/),
    ]);
  });

  it('refuses an alias bomb in one line', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const found = problems(`${bomb.join('\n')}\n`);
    expect(found).toEqual([expect.stringMatching(/^YAML: too many aliases .*alias bomb/)]);
  });

  it('refuses a file over 1 MB at once, saying the bound', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tierdesk-config-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `${base}# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    const started = Date.now();
    expect(() => loadConfig({ path: file, env: {} })).toThrow(/the file is 5\.0 MB; a configuration file may be at most 1 MB/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(problems(`${base}# ${'x'.repeat(2 * 1024 * 1024)}\n`)).toEqual([expect.stringMatching(/at most 1 MB/)]);
    writeFileSync(file, base);
    expect(loadConfig({ path: file, env: {} }).tiers).toHaveLength(1);
  });

  it('refuses platform credentials when no tier has a channel on that platform (the demo), naming what to set', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(problems(DEMO_CONFIG_YAML, slack)).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: is set, but no tier has a Slack channel.*set tiers\[\]\.channels\.slack .*or unset SLACK_BOT_TOKEN/),
    ]);
    const discord = { DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '900000000000000001' };
    expect(problems(`${base}discord: { tickets_channel: "200000000000000009" }\n`, discord)).toEqual([
      expect.stringMatching(/^DISCORD_TOKEN: is set, but no tier has a Discord channel.*set tiers\[\]\.channels\.discord/),
    ]);
    const twoTiers = 'people: {}\ntiers: [ { id: L1, channels: { slack: C0L1 } }, { id: L2 } ]\n';
    expect(problems(twoTiers, slack)).toEqual([expect.stringMatching(/^tiers\[1\]\.channels: tier L2 has no channels\.slack/)]);
    expect(problems(twoTiers.replace('{ id: L2 }', '{ id: L2, channels: { slack: C0L2 } }'), slack)).toEqual([]);
  });
});
