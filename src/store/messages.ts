import type { Db } from './connect.js';
import type { MessageRow } from './schema.js';

export async function saveMessage(db: Db, row: Omit<MessageRow, 'shown'> & { shown?: string | null }): Promise<void> {
  await db
    .insertInto('messages')
    .values({ ...row, shown: row.shown ?? null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        platform: row.platform,
        space: row.space,
        channel: row.channel,
        thread: row.thread,
        message_id: row.message_id,
        posted_at: row.posted_at,
        shown: row.shown ?? null,
      }),
    )
    .execute();
}

/** Remember what the platform shows in a message now (after an edit was delivered). */
export async function markShown(db: Db, key: string, shown: string): Promise<void> {
  await db.updateTable('messages').set({ shown }).where('key', '=', key).execute();
}

/**
 * Whether the message shows exactly `shown` now and no edit of it is being sent (leased): then an
 * edit to `shown` changes nothing. One statement, so a delivery cannot land between two reads.
 */
export async function showsAlready(db: Db, key: string, shown: string): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('key')
    .where('key', '=', key)
    .where('shown', '=', shown)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('outbox')
            .select('id')
            .where('status', '=', 'pending')
            .where('op', '=', 'edit')
            .where('message_key', '=', key)
            .where('lease_until', 'is not', null),
        ),
      ),
    )
    .executeTakeFirst();
  return row !== undefined;
}

export async function findMessage(db: Db, key: string): Promise<MessageRow | undefined> {
  return db.selectFrom('messages').selectAll().where('key', '=', key).executeTakeFirst();
}

/**
 * The conversation a message written directly in `channel` belongs to, on platforms where a thread
 * is a channel of its own (Discord): a thread started from a message tierdesk posted (its id is the
 * message's), or a private thread whose anchor message tierdesk posted inside it.
 */
export async function findConversationByChannel(db: Db, platform: string, channel: string): Promise<MessageRow | undefined> {
  const startedFrom = await db
    .selectFrom('messages')
    .selectAll()
    .where('platform', '=', platform)
    .where('message_id', '=', channel)
    .executeTakeFirst();
  if (startedFrom) return startedFrom;
  const inside = await db
    .selectFrom('messages')
    .selectAll()
    .where('platform', '=', platform)
    .where('channel', '=', channel)
    .where('side', '=', 'requester')
    .limit(2)
    .execute();
  return inside.length === 1 ? inside[0] : undefined; // a DM with several tickets is ambiguous
}

/** The message tierdesk posted whose thread an inbound message was written in. */
export async function findMessageByPlatformId(db: Db, platform: string, channel: string, messageId: string): Promise<MessageRow | undefined> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('platform', '=', platform)
    .where('channel', '=', channel)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}
