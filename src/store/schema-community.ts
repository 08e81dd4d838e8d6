/** Table types of peer support and the knowledge base (questions, solutions, points, articles, deflections, search). */

export interface PeerQuestionsTable {
  number: number;
  platform: string;
  space: string;
  channel: string;
  link: string | null;
  asker: string;
  asker_key: string;
  title: string;
  body: string;
  status: string;
  ticket: number | null;
  answered_at: number | null;
  pinged_at: number | null;
  solved_at: number | null;
  closed_at: number | null;
  created_at: number;
  activity_at: number;
  revision: number;
}

export interface PeerSolutionsTable {
  question: number;
  message: string;
  link: string | null;
  author: string;
  text: string;
  marked_by: string;
  at: number;
}

export interface PeerPointsTable {
  id: string;
  person: string;
  name: string;
  question: number;
  kind: string;
  points: number;
  given_by: string;
  message: string;
  at: number;
}

export interface PeerParticipantsTable {
  question: number;
  /** `platform:id`. */
  person: string;
}

export interface PeerGrantsTable {
  person: string;
  grp: string;
  at: number;
}

export interface KbArticlesTable {
  id: number;
  title: string;
  body: string;
  tags: string;
  source_kind: string | null;
  source_ref: string | null;
  author: string;
  state: string;
  helpful: number;
  not_helpful: number;
  version: number;
  created_at: number;
  updated_at: number;
  published_at: number | null;
  revision: number;
}

export interface KbArticleVersionsTable {
  article: number;
  version: number;
  title: string;
  body: string;
  tags: string;
  state: string;
  editor: string;
  note: string | null;
  at: number;
}

export interface KbVotesTable {
  article: number;
  voter: string;
  vote: string;
  at: number;
}

export interface DeflectionsTable {
  id: string;
  requester: string;
  requester_key: string;
  input: string;
  place: string;
  outcome: string;
  helped_by: string | null;
  ticket: number | null;
  created_at: number;
  decided_at: number | null;
}

export interface DeflectionDocsTable {
  deflection: string;
  doc: string;
  position: number;
}

export interface SearchDocsTable {
  /** SQLite: the FTS5 rowid; PostgreSQL: the id column. */
  rowid: number;
  id: number;
  title: string;
  body: string;
}
