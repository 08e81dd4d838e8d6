import { SqliteAdapter, sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * Peer-support questions, helper points, the knowledge base, deflection offers, and the search
 * index over published articles and solved questions. The index is the one dialect-specific part:
 * an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL (src/store/search*.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;

  // A question asked in a peer channel: a Slack top-level message (its thread holds the answers)
  // or a Discord forum post. Its root message is in `messages` under the key `question:N` (posted
  // by tierdesk for /ask, registered when someone posted it by hand), so threads find it.
  await db.schema
    .createTable('peer_questions')
    .addColumn('number', 'integer', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('space', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    /** JSON Person. */
    .addColumn('asker', 'text', (c) => c.notNull())
    .addColumn('asker_key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    /** open | solved | closed */
    .addColumn('status', 'text', (c) => c.notNull())
    /** The L1 ticket an unanswered question became. */
    .addColumn('ticket', 'integer')
    .addColumn('answered_at', 'bigint')
    .addColumn('pinged_at', 'bigint')
    .addColumn('solved_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('activity_at', 'bigint', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('peer_questions_activity').on('peer_questions').columns(['status', 'activity_at']).execute();
  await db.schema.createIndex('peer_questions_ticket').on('peer_questions').columns(['ticket']).execute();

  // Answers marked as solutions (one or more per question).
  await db.schema
    .createTable('peer_solutions')
    .addColumn('question', 'integer', (c) => c.notNull().references('peer_questions.number'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    /** JSON Person: who wrote the answer. */
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    /** JSON Person: who marked it. */
    .addColumn('marked_by', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('peer_solutions_pk', ['question', 'message'])
    .execute();

  // The points ledger: one row per award, so caps, leaderboards per period and audits are queries.
  await db.schema
    .createTable('peer_points')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** `platform:id` of the helper. */
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('question', 'integer', (c) => c.notNull())
    /** solution | thanks */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    /** `platform:id` of who gave them (the asker or a moderator). */
    .addColumn('given_by', 'text', (c) => c.notNull())
    /** The message the award is for: one award per (kind, message). */
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('peer_points_person').on('peer_points').columns(['person', 'at']).execute();
  await db.schema.createIndex('peer_points_at').on('peer_points').columns(['at']).execute();
  await db.schema.createIndex('peer_points_once').on('peer_points').columns(['kind', 'message', 'person']).unique().execute();

  // Who wrote in a question's thread: a thanks pays only people who took part.
  await db.schema
    .createTable('peer_participants')
    .addColumn('question', 'integer', (c) => c.notNull())
    .addColumn('person', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('peer_participants_pk', ['question', 'person'])
    .execute();

  // Platform groups granted at a points threshold (the helper role), so each is granted once.
  await db.schema
    .createTable('peer_grants')
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('grp', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('peer_grants_pk', ['person', 'grp'])
    .execute();

  await db.schema
    .createTable('kb_articles')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    /** JSON list of tags. */
    .addColumn('tags', 'text', (c) => c.notNull())
    /** ticket | question, with `source_ref` its number. */
    .addColumn('source_kind', 'text')
    .addColumn('source_ref', 'text')
    /** JSON Person. */
    .addColumn('author', 'text', (c) => c.notNull())
    /** draft | published | deleted */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('helpful', 'integer', (c) => c.notNull())
    .addColumn('not_helpful', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('published_at', 'bigint')
    .addColumn('revision', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kb_articles_source').on('kb_articles').columns(['source_kind', 'source_ref']).execute();

  // Every saved version of an article: who changed what, when.
  await db.schema
    .createTable('kb_article_versions')
    .addColumn('article', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    /** JSON Person. */
    .addColumn('editor', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('kb_article_versions_pk', ['article', 'version'])
    .execute();

  // One vote per person per article (they may change it).
  await db.schema
    .createTable('kb_votes')
    .addColumn('article', 'integer', (c) => c.notNull())
    .addColumn('voter', 'text', (c) => c.notNull())
    /** helpful | not_helpful */
    .addColumn('vote', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('kb_votes_pk', ['article', 'voter'])
    .execute();

  // An offer of knowledge before a ticket is opened, and what came of it.
  await db.schema
    .createTable('deflections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** JSON Person. */
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('requester_key', 'text', (c) => c.notNull())
    /** JSON: the ticket input as submitted, to open it unchanged if asked. */
    .addColumn('input', 'text', (c) => c.notNull())
    /** JSON Place the request came from. */
    .addColumn('place', 'text', (c) => c.notNull())
    /** offered | helped | opened */
    .addColumn('outcome', 'text', (c) => c.notNull())
    /** The document that helped: `article:N` or `question:N`. */
    .addColumn('helped_by', 'text')
    .addColumn('ticket', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .execute();
  await db.schema.createIndex('deflections_created').on('deflections').columns(['created_at']).execute();

  // Which documents each offer showed, in order: per-article effectiveness is a join.
  await db.schema
    .createTable('deflection_docs')
    .addColumn('deflection', 'text', (c) => c.notNull())
    /** `article:N` or `question:N`. */
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('deflection_docs_pk', ['deflection', 'doc'])
    .execute();
  await db.schema.createIndex('deflection_docs_doc').on('deflection_docs').columns(['doc']).execute();

  // The search index. A document's id encodes what it is (src/store/search.ts: article N → 2N,
  // question N → 2N+1), so the index needs no side table and a document is replaced by id.
  if (sqlite) {
    await sql`create virtual table search_docs using fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')`.execute(db);
  } else {
    await sql`create table search_docs (
      id bigint primary key,
      title text not null,
      body text not null,
      tsv tsvector generated always as (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) stored
    )`.execute(db);
    await sql`create index search_docs_tsv on search_docs using gin (tsv)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_docs').execute();
  for (const t of [
    'deflection_docs',
    'deflections',
    'kb_votes',
    'kb_article_versions',
    'kb_articles',
    'peer_grants',
    'peer_participants',
    'peer_points',
    'peer_solutions',
    'peer_questions',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
