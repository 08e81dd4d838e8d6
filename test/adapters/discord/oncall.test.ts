import type { APIMessage } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCommands, FormCheck, type Json } from '../../fakes/discord/validate.js';
import { answered, command, openTicket, pressInDm } from './interactions.js';
import { ann, bob, DISCORD_YAML, l1Desk, registration, requester, startDiscordDesk, support, type DiscordDesk } from './support.js';
import { chatInputCommand } from '../../fakes/discord/index.js';

// On call in Discord: `/oncall` and the page sub-commands of `/ticket` are registered from the
// catalogue and work end to end; a page reaches the person on call by DM and its Acknowledge works there.

// Both tiers page Bob, on call all day.
const YAML = `${DISCORD_YAML.replace('agents: [ann], discord_role', 'agents: [ann], escalation_policy: default, discord_role').replace(
  'agents: [bob], channels:',
  'agents: [bob], escalation_policy: default, channels:',
)}
schedules:
  primary: { zone: UTC, layers: [ { name: all-day, users: [bob], start: "2024-06-01T00:00", turn: 1 week } ] }
escalation_policies:
  default: { steps: [ { notify: { schedule: primary } }, { wait: 5m }, { notify: { channel: L2 } } ] }
`;

let t: DiscordDesk;
beforeEach(async () => {
  t = await startDiscordDesk({ yaml: YAML });
});
afterEach(async () => {
  await t.close();
});

type Option = { name: string; type: number; choices?: Array<{ value: string }>; min_value?: number; max_value?: number; options?: Option[] };
const optionsOf = (name: string) =>
  (registration(t.config) as unknown as Array<{ name: string; options?: Option[] }>).find((c) => c.name === name)?.options ?? [];
const sub = (command: string, name: string) => optionsOf(command).find((o) => o.name === name);

async function oncall(subcommand: string, options: Record<string, string> = {}) {
  const payload = chatInputCommand(t.discord.context({ channel: support.id, user: requester.id }), { name: 'oncall', subcommand, options });
  return answered(t, payload, await t.discord.gateway.interactionCreate(payload));
}

describe('the registration', () => {
  it("has /oncall with its sub-commands, /ticket page|ack|release|pass, typed /ticket stats and list, within Discord's limits", () => {
    expect(optionsOf('oncall').map((o) => o.name)).toEqual(['now', 'schedule', 'override', 'ack']);
    expect(sub('oncall', 'override')?.options?.map((o) => [o.name, o.type])).toEqual([
      ['user', 3],
      ['from', 3],
      ['to', 3],
      ['schedule', 3],
    ]);
    const ticketSubs = optionsOf('ticket').map((o) => o.name);
    expect(ticketSubs).toEqual(expect.arrayContaining(['page', 'ack', 'release', 'pass', 'stats', 'list']));
    expect(sub('ticket', 'page')?.options).toEqual([expect.objectContaining({ name: 'number', type: 4, required: true, min_value: 1 })]);
    const stats = sub('ticket', 'stats')?.options ?? [];
    expect(stats.find((o) => o.name === 'by')?.choices?.map((c) => c.value)).toEqual(['tier', 'priority', 'agent', 'week', 'month']);
    expect(stats.find((o) => o.name === 'days')).toMatchObject({ type: 4, min_value: 1, max_value: 3660 });
    const status = sub('ticket', 'list')?.options?.find((o) => o.name === 'status');
    expect(status?.choices?.map((c) => c.value)).toEqual(['open', 'claimed', 'waiting', 'resolved', 'closed', 'all']);
    const check = new FormCheck();
    checkCommands(registration(t.config) as unknown as Json[], check);
    expect(() => check.done()).not.toThrow();
  });
});

describe('/oncall and a page, end to end', () => {
  it('/oncall now says who is on call; /oncall schedule shows the week', async () => {
    const now = await oncall('now');
    expect(now.ephemeral).toBe(true);
    expect(now.handled.event).toMatchObject({ kind: 'command', name: 'oncall', args: { sub: 'now' } });
    expect(now.text).toMatch(/Bob Backline/);

    const week = await oncall('schedule', { name: 'primary' });
    expect(week.text).toMatch(/primary/);
  });

  it('/ticket page 1 pages Bob by DM; his Acknowledge there stops the page', async () => {
    await openTicket(t);

    const paged = await command(t, ann, l1Desk.id, 'page', { number: 1 });
    expect(paged.handled.event).toMatchObject({ kind: 'command', name: 'ticket', args: { sub: 'page', number: '1' } });
    await t.desk.dispatcher.drain();
    const dm = await t.discord.rest.waitForCall('POST /users/@me/channels', (c) => (c.body as { recipient_id?: string }).recipient_id === bob.id);
    const dmChannel = String((dm.response as { id: string }).id);
    const page = t.discord.world.messagesIn(dmChannel).find((m) => JSON.stringify(m.components ?? []).includes('tierdesk:ack:')) as APIMessage;
    expect(page).toBeDefined();

    const acked = await pressInDm(t, bob, page, 'ack');

    expect(acked.text).toMatch(/acknowledged the page for #1/);
    expect((await t.db.selectFrom('pages').select('status').executeTakeFirstOrThrow()).status).toBe('acknowledged');
  });
});
