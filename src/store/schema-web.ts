/** Row types of the dashboard's and the API's tables (schema.ts holds the Database that names them). */

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

/** The dashboard's sign-in (migrations/2026-12-07-10-web.ts). */
export interface WebSettingsTable {
  name: string;
  value: string;
}
export interface WebLoginLinksTable {
  nonce: string;
  person: string;
  expires_at: number;
  used_at: number | null;
}
export interface WebSessionsTable {
  token_hash: string;
  person: string;
  csrf: string;
  created_at: number;
  expires_at: number;
}
