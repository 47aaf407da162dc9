/** The tables of Pledge's own store, as Kysely sees them. Times are ISO-8601 text in UTC. */
import type { Generated } from "kysely";

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface DeclarationVersionTable {
  id: Generated<number>;
  version: string;
  effective_date: string;
  hash: string;
  source: string;
  file: string;
  published_at: string;
}

export interface Database {
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  declaration_versions: DeclarationVersionTable;
}
