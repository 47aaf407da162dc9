/**
 * Where a person can be reached, according to the organization's own data:
 * the `contact: email` field of the rows an identity matches (the email on the
 * customer row whose account id was given), or of the row that a matched row
 * belongs to (`owner` reference: the contact a job's form belongs to). A
 * verification code for an identity that is not an email goes there, never to
 * an address the requester typed.
 */
import { fieldMatch, identityEquals, parsePhone, type Dataset, type Declaration } from "../declaration/index.js";
import type { Connector, Row } from "../connectors/index.js";
import { datasetTarget, graphOf } from "./collect.js";

export interface ContactChannel {
  /** The address, lower-cased. */
  address: string;
  /** `system.dataset.field` holding it. */
  source: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * The contact addresses that one system holds for an identity.
 *
 * ```ts
 * await findContactChannels(decl, "shop", connector, "account_id", "148") // [{ address: "mary.smith@…", source: "shop.customer.email" }]
 * ```
 */
export async function findContactChannels(decl: Declaration, system: string, connector: Connector, type: string, value: string): Promise<ContactChannel[]> {
  const out: ContactChannel[] = [];
  const region = decl.organization.country;
  const datasets = decl.systems[system]?.datasets ?? {};
  const graph = graphOf(decl);
  const contactsOf = (ds: Dataset) => Object.entries(ds.fields).filter(([, f]) => f.contact === "email").map(([name]) => name);
  const take = (did: string, rows: Row[]) => {
    for (const row of rows) {
      for (const cname of contactsOf(datasets[did])) {
        const address = String(row[cname] ?? "").trim().toLowerCase();
        if (EMAIL.test(address) && !out.some((c) => c.address === address)) out.push({ address, source: `${system}.${did}.${cname}` });
      }
    }
  };
  for (const [did, ds] of Object.entries(datasets)) {
    // The rows this one belongs to, where a contact field is: one owner reference up.
    const owners = graph.edges.filter((e) => e.from === `${system}.${did}` && e.relation === "owner" && !e.crossSystem && contactsOf(datasets[e.to.slice(system.length + 1)] ?? { fields: {} }).length);
    if (!contactsOf(ds).length && !owners.length) continue;
    for (const [fname, f] of Object.entries(ds.fields)) {
      if (f.identity !== type) continue;
      const mode = fieldMatch(f);
      const sel =
        mode === "case_insensitive"
          ? { field: fname, values: [value.toLowerCase()], compare: "fold" as const }
          : mode === "phone"
            ? { field: fname, values: parsePhone(value, region)?.candidates ?? [], compare: "digits" as const }
            : { field: fname, values: [value] };
      const rows = (await connector.find(datasetTarget(did, ds), sel)).filter((row) => identityEquals(mode, row[fname], value, region));
      take(did, rows);
      for (const e of owners) {
        const parent = e.to.slice(system.length + 1);
        const keys = [...new Set(rows.map((r) => r[e.fromField]).filter((v) => v !== null && v !== undefined))] as (string | number)[];
        if (keys.length) take(parent, await connector.find(datasetTarget(parent, datasets[parent]), { field: e.toField, values: keys }));
      }
    }
  }
  return out;
}
