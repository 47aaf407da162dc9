/** Migrations, numbered and shipped with the code; the store runs them at open. */
import type { Migration, MigrationProvider } from "kysely";
import { initial } from "./0001-initial.js";
import { requests } from "./0002-requests.js";
import { legalHolds } from "./0003-legal-holds.js";
import { consent } from "./0004-consent.js";
import { auditPending } from "./0005-audit-pending.js";
import { requestProof } from "./0006-request-proof.js";
import { redactMailProof } from "./0007-redact-mail-proof.js";
import { appeals } from "./0008-appeals.js";
import { retention } from "./0009-retention.js";
import { governance } from "./0010-governance.js";
import { discovery } from "./0011-discovery.js";
import { staffAccounts } from "./0012-staff-accounts.js";
import { newsletterLinks } from "./0013-newsletter-links.js";
import { consentPropagation } from "./0014-consent-propagation.js";
import { identityForms } from "./0015-identity-forms.js";
import { requestWorkbench } from "./0016-request-workbench.js";
import { consentDaily } from "./0017-consent-daily.js";
import { protocols } from "./0018-protocols.js";

export interface MigrationContext {
  /** The column type of an auto-incrementing integer key on this engine. */
  autoIncrementType: "integer" | "serial";
  /** The column type of binary data on this engine. */
  blobType: "blob" | "bytea";
}

const MIGRATIONS: Record<string, (ctx: MigrationContext) => Migration> = {
  "0001-initial": initial,
  "0002-requests": requests,
  "0003-legal-holds": legalHolds,
  "0004-consent": consent,
  "0005-audit-pending": auditPending,
  "0006-request-proof": requestProof,
  "0007-redact-mail-proof": redactMailProof,
  "0008-appeals": appeals,
  "0009-retention": retention,
  "0010-governance": governance,
  "0011-discovery": discovery,
  "0012-staff-accounts": staffAccounts,
  "0013-newsletter-links": newsletterLinks,
  "0014-consent-propagation": consentPropagation,
  "0015-identity-forms": identityForms,
  "0016-request-workbench": requestWorkbench,
  "0017-consent-daily": consentDaily,
  "0018-protocols": protocols,
};

/** A Kysely migration provider over the migrations above. */
export function migrationProvider(ctx: MigrationContext): MigrationProvider {
  return {
    async getMigrations() {
      return Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]) => [name, m(ctx)]));
    },
  };
}
