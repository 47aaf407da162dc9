/**
 * What a recipient receives, as the declaration says it: the data categories
 * of its own entry and of every purpose that names it, and so the identity
 * types whose values it holds. A recipient told of a person's request is
 * told only those identifiers (GDPR Art 19 asks to pass a request on, not to
 * disclose more of the person than the recipient already has).
 */
import type { Declaration } from "./schema.js";
import { categoryWithin } from "./taxonomy.js";

/** The data categories a recipient receives: its own `dataCategories`, and those of the purposes that list it. */
export function categoriesReceived(decl: Declaration, recipientId: string): string[] {
  const own = Object.hasOwn(decl.recipients, recipientId) ? decl.recipients[recipientId].dataCategories : [];
  const viaPurposes = Object.values(decl.purposes)
    .filter((p) => p.recipients.includes(recipientId))
    .flatMap((p) => p.dataCategories);
  return [...new Set([...own, ...viaPurposes])];
}

/** Identity types whose values are a data category of their own: a recipient of that category received them. */
const IDENTITY_CATEGORIES: Record<string, string> = {
  email: "user.contact.email",
  phone: "user.contact.phone_number",
};

/**
 * The identity types a recipient received: those held in a declared field
 * whose category lies within a category the recipient receives (a device id
 * stored as `user.device.cookie_id` reaches a recipient of `user.device`),
 * and email addresses and phone numbers when it receives their category.
 */
export function identitiesReceived(decl: Declaration, recipientId: string): string[] {
  const received = categoriesReceived(decl, recipientId);
  const types = new Set<string>(
    Object.entries(IDENTITY_CATEGORIES)
      .filter(([, cat]) => received.some((r) => categoryWithin(cat, r)))
      .map(([t]) => t),
  );
  for (const system of Object.values(decl.systems)) {
    for (const ds of Object.values(system.datasets)) {
      for (const f of Object.values(ds.fields)) {
        if (f.identity && f.category && received.some((r) => categoryWithin(f.category!, r))) types.add(f.identity);
      }
    }
  }
  return [...types].sort();
}
