import { PermanentDeliveryError, type ChatAdapter, type Person, type Place, type Platform } from '../ports.js';
import type { Db } from '../store/connect.js';
import { findMessage, markShown, saveMessage } from '../store/messages.js';
import { confirmHandleGrant, forgetHandleGrant, handleGrants, recordPendingGrant, saveHandleMembers } from '../store/oncall-handles.js';
import { markSent, type OutboxItem } from '../store/outbox.js';
import { placeOf } from './outbox-routing.js';
import { cardFingerprint } from './render.js';
import type { Core, Target } from './work.js';

/** Not yet deliverable (its parent message is not posted yet); retried without counting as a failure. */
export class NotYet extends Error {}

/**
 * Do what one outbox row asks on its platform (post, edit, thread members, label, event, group grant, on-call handle) and
 * mark it sent; a post's message id is recorded under its key in the same transaction.
 */
export async function sendRow(core: Core, adapter: ChatAdapter, row: OutboxItem): Promise<void> {
  const { target, body } = row;
  if (body.op === 'edit') {
    const card = body.card;
    const msg = await findMessage(core.db, row.message_key ?? '');
    if (!msg) throw new NotYet(`message ${row.message_key} is not posted yet`);
    await adapter.edit(placeOf(msg), msg.message_id, card);
    await core.db.transaction().execute(async (trx) => {
      await markShown(trx, msg.key, cardFingerprint(card));
      await markSent(trx, row.id, core.clock.now());
    });
    return;
  } else if (body.op === 'members') {
    const msg = await findMessage(core.db, row.message_key ?? '');
    if (!msg) throw new NotYet(`message ${row.message_key} is not posted yet`);
    const people = body.people;
    // The thread is the message's own (a forum post, a private thread) or the one it is in.
    if (adapter.addMembers) await adapter.addMembers({ ...placeOf(msg), thread: msg.thread ?? msg.message_id }, people);
  } else if (body.op === 'label') {
    const msg = await findMessage(core.db, row.message_key ?? '');
    if (!msg) throw new NotYet(`message ${row.message_key} is not known yet`);
    const { label } = body;
    if (adapter.labelThread) await adapter.labelThread({ ...placeOf(msg), thread: msg.thread ?? msg.message_id }, label);
  } else if (body.op === 'seal') {
    const msg = await findMessage(core.db, row.message_key ?? '');
    if (!msg) throw new NotYet(`message ${row.message_key} is not posted yet`);
    if (adapter.sealThread) await adapter.sealThread(placeOf(msg), body.closed);
  } else if (body.op === 'webhook') {
    if (!adapter.deliverEvent || target.kind !== 'place') throw new PermanentDeliveryError(`the ${adapter.platform} adapter takes no events`);
    await adapter.deliverEvent(target.place, body.event);
  } else if (body.op === 'grant') {
    const { group } = body;
    if (adapter.grantGroup && target.kind === 'direct') await adapter.grantGroup(target.person, group);
  } else if (body.op === 'handle') {
    const { group, space, people } = body;
    if (target.kind === 'place') await applyHandle(core, adapter, { platform: target.place.platform, space, group }, people);
  } else if (body.op === 'upload') {
    const { file, card: message, fallback } = body;
    const place = await resolvePlace(core.db, target, adapter);
    if (adapter.upload) await adapter.upload(place, file, message);
    else if (fallback) await adapter.post(place, fallback);
  } else {
    const card = body.card;
    const place = await resolvePlace(core.db, target, adapter);
    const posted = await adapter.post(place, card);
    const key = row.message_key;
    // The message id and the row's delivery are recorded together.
    await core.db.transaction().execute(async (trx) => {
      if (key !== null) {
        await saveMessage(trx, {
          key,
          platform: posted.place.platform,
          space: posted.place.space,
          channel: posted.place.channel,
          thread: posted.place.thread ?? null,
          message_id: posted.messageId,
          ticket: row.ticket,
          side: row.side,
          posted_at: core.clock.now(),
          shown: cardFingerprint(card),
        });
      }
      await markSent(trx, row.id, core.clock.now());
    });
    return;
  }
  await markSent(core.db, row.id, core.clock.now());
}

/** The platform a row goes to: its place's or person's, or that of the message it is under (undefined until posted). */
export async function platformOf(db: Db, target: Target): Promise<Platform | undefined> {
  if (target.kind === 'place') return target.place.platform;
  if (target.kind === 'direct' || target.kind === 'private') return target.person.platform;
  const parent = await findMessage(db, target.of);
  return parent?.platform as Platform | undefined;
}

async function resolvePlace(db: Db, target: Target, adapter: ChatAdapter): Promise<Place> {
  if (target.kind === 'place') return target.place;
  if (target.kind === 'direct') return adapter.openDirect(target.person);
  if (target.kind === 'private')
    return adapter.openPrivateThread ? adapter.openPrivateThread(target.person, target.title) : adapter.openDirect(target.person);
  const parent = await findMessage(db, target.of);
  if (!parent) throw new NotYet(`message ${target.of} is not posted yet`);
  return { ...placeOf(parent), thread: parent.thread ?? parent.message_id };
}

/**
 * Make a handle's members `people`: replaced whole where the group is tierdesk's (Slack), else given
 * one by one, remembering whom tierdesk gave it to, and taken back only from them (Discord: a role a
 * moderator gave stays). Each grant is recorded as pending before the platform call and confirmed after
 * it, so a retry redoes only the rest, and a role found present on a pending grant is tierdesk's own.
 * The members are recorded once all is done: a change given up is tried again at the next start or handoff.
 */
async function applyHandle(
  core: Core,
  adapter: ChatAdapter,
  handle: { platform: Platform; space: string; group: string },
  people: Person[],
): Promise<void> {
  const { platform, group } = handle;
  if (adapter.setGroupMembers) await adapter.setGroupMembers(group, people);
  else if (adapter.addToGroup && adapter.removeFromGroup) await giveAndTakeBack(core, adapter, handle, people);
  else return;
  await saveHandleMembers(
    core.db,
    platform,
    group,
    people.map((p) => p.id),
    core.clock.now(),
  );
}

async function giveAndTakeBack(
  core: Core,
  adapter: ChatAdapter,
  { platform, space, group }: { platform: Platform; space: string; group: string },
  people: Person[],
): Promise<void> {
  const given = await handleGrants(core.db, platform, group);
  for (const p of people) {
    const grant = given.find((g) => g.user === p.id);
    if (grant && !grant.pending) continue;
    if (!grant) await recordPendingGrant(core.db, platform, group, p.id, core.clock.now());
    // Present already: someone else's, unless tierdesk's own pending grant (given just before a crash).
    if ((await adapter.addToGroup!(p, group)) || grant?.pending) await confirmHandleGrant(core.db, platform, group, p.id, core.clock.now());
    else await forgetHandleGrant(core.db, platform, group, p.id);
  }
  const wanted = new Set(people.map((p) => p.id));
  for (const { user } of given) {
    if (wanted.has(user)) continue;
    await adapter.removeFromGroup!({ platform, space, id: user, name: user }, group);
    await forgetHandleGrant(core.db, platform, group, user);
  }
}
