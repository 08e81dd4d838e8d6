/** Row types of the API and integrations' tables (schema.ts holds the Database that names them). */

/** Personal API tokens (migrations/2026-12-08-71-api-tokens.ts). */
export interface ApiTokensTable {
  id: string;
  person: string;
  scope: string;
  label: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}
