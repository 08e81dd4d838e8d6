import type { APIInteraction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogue } from '../../../src/capabilities/index.js';
import { card } from '../../../src/core/render.js';
import type { Surface } from '../../../src/surface.js';
import { chatInputCommand, messageCommand, type OptionValue } from '../../fakes/discord/index.js';
import { CALLBACK, EDIT_REPLY, sendPress } from './interactions.js';
import { ann, community, l1Desk, olga, registration, support, startDiscordDesk, type DiscordDesk } from './support.js';

// Nothing declared is unreachable on Discord: every command and sub-command the catalogue offers
// there is registered and, driven through the fake with every option it takes, reaches the core
// with the declared names; every declared button pressed reaches the core as its action; every
// message action is a message command that reaches the core.

type Option = { type: number; name: string; min_value?: number; choices?: Array<{ value: string }>; options?: Option[] };
type Registered = { name: string; type?: number; options?: Option[] };

let t: DiscordDesk;
let surface: Surface;
let registered: Registered[];
beforeAll(async () => {
  t = await startDiscordDesk();
  surface = createCatalogue().surface('discord', t.config);
  registered = registration(t.config) as unknown as Registered[];
});
afterAll(async () => {
  await t.close();
});

/** Waits until the interaction got its answer as Discord shows it (a reply, a modal, or a deferred reply edited). */
async function settled(payload: APIInteraction): Promise<void> {
  const callback = await t.discord.rest.waitForCall(CALLBACK, (c) => c.params.interaction === payload.id && c.status === 204);
  if ((callback.body as { type: number }).type === 5)
    await t.discord.rest.waitForCall(EDIT_REPLY, (c) => c.params.token === payload.token && c.params.message === '@original');
}

/** Where a sub-command is registered: its group (when there are more than 25) and its options. */
function registeredSub(command: Registered, sub: string): { group?: string; options: Option[] } | undefined {
  if (sub === '') return { options: command.options ?? [] };
  for (const o of command.options ?? []) {
    if (o.type === 1 && o.name === sub) return { options: o.options ?? [] };
    const inGroup = o.type === 2 ? o.options?.find((s) => s.name === sub) : undefined;
    if (inGroup) return { group: o.name, options: inGroup.options ?? [] };
  }
  return undefined;
}

/** A value Discord would send for an option: its lowest number, its first choice, a switch on, some words. */
function sample(o: Option): OptionValue {
  if (o.type === 4) return o.min_value ?? 1;
  if (o.type === 5) return true;
  return o.choices?.[0]?.value ?? 'some --words\nas typed';
}

describe('every command and sub-command the catalogue offers on Discord', () => {
  it('is registered, and reaches the core with its arguments by their declared names', async () => {
    const reached: string[] = [];
    for (const command of surface.commands) {
      const reg = registered.find((r) => r.name === command.name && (r.type ?? 1) === 1);
      expect(reg, `/${command.name} is registered`).toBeDefined();
      for (const sub of command.subs) {
        const where = registeredSub(reg!, sub.name);
        expect(where, `/${command.name} ${sub.name} is registered`).toBeDefined();
        expect(where!.options.map((o) => o.name).sort()).toEqual(sub.args.map((a) => a.name).sort());
        const options = Object.fromEntries(where!.options.map((o) => [o.name, sample(o)]));
        const payload = chatInputCommand(t.discord.context({ channel: l1Desk.id, user: ann.id }), {
          name: command.name,
          ...(sub.name ? { subcommand: sub.name } : {}),
          ...(where!.group ? { group: where!.group } : {}),
          options,
        });
        await t.discord.gateway.interactionCreate(payload);
        const { event } = await t.handled(`discord:interaction:${payload.id}`);
        await settled(payload);
        const args = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)]));
        expect(event, `/${command.name} ${sub.name}`).toMatchObject({
          kind: 'command',
          name: command.name,
          args: { ...(sub.name ? { sub: sub.name } : {}), ...args },
        });
        reached.push(`${command.name} ${sub.name}`.trim());
      }
    }
    expect(reached).toEqual(
      expect.arrayContaining(['oncall now', 'oncall schedule', 'ticket page', 'ticket ack', 'ticket release', 'ticket pass', 'ask']),
    );
  });
});

describe('every declared button', () => {
  it('pressed on a card, reaches the core as its action with its value', async () => {
    const actions = surface.buttons.map((b) => b.action);
    for (let i = 0; i < actions.length; i += 5) {
      const buttons = actions.slice(i, i + 5).map((action) => ({ action, label: action, value: '1' }));
      const { messageId } = await t.adapter.post(
        { platform: 'discord', space: community.id, channel: l1Desk.id },
        card({ title: 'Buttons', buttons }),
      );
      for (const { action } of buttons) {
        const { payload } = await sendPress(t, ann, { channel: l1Desk.id, id: messageId }, action);
        const { event } = await t.handled(`discord:interaction:${payload.id}`);
        await settled(payload);
        expect(event, action).toMatchObject({ kind: 'action', action, value: '1', message: messageId });
      }
    }
    expect(actions).toEqual(expect.arrayContaining(['panel', 'ack', 'pass', 'dm.attach', 'dm.open', 'resolve']));
  });
});

describe('every message action', () => {
  it('is a message command that reaches the core with the message it was used on', async () => {
    const target = await t.discord.gateway.messageCreate({ channelId: support.id, authorId: olga.id, content: 'Turn it off and on.' });
    for (const m of surface.messageActions) {
      expect(
        registered.find((r) => r.name === m.label && r.type === 3),
        m.label,
      ).toBeDefined();
      const payload = messageCommand(t.discord.context({ channel: support.id, user: ann.id }), { name: m.label, target });
      await t.discord.gateway.interactionCreate(payload);
      const { event } = await t.handled(`discord:interaction:${payload.id}`);
      await settled(payload);
      expect(event).toMatchObject({ kind: 'action', action: m.action, about: { id: target.id, text: 'Turn it off and on.' } });
    }
  });
});
