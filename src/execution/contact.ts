/**
 * Where a person can be reached, according to the organization's own data:
 * the `contact: email` field of the rows an identity matches (the email on the
 * customer row whose account id was given), or of the row that a matched row
 * belongs to (`owner` reference: the contact a job's form belongs to), or of
 * the rows that point at a matched detail row (the customer whose address row
 * holds the phone asked by). A
 * verification code for an identity that is not an email goes there, never to
 * an address the requester typed.
 */
import { contactSources, fieldMatch, phoneRegions, type Declaration } from "../declaration/index.js";
import type { Connector, Row, Value } from "../connectors/index.js";
import { datasetTarget, findByIdentity, graphOf } from "./collect.js";

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
 * await findContactChannels(decl, "shop", connector, "account_id", "148") // [{ address: "mary.smith@…", source:
 * "shop.customer.email" }]
 * ```
 */
export async function findContactChannels(
  decl: Declaration,
  system: string,
  connector: Connector,
  type: string,
  value: string | readonly string[],
): Promise<ContactChannel[]> {
  const values = typeof value === "string" ? [value] : [...value];
  const out: ContactChannel[] = [];
  const datasets = decl.systems[system]?.datasets ?? {};
  const graph = graphOf(decl);
  const take = (did: string, rows: Row[]) => {
    for (const row of rows) {
      for (const [cname, f] of Object.entries(datasets[did].fields)) {
        if (f.contact !== "email") continue;
        const address = String(row[cname] ?? "")
          .trim()
          .toLowerCase();
        if (EMAIL.test(address) && !out.some((c) => c.address === address))
          out.push({ address, source: `${system}.${did}.${cname}` });
      }
    }
  };
  for (const [did, ds] of Object.entries(datasets)) {
    const sources = contactSources(graph, `${system}.${did}`);
    if (!sources.length) continue;
    for (const [fname, f] of Object.entries(ds.fields)) {
      if (f.identity !== type) continue;
      const rows = (await findByIdentity(connector, did, ds, fname, fieldMatch(f), values, phoneRegions(decl))).map(
        (h) => h.row,
      );
      for (const source of sources) {
        const parent = source.key.slice(system.length + 1);
        if (!source.via) {
          take(did, rows);
          continue;
        }
        // Up to the row a matched row belongs to, or back to the rows that point at a matched detail row (the
        // customer whose address holds the phone).
        const [here, there] = source.referrer
          ? [source.via.toField, source.via.fromField]
          : [source.via.fromField, source.via.toField];
        const keys = [...new Set(rows.map((r) => r[here]).filter((v) => v !== null && v !== undefined))] as Value[];
        if (keys.length)
          take(parent, await connector.find(datasetTarget(parent, datasets[parent]), { field: there, values: keys }));
      }
    }
  }
  return out;
}
