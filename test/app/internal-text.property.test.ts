import { afterEach, describe, expect, it } from 'vitest';
import { createTestDesk, type TestDesk } from '../support/desk.js';
import { seededRandom } from '../support/seeded-random.js';

// Every ticket command, typed by every role with random free text (flags, quotes, mentions, markup):
// nothing crashes, and nothing written for agents reaches the requester.
const YAML = `
people: { requester: {}, agent1: { name: Agent One }, agent2: { name: Agent Two } }
tiers:
  - { id: L1, name: Help desk, agents: [agent1] }
  - { id: L2, name: Second level, agents: [agent2], escalation_policy: l2-default }
  - { id: L3, name: Specialists, agents: [agent2] }
escalation_policies:
  l2-default:
    steps:
      - notify: { user: agent2 }
      - wait: 5m
paging:
  escalated_into: [P1, P2, P3]
`;
const ROLES = ['requester', 'agent1', 'agent2', 'stranger'];
const PIECES = [
  '--x',
  '--force-with-lease',
  '--to',
  '--',
  '"quoted"',
  "it's",
  '<!channel>',
  '@everyone',
  '<@U123>',
  '&amp;',
  'a & b < c',
  '🔥',
  'git push -f',
  '#1',
  'P1',
  'L3',
  '`code`',
];
// Commands whose text is written for agents only: what they say must never reach the requester.
const INTERNAL = ['note', 'escalate'];
const PUBLIC = ['reply', 'wait', 'resolve', 'reopen', 'new'];
const OTHER = ['claim 1', 'claim 2 --force', 'history 1', 'show 1', 'list --status all', 'priority 1 --impact high', 'page 1', 'ack 1', 'confirm 1'];

const desks: TestDesk[] = [];
afterEach(async () => {
  for (const d of desks.splice(0)) await d.close();
});

describe('the whole ticket command surface, with random text from every role', () => {
  for (const seed of [11, 12, 13]) {
    it(`never crashes and never shows the requester internal text (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      const d = await createTestDesk({ yaml: YAML });
      desks.push(d);
      const secrets: string[] = [];
      const toRequester: string[] = [];
      await d.say('requester', '/ticket new Database down --urgency high --impact high');
      await d.say('requester', '/ticket new Printer jammed');
      for (let i = 0; i < 80; i++) {
        const who = pick(ROLES);
        const words = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(PIECES));
        const roll = random();
        let line: string;
        if (roll < 0.35) {
          const secret = `zq${seed}x${i}`;
          secrets.push(secret);
          line = `/ticket ${pick(INTERNAL)} ${pick(['1', '2'])} ${secret} ${words.join(' ')}`;
        } else if (roll < 0.7) line = `/ticket ${pick(PUBLIC)} ${pick(['1', '2'])} ${words.join(' ')}`;
        else if (roll < 0.8) line = `#${pick(['1', '2'])} ${words.join(' ')}`;
        else line = `/ticket ${pick(OTHER)}`;
        const reply = await d.say(who, line);
        expect(reply ?? '', line).not.toMatch(/something went wrong/i);
        if (who === 'requester' && reply) toRequester.push(reply);
        if (random() < 0.2) await d.advance(6 * 60_000);
      }
      for (const n of [1, 2]) {
        toRequester.push((await d.say('requester', `/ticket history ${n}`)) ?? '');
        toRequester.push((await d.say('requester', `/ticket show ${n}`)) ?? '');
      }
      toRequester.push(...d.adapter.messages.filter((m) => m.place.channel === 'dm:requester').flatMap((m) => m.versions.map((v) => v.fallback)));
      const seen = toRequester.join('\n');
      for (const secret of secrets) expect(seen).not.toMatch(new RegExp(`${secret}\\b`));
      expect(seen).not.toMatch(/page_|internal note:|escalated it from|changed the priority/);
      expect(d.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    });
  }
});
