import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { submitView, viewOpenedWith } from './interactions.js';
import { BOB, EMPLOYEE, L1_DESK, OLGA, callsTo, ticketCount, type SlackDesk } from './support.js';
import { startPeerDesk } from './peer-support.js';

// The knowledge base in Slack: /kb typed and through its form, the buttons on its answers, and
// the articles offered before a ticket opens. Bob (L2) writes articles; Erin and Olga read them.

let t: SlackDesk;
beforeEach(async () => {
  t = await startPeerDesk();
});
afterEach(async () => {
  await t.close();
});

type Json = Record<string, unknown>;
interface Button {
  action_id: string;
  value: string;
  text: { text: string };
}

/** `/kb <text>` from `user`; the ephemeral answer Slack got in the ack. */
async function kb(text: string, user = EMPLOYEE) {
  const sent = await t.sender.slashCommand({ command: '/kb', text, user_id: user, channel_id: 'C0RANDOM' });
  await t.handled(sent.triggerId);
  await t.desk.dispatcher.drain();
  return sent.json as { response_type: string; text: string; blocks?: Json[] };
}

/** A published article by Bob. */
async function publishedArticle(title: string, body: string, tags = 'vpn') {
  const added = await kb(`add ${title} --body ${body} --tags ${tags}`, BOB);
  const id = /#(\d+)/.exec(added.text)?.[1];
  if (!id) throw new Error(`no article: ${added.text}`);
  await kb(`publish ${id}`, BOB);
  return id;
}

function buttonsIn(blocks: Json[] | undefined): Button[] {
  return (blocks ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements as Button[]);
}

/** `user` presses a button on an ephemeral message (Slack sends no message, only its container and a response_url). */
async function pressEphemeral(user: string, button: Button, channel = 'C0RANDOM') {
  const ws = t.slack.web.workspace;
  const responseUrl = t.slack.web.issueResponseUrl('actions');
  const sent = await t.sender.interaction({
    type: 'block_actions',
    user,
    channel,
    response_url: responseUrl,
    state: { values: {} },
    container: { type: 'message', message_ts: ws.nextTs(), channel_id: channel, is_ephemeral: true },
    actions: [{ ...button, type: 'button', block_id: 'b1', action_ts: ws.nextTs() }],
  });
  const handled = await t.handled(sent.triggerId!);
  await t.desk.dispatcher.drain();
  return { handled, answer: (await t.slack.web.waitForResponse(responseUrl)).body as { text: string; blocks?: Json[] } };
}

describe('/kb search', () => {
  it('answers with the matching articles as a card, each with a button to open it', async () => {
    const id = await publishedArticle('VPN on macOS', 'Install the client from the portal, then sign in with SSO.');

    const found = await kb('search vpn macos');

    expect(found.response_type).toBe('ephemeral');
    expect(found.text).toMatch(/1 result for "vpn macos"/);
    expect(found.text).toContain('VPN on macOS');
    expect(buttonsIn(found.blocks).map((b) => [b.action_id, b.value])).toEqual([['tierdesk:kb.show', id]]);
  });

  it('nothing found, or nothing to search for: a helpful answer, no error', async () => {
    expect((await kb('search "*" AND NEAR(')).text).toMatch(/has no words to search for|Nothing in the knowledge base matches/);
    expect((await kb('search')).text).toMatch(/What are you looking for/);
  });

  it('the buttons work: Open shows the article, and the second of two vote buttons votes not helpful', async () => {
    const id = await publishedArticle('Printer offline', 'Restart the print spooler.', 'printer');
    const found = await kb('search printer');

    const opened = await pressEphemeral(OLGA, buttonsIn(found.blocks)[0]!);
    expect(opened.handled.event).toMatchObject({ kind: 'action', action: 'kb.show', value: id });
    const votes = buttonsIn(opened.answer.blocks);
    expect(votes.map((b) => [b.action_id, b.value])).toEqual([
      ['tierdesk:kb.vote', `${id} helpful`],
      ['tierdesk:kb.vote#2', `${id} not-helpful`],
    ]);

    const voted = await pressEphemeral(OLGA, votes[1]!);
    expect(voted.handled.event).toMatchObject({ kind: 'action', action: 'kb.vote', value: `${id} not-helpful` });
    expect(voted.answer.text).toMatch(/not helpful/);
    expect(await t.db.selectFrom('kb_articles').select(['helpful', 'not_helpful']).where('id', '=', Number(id)).executeTakeFirstOrThrow()).toEqual({
      helpful: 0,
      not_helpful: 1,
    });
  });
});

describe('/kb add', () => {
  async function addForm(user = BOB) {
    const sent = await t.sender.slashCommand({ command: '/kb', text: 'add', user_id: user, channel_id: 'C0RANDOM' });
    expect(sent.body).toBe('');
    return viewOpenedWith(t, sent.triggerId);
  }

  it('opens the article form the core answers with: title, body, tags', async () => {
    const view = await addForm();
    expect(view.callback_id).toBe('tierdesk_form:kb.article');
    expect(view.blocks.map((b) => b.block_id)).toEqual(['title', 'body', 'tags']);
    expect(t.inbound.map((h) => h.reply && h.reply.form?.kind)).toEqual(['kb.article']);
  });

  it('an empty title comes back into the form next to the title; nothing saved', async () => {
    const view = await addForm();

    const submitted = await submitView(t, BOB, view, { title: '   ', body: 'Some steps' });

    expect(submitted.json).toEqual({ response_action: 'errors', errors: { title: expect.stringMatching(/needs a title/) } });
    expect(await t.db.selectFrom('kb_articles').selectAll().execute()).toEqual([]);
  });

  it('a complete form saves a draft, kept as written, and shows it with its Publish button', async () => {
    const view = await addForm();
    const body = '1. Open *Settings*\n2. Run `sudo reset --all`\n-- not an option';

    const submitted = await submitView(t, BOB, view, { title: 'Reset the dock', body, tags: 'macOS, Dock' });
    await t.handled(view.id);

    expect(submitted.body).toBe('');
    expect(await t.db.selectFrom('kb_articles').select(['title', 'body', 'tags', 'state']).executeTakeFirstOrThrow()).toEqual({
      title: 'Reset the dock',
      body,
      tags: JSON.stringify(['macos', 'dock']),
      state: 'draft',
    });
    const shown = await t.slack.web.waitForCall('chat.postEphemeral');
    expect(shown.args).toMatchObject({ channel: 'C0RANDOM', user: BOB, text: expect.stringMatching(/Draft article #1 saved/) });
    expect(JSON.stringify(shown.args.blocks)).toContain('tierdesk:kb.publish');
  });

  it('by someone who may not write articles: refused at once with the reason, and no form opens', async () => {
    const sent = await t.sender.slashCommand({ command: '/kb', text: 'add', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    await t.handled(sent.triggerId);

    expect(sent.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/articles/) });
    expect(t.slack.web.calls('views.open')).toEqual([]);
    expect(await t.db.selectFrom('kb_articles').selectAll().execute()).toEqual([]);
  });
});

describe('/kb edit ID', () => {
  it('opens the form filled in with the article; a changed title is saved, the rest kept', async () => {
    const id = await publishedArticle('Wifi password', 'Ask reception for the guest code.', 'wifi, guest');

    const sent = await t.sender.slashCommand({ command: '/kb', text: `edit ${id}`, user_id: BOB, channel_id: 'C0RANDOM' });
    const view = await viewOpenedWith(t, sent.triggerId);
    const initial = Object.fromEntries(view.blocks.map((b) => [b.block_id, (b as { element: { initial_value?: string } }).element.initial_value]));
    expect(initial).toEqual({ title: 'Wifi password', body: 'Ask reception for the guest code.', tags: 'wifi, guest' });

    const submitted = await submitView(t, BOB, view, { title: 'Guest Wi-Fi password' });
    const { reply } = await t.handled(view.id);

    expect(submitted.body).toBe('');
    expect(reply?.text).toMatch(/updated \(title; version 3\)/);
    expect(await t.db.selectFrom('kb_articles').select(['title', 'body', 'tags']).executeTakeFirstOrThrow()).toEqual({
      title: 'Guest Wi-Fi password',
      body: 'Ask reception for the guest code.',
      tags: JSON.stringify(['wifi', 'guest']),
    });
  });

  it('a body longer than a Slack input holds is not put in the form, and an empty body keeps it', async () => {
    const long = 'Step. '.repeat(700).trim();
    const id = await publishedArticle('Long guide', long);

    const sent = await t.sender.slashCommand({ command: '/kb', text: `edit ${id}`, user_id: BOB, channel_id: 'C0RANDOM' });
    const view = await viewOpenedWith(t, sent.triggerId);
    const body = view.blocks.find((b) => b.block_id === 'body') as { optional: boolean; element: { initial_value?: string } };
    expect(body.element.initial_value).toBeUndefined();
    expect(body.optional).toBe(true);

    await submitView(t, BOB, view, { title: 'Long guide, revised' });
    await t.handled(view.id);

    expect(await t.db.selectFrom('kb_articles').select(['title', 'body']).executeTakeFirstOrThrow()).toEqual({
      title: 'Long guide, revised',
      body: long,
    });
  });

  it('with words after the id runs as typed (no form)', async () => {
    const id = await publishedArticle('Badge', 'Go to security.', 'badge');
    const edited = await kb(`edit ${id} --tags badge, access`, BOB);
    expect(edited.text).toMatch(/updated \(tags/);
    expect(t.slack.web.calls('views.open')).toEqual([]);
  });
});

describe('articles offered before a ticket opens', () => {
  it('the intake form: matching articles come with "This solved it" buttons; "Open the ticket anyway" opens it', async () => {
    await publishedArticle('VPN certificate expired', 'Run the Company Portal sync to renew the VPN certificate.');
    await publishedArticle('VPN certificate warning at home', 'Switch the VPN to the nearest gateway, which renews the certificate.');

    const sent = await t.sender.slashCommand({ command: '/ticket', text: '', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    const view = await viewOpenedWith(t, sent.triggerId);
    await submitView(t, EMPLOYEE, view, { title: 'VPN certificate expired', description: 'the VPN says my certificate expired' });
    await t.handled(view.id);

    const offer = await t.slack.web.waitForCall('chat.postEphemeral');
    const buttons = buttonsIn(offer.args.blocks as Json[]);
    const ids = buttons.map((b) => b.action_id);
    expect(ids.filter((id) => id.startsWith('tierdesk:deflect.solved'))).toEqual(['tierdesk:deflect.solved', 'tierdesk:deflect.solved#2']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await ticketCount(t)).toBe(0);

    const opened = await pressEphemeral(
      EMPLOYEE,
      buttons.find((b) => b.action_id === 'tierdesk:deflect.open')!,
    );
    expect(opened.handled.event).toMatchObject({ kind: 'action', action: 'deflect.open' });
    expect(opened.answer.text).toMatch(/Ticket #1 opened/);
    expect(callsTo(t, 'chat.postMessage', L1_DESK)).toHaveLength(1);
  });

  it('"This solved it" opens nothing', async () => {
    await publishedArticle('Printer jam', 'Open tray 2 and pull the paper out gently.', 'printer');

    const typed = await t.sender.slashCommand({ command: '/ticket', text: 'new printer jam in tray 2', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    await t.handled(typed.triggerId);
    const solved = buttonsIn((typed.json as { blocks?: Json[] }).blocks).find((b) => b.action_id === 'tierdesk:deflect.solved')!;

    const pressed = await pressEphemeral(EMPLOYEE, solved);

    expect(pressed.answer.text).toMatch(/Glad that helped/);
    expect(await ticketCount(t)).toBe(0);
  });
});
