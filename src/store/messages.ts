import type { Db } from './connect.js';
import type { MessageRow } from './schema.js';

export async function saveMessage(db: Db, row: MessageRow): Promise<void> {
  await db
    .insertInto('messages')
    .values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ platform: row.platform, space: row.space, channel: row.channel, thread: row.thread, message_id: row.message_id, posted_at: row.posted_at }))
    .execute();
}

export async function findMessage(db: Db, key: string): Promise<MessageRow | undefined> {
  return db.selectFrom('messages').selectAll().where('key', '=', key).executeTakeFirst();
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
