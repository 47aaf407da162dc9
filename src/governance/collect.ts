/**
 * Collecting named people's rows for governance: a disclosure to an authority
 * uses the same collection as an access request, through the same graph and
 * connectors, identities found on the way included.
 */
import { createConnector, type Connector, type Row } from "../connectors/index.js";
import { normalizeIdentity, phoneRegions, type Declaration } from "../declaration/index.js";
import { collectSystem, mergeIdentities, notReached, type Identities } from "../execution/index.js";
import { GovernanceError, type GovernanceContext } from "./model.js";

/**
 * An account named as `type:value` (`email:ada@example.com`, `phone:+4670…`, `account_id:42`) or as a bare email,
 * canonical.
 */
export function parseIdentity(decl: Declaration, text: string): { type: string; value: string } {
  const t = text.trim();
  const m = /^([a-z_]+):(.+)$/.exec(t);
  const types = new Set(
    Object.values(decl.systems)
      .flatMap((s) => Object.values(s.datasets).flatMap((d) => Object.values(d.fields).map((f) => f.identity)))
      .filter((x): x is string => !!x),
  );
  if (m && types.has(m[1])) return { type: m[1], value: normalizeIdentity(m[1], m[2], phoneRegions(decl)) };
  if (/^[^\s@:]+@[^\s@]+$/.test(t)) return { type: "email", value: normalizeIdentity("email", t) };
  throw new GovernanceError(
    "INVALID",
    `'${t}': name an account as type:value with a declared identity type (${[...types].join(", ")}) or as an email`,
  );
}

/** JSON that keeps what databases return: big integers and bytes as text, dates as ISO. */
export function jsonOf(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) =>
      typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v,
    2,
  );
}

export interface PeopleRows {
  systems: Record<string, Record<string, Row[]>>;
  identities: Identities;
  /** Systems and datasets not searched; `failed` where a system could not be read (an error, not a manual system). */
  notReached: { system: string; dataset?: string; why: string; failed?: boolean }[];
}

/**
 * Every row that belongs to the people with `identities`, in every system with a
 * connector. Stops when the identities match several people's rows in a
 * dataset of people: an authority gets no one else's data.
 */
export async function collectPeople(ctx: GovernanceContext, identities: Identities): Promise<PeopleRows> {
  const decl = ctx.declaration();
  let current = identities;
  const out: PeopleRows = { systems: {}, identities: current, notReached: [] };
  for (let round = 0; round < 4; round++) {
    out.systems = {};
    out.notReached = [];
    let grew = false;
    for (const [sid, sys] of Object.entries(decl.systems)) {
      let c: Connector | undefined;
      try {
        c = createConnector(sid, sys.connector, ctx.env, ctx.cwd, { readOnly: true });
      } catch (err) {
        out.notReached.push({ system: sid, why: (err as Error).message, failed: true });
        continue;
      }
      if (!c) {
        out.notReached.push({ system: sid, why: "no connector: collect by hand" });
        continue;
      }
      try {
        const col = await collectSystem(decl, sid, c, current);
        if (col.ambiguous.length)
          throw new GovernanceError(
            "CONFLICT",
            `the accounts match several people's rows in ` +
              `${col.ambiguous.map((a) => `${sid}.${a.dataset} (${a.rows} rows)`).join(", ")}` +
              `: name them by a more exact identity`,
          );
        out.systems[sid] = Object.fromEntries(
          Object.entries(col.datasets)
            .map(([d, rows]) => [d, rows.filter((r) => r.own).map((r) => r.row)])
            .filter(([, rows]) => (rows as Row[]).length),
        );
        for (const n of notReached(decl, col)) out.notReached.push({ system: sid, ...n });
        const m = mergeIdentities(current, col.discovered);
        if (m.grew) {
          current = m.merged;
          grew = true;
        }
      } catch (err) {
        if (err instanceof GovernanceError) throw err;
        out.notReached.push({ system: sid, why: (err as Error).message, failed: true });
      } finally {
        await c.close().catch(() => {});
      }
    }
    out.identities = current;
    if (!grew) return out;
  }
  return out;
}
