import type { APIInteraction, APIMessage, APIUser } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttonPress, chatInputCommand, type OptionValue } from '../../fakes/discord/index.js';
import { answered, inputsOf, modalShown, submit, type Answered } from './interactions.js';
import { bob, requester, support, type DiscordDesk } from './support.js';
import { startPeerDesk } from './peer-support.js';

// The knowledge base from Discord: /kb sub-commands, the add/edit forms, and the buttons on the
// article and search cards (custom ids `tierdesk:kb.vote:1 helpful`: family actions with a dot).

let t: DiscordDesk;
beforeEach(async () => {
  t = await startPeerDesk();
});
afterEach(async () => {
  await t.close();
});

async function kb(who: APIUser, sub: string, options: Record<string, OptionValue> = {}): Promise<Answered> {
  const payload = chatInputCommand(t.discord.context({ channel: support.id, user: who.id }), { name: 'kb', subcommand: sub, options });
  return answered(t, payload, await t.discord.gateway.interactionCreate(payload));
}

async function kbForm(who: APIUser, sub: 'add' | 'edit', options: Record<string, OptionValue> = {}) {
  const payload = chatInputCommand(t.discord.context({ channel: support.id, user: who.id }), { name: 'kb', subcommand: sub, options });
  await t.discord.gateway.interactionCreate(payload);
  return modalShown(t, payload);
}

/** The custom ids of the buttons on an interaction's answer. */
const buttonsOf = (answer: Answered): string[] =>
  ((answer.record.original?.components ?? []) as unknown as Array<{ components: Array<{ custom_id: string }> }>).flatMap((r) =>
    r.components.map((c) => c.custom_id),
  );

/** `who` presses a button on an (ephemeral) answer, as Discord sends it. */
async function pressOn(who: APIUser, answer: Answered, customId: string): Promise<Answered> {
  const payload: APIInteraction = buttonPress(t.discord.context({ channel: support.id, user: who.id }), {
    customId,
    message: answer.record.original as APIMessage,
  });
  return answered(t, payload, await t.discord.gateway.interactionCreate(payload));
}

async function publishedArticle(): Promise<void> {
  const form = await kbForm(bob, 'add');
  await submit(t, bob, support.id, form, {
    title: 'Printer prints blank pages',
    body: 'Shake the **toner** cartridge.\n\nThen print a test page.',
    tags: 'printers, hardware',
  });
  await kb(bob, 'publish', { id: 1 });
}

describe('/kb add and /kb edit', () => {
  it('add opens a form (title, body, tags); its submission saves a draft whose card has a Publish button (tierdesk:kb.publish:1) that works', async () => {
    const form = await kbForm(bob, 'add');
    expect(form.custom_id).toBe('tierdesk:form:kb:sub=add');
    expect([...inputsOf(form).keys()]).toEqual(['title', 'body', 'tags']);
    expect(inputsOf(form).get('body')).toMatchObject({ style: 2, required: true });

    const saved = await submit(t, bob, support.id, form, {
      title: 'VPN on hotel Wi-Fi',
      body: 'Use the **TCP 443** profile.\n\n--force is not needed.',
      tags: 'vpn, travel',
    });

    expect(saved.handled.event).toMatchObject({
      kind: 'command',
      name: 'kb',
      args: { sub: 'add', title: 'VPN on hotel Wi-Fi', body: 'Use the **TCP 443** profile.\n\n--force is not needed.', tags: 'vpn, travel' },
    });
    expect(saved.ephemeral).toBe(true);
    // The words before the card are the content, the card is the embed.
    expect(saved.text).toBe('Draft article #1 saved. Publish it with /kb publish 1 when it is ready.');
    expect(saved.record.original?.embeds[0]?.title).toBe('📘 Article #1: VPN on hotel Wi-Fi');
    expect(buttonsOf(saved)).toEqual(['tierdesk:kb.publish:1']);

    const published = await pressOn(bob, saved, 'tierdesk:kb.publish:1');
    expect(published.handled.event).toMatchObject({ kind: 'action', action: 'kb.publish', value: '1' });
    expect((await t.db.selectFrom('kb_articles').select('state').where('id', '=', 1).executeTakeFirstOrThrow()).state).toBe('published');
  });

  it('edit ID opens the same form, filled in with the article: only the fields changed change', async () => {
    await publishedArticle();

    const form = await kbForm(bob, 'edit', { id: 1 });
    expect(form.custom_id).toBe('tierdesk:form:kb:sub=edit&id=1');
    expect(inputsOf(form).get('title')).toMatchObject({ value: 'Printer prints blank pages' });
    const edited = await submit(t, bob, support.id, form, { body: 'Shake the toner cartridge, then run the cleaning cycle.' });

    expect(edited.handled.event).toMatchObject({
      args: { sub: 'edit', id: '1', title: 'Printer prints blank pages', body: 'Shake the toner cartridge, then run the cleaning cycle.' },
    });
    expect(edited.text).toMatch(/Article #1 updated \(body; version 3\)/);
  });

  it('someone who may not write articles gets no form: a refusal only they see', async () => {
    const saved = await kb(requester, 'add');

    expect([saved.type, saved.ephemeral]).toEqual([4, true]);
    expect(saved.text).toMatch(/only Second level \(L2\) agents/);
    expect(await t.db.selectFrom('kb_articles').select('id').execute()).toEqual([]);
  });
});

describe('/kb search, show and vote', () => {
  it('search finds a published article; its Open button shows it; Helpful votes', async () => {
    await publishedArticle();

    const found = await kb(requester, 'search', { query: 'printer blank' });
    expect(found.handled.event).toMatchObject({ kind: 'command', name: 'kb', args: { sub: 'search', query: 'printer blank' } });
    expect(found.ephemeral).toBe(true);
    expect(found.text).toMatch(/1 result for "printer blank"/);
    expect(found.text).toMatch(/Printer prints blank pages/);
    expect(buttonsOf(found)).toEqual(['tierdesk:kb.show:1']);

    const shown = await pressOn(requester, found, 'tierdesk:kb.show:1');
    expect(shown.text).toMatch(/📘 Article #1: Printer prints blank pages/);
    expect(buttonsOf(shown)).toEqual(['tierdesk:kb.vote:1 helpful', 'tierdesk:kb.vote:1 not-helpful']);

    const voted = await pressOn(requester, shown, 'tierdesk:kb.vote:1 helpful');
    expect(voted.handled.event).toMatchObject({ kind: 'action', action: 'kb.vote', value: '1 helpful' });
    expect(voted.text).toBe('Thanks: you said article #1 was helpful.');
    const changed = await kb(requester, 'vote', { id: 1, vote: 'not-helpful' });
    expect(changed.text).toBe('Changed: you now say article #1 is not helpful.');
  });

  it('search text with FTS syntax is just words; nothing found is a friendly answer', async () => {
    const odd = await kb(requester, 'search', { query: 'C++ "AND NEAR( -*' });

    expect(odd.ephemeral).toBe(true);
    expect(odd.text).toMatch(/^Nothing in the knowledge base matches|has no words to search for/);
  });

  it('history, drafts and show of a draft go through as sub-commands with the article id', async () => {
    await submit(t, bob, support.id, await kbForm(bob, 'add'), { title: 'Draft one', body: 'Words.' });

    expect((await kb(bob, 'drafts')).text).toMatch(/^Drafts \(1\):\n#1 Draft one/);
    expect((await kb(bob, 'history', { id: 1 })).text).toMatch(/History of article #1 Draft one/);
    expect((await kb(requester, 'show', { id: 1 })).text).toMatch(/draft|not published|no article/i);
  });
});
