import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackManifest } from '../../../adapters/slack/manifest.js';
import { createCatalogue } from '../../../src/capabilities/index.js';
import { loadConfig } from '../../../src/config/config.js';
import type { Surface, SurfaceSub } from '../../../src/surface.js';
import { pressButton } from './interactions.js';
import { ANN, EMPLOYEE, GENERAL, SLACK_YAML, startSlackDesk, type SlackDesk } from './support.js';

// Walks the catalogue: every command, sub-command, button and message action declared for Slack is
// reachable there (registered, delivered to the core as itself), and the manifest offers exactly them.

const surface: Surface = createCatalogue().surface('slack', loadConfig({ text: SLACK_YAML, env: {} }));

/** What a person would type for `sub`: its name, then a plausible value for each required or positional argument. */
function typed(sub: SurfaceSub): string {
  const sample = (a: SurfaceSub['args'][number]) => (a.type === 'integer' ? '1' : (a.choices?.[0]?.value ?? 'words'));
  const words = sub.name === '' ? [] : [sub.name];
  for (const a of sub.args) {
    if (a.type === 'boolean') continue;
    const positional = !sub.usage.includes(`--${a.name}`); // an option is written `--name` in the usage
    if (positional) words.push(sample(a));
    else if (a.required) words.push(`--${a.name}`, sample(a));
  }
  return words.join(' ');
}

let t: SlackDesk;
beforeAll(async () => {
  t = await startSlackDesk();
});
afterAll(async () => {
  await t.close();
});

describe('the Slack manifest', () => {
  it('offers every command and message action the surface declares for Slack, and nothing else', () => {
    const manifest = JSON.parse(slackManifest({ name: 'tierdesk', socketMode: true, surface })) as {
      features: { slash_commands: Array<{ command: string; usage_hint: string }>; shortcuts: Array<{ callback_id: string }> };
    };
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(surface.commands.map((c) => `/${c.name}`));
    expect(manifest.features.slash_commands.map((c) => c.command)).toContain('/oncall');
    expect(manifest.features.shortcuts.map((s) => s.callback_id)).toEqual(surface.messageActions.map((a) => a.callbackId));
  });
});

describe('every declared sub-command is reachable by its slash command', () => {
  const cases = surface.commands.flatMap((c) => c.subs.map((s) => [`/${c.name}${s.name ? ` ${s.name}` : ''}`, c.name, s] as const));
  it.each(cases)('%s', async (_label, name, sub) => {
    const text = typed(sub);
    const sent = await t.sender.slashCommand({ command: `/${name}`, text, user_id: ANN, channel_id: 'C0RANDOM' });
    const { event, reply } = await t.handled(sent.triggerId);

    expect(sent.status).toBe(200);
    expect(event).toMatchObject({ kind: 'command', name, text });
    expect(reply?.text ?? '').not.toMatch(/^Unknown command/);
  });
});

describe('every declared button reaches the core when pressed', () => {
  it.each(surface.buttons.map((b) => [b.action, b] as const))('%s', async (action) => {
    const { messageId } = await t.adapter.post(
      { platform: 'slack', space: 'T0FAKE001', channel: GENERAL },
      { title: `A card with ${action}`, buttons: [{ action, label: action, value: '1' }], fallback: action },
    );
    const pressed = await pressButton(t, ANN, { channel: GENERAL, ts: messageId }, action);
    const { event, reply } = await t.handled(pressed.triggerId);

    expect(event).toMatchObject({ kind: 'action', action, value: '1' });
    expect(reply?.text ?? '').not.toMatch(/^Unknown action/);
  });
});

describe('every declared message action is reachable as a message shortcut', () => {
  it.each(surface.messageActions.map((a) => [a.label, a] as const))('%s', async (_label, spec) => {
    const message = t.slack.web.workspace.addMessage({ channel: GENERAL, user: EMPLOYEE, text: 'The badge reader is broken' });
    const used = await t.sender.interaction({
      type: 'message_action',
      user: ANN,
      callback_id: spec.callbackId,
      channel: GENERAL,
      message_ts: message.ts,
    });
    const { event, reply } = await t.handled(used.triggerId!);

    expect(event).toMatchObject({ kind: 'action', action: spec.action, about: { id: message.ts, text: 'The badge reader is broken' } });
    expect(reply?.text ?? '').not.toMatch(/^Unknown action/);
  });
});
