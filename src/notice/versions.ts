/**
 * The published versions of the declaration: each distinct declaration served
 * is kept in the store, so earlier notices stay readable at
 * `/privacy/versions/:version`.
 */
import { appendAudit } from "../audit/index.js";
import { parseDeclaration, type LoadedDeclaration } from "../declaration/index.js";
import type { Store } from "../store/index.js";

export interface PublishedVersion {
  version: string;
  effectiveDate: string;
  hash: string;
  publishedAt: string;
}

/**
 * Records the declaration as published if this exact text is new; returns
 * whether it was. A new text is audited as `declaration.published`.
 */
export async function publishDeclaration(
  store: Store,
  loaded: LoadedDeclaration,
  now: Date = new Date(),
): Promise<{ published: boolean }> {
  const existing = await store.db
    .selectFrom("declaration_versions")
    .select("id")
    .where("hash", "=", loaded.hash)
    .executeTakeFirst();
  if (existing) return { published: false };
  const inserted = await store.db
    .insertInto("declaration_versions")
    .values({
      version: loaded.declaration.version,
      effective_date: loaded.declaration.effectiveDate,
      hash: loaded.hash,
      source: loaded.source,
      file: loaded.file,
      published_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column("hash").doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { published: false };
  await appendAudit(
    store,
    {
      actor: "system",
      action: "declaration.published",
      subject: loaded.declaration.version,
      data: { hash: loaded.hash, effectiveDate: loaded.declaration.effectiveDate, file: loaded.file },
    },
    now,
  );
  return { published: true };
}

/** Every published version, newest first. */
export async function listPublishedVersions(store: Store): Promise<PublishedVersion[]> {
  const rows = await store.db
    .selectFrom("declaration_versions")
    .select(["version", "effective_date", "hash", "published_at"])
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => ({
    version: r.version,
    effectiveDate: r.effective_date,
    hash: r.hash,
    publishedAt: r.published_at,
  }));
}

/** The declaration last published under a version, or undefined. */
export async function getPublishedDeclaration(store: Store, version: string): Promise<LoadedDeclaration | undefined> {
  const row = await store.db
    .selectFrom("declaration_versions")
    .select(["source", "file"])
    .where("version", "=", version)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? parseDeclaration(row.source, row.file) : undefined;
}

/** The declaration published just before the text with `hash`, or undefined for the first. */
export async function previousPublished(store: Store, hash: string): Promise<LoadedDeclaration | undefined> {
  const cur = await store.db
    .selectFrom("declaration_versions")
    .select("id")
    .where("hash", "=", hash)
    .executeTakeFirst();
  if (!cur) return undefined;
  const row = await store.db
    .selectFrom("declaration_versions")
    .select(["source", "file"])
    .where("id", "<", cur.id)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? parseDeclaration(row.source, row.file) : undefined;
}
