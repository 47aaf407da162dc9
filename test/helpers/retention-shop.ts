/**
 * A shop with retention rules, on PostgreSQL, MariaDB or SQLite, as production
 * looks: mixed-case emails, lower-case country codes, a composite key, DATE and
 * DATETIME clocks, SQLite dates in two text forms, invoices the bookkeeping law
 * requires. Now is 2026-11-20T12:00:00Z.
 */
import { openSql, type Engine, type Row } from "./rental-shop.js";

export const NOW = new Date("2026-11-20T12:00:00Z");

const T = (engine: Engine) => (engine === "postgres" ? "timestamp" : engine === "mysql" ? "datetime" : "TEXT");
const S = (engine: Engine) => (engine === "sqlite" ? "TEXT" : "varchar(120)");

export function retentionDdl(engine: Engine): string[] {
  const t = T(engine);
  const s = S(engine);
  const d = engine === "sqlite" ? "TEXT" : "date";
  return [
    `CREATE TABLE accounts (id int PRIMARY KEY, email ${s}, type ${s} NOT NULL, country ${s}, created_at ${t} NOT NULL, last_login_at ${t}, closed_at ${t})`,
    `CREATE TABLE orders (id int PRIMARY KEY, account_id int NOT NULL REFERENCES accounts(id), placed_at ${t} NOT NULL, shipping_address ${s})`,
    `CREATE TABLE order_lines (order_id int NOT NULL REFERENCES orders(id), line_no int NOT NULL, sku ${s}, PRIMARY KEY (order_id, line_no))`,
    `CREATE TABLE invoices (id int PRIMARY KEY, order_id int NOT NULL REFERENCES orders(id), billing_name ${s} NOT NULL, billing_email ${s}, amount int NOT NULL, issued_at ${d} NOT NULL)`,
    `CREATE TABLE sessions (id int PRIMARY KEY, account_id int NOT NULL REFERENCES accounts(id), started_at ${t} NOT NULL, ip ${s})`,
    `CREATE TABLE events (id int PRIMARY KEY, email ${s}, ip ${s}, created_at ${t} NOT NULL)`,
    `CREATE TABLE affiliates (id int PRIMARY KEY, email ${s}, name ${s}, country ${s}, last_login_at ${t}, last_commission_at ${d})`,
  ];
}

/** Events 1..50, one every 15 days back from now; on SQLite, even ids in ISO form with T and Z. */
export function eventRows(engine: Engine): Row[] {
  return Array.from({ length: 50 }, (_, i) => {
    const id = i + 1;
    const at = new Date(NOW.getTime() - id * 15 * 86_400_000);
    const text =
      engine === "sqlite" && id % 2 === 0 ? at.toISOString() : at.toISOString().slice(0, 19).replace("T", " ");
    return {
      id,
      email: id % 3 === 0 ? `User${id}@Example.COM` : `user${id}@example.com`,
      ip: `10.0.0.${id}`,
      created_at: text,
    };
  });
}

export function retentionRows(engine: Engine): Record<string, Row[]> {
  return {
    accounts: [
      {
        id: 1,
        email: "Ada@Example.com",
        type: "paid",
        country: "DE",
        created_at: "2020-01-01 00:00:00",
        last_login_at: "2026-11-01 09:00:00",
        closed_at: null,
      },
      {
        id: 2,
        email: "bob@example.com",
        type: "paid",
        country: "SE",
        created_at: "2021-01-01 00:00:00",
        last_login_at: "2025-12-20 09:00:00",
        closed_at: "2026-01-01 10:00:00",
      },
      {
        id: 3,
        email: "cy@example.com",
        type: "paid",
        country: "us",
        created_at: "2022-01-01 00:00:00",
        last_login_at: "2026-10-30 09:00:00",
        closed_at: "2026-11-01 10:00:00",
      },
      {
        id: 4,
        email: "DEE@example.com",
        type: "free",
        country: "FR",
        created_at: "2024-01-01 00:00:00",
        last_login_at: "2025-06-01 09:00:00",
        closed_at: null,
      },
      {
        id: 5,
        email: "eve@example.com",
        type: "free",
        country: "FR",
        created_at: "2024-01-01 00:00:00",
        last_login_at: "2026-10-01 09:00:00",
        closed_at: null,
      },
      {
        id: 6,
        email: "fay@example.com",
        type: "paid",
        country: "DE",
        created_at: "2019-01-01 00:00:00",
        last_login_at: "2024-01-01 09:00:00",
        closed_at: null,
      },
      {
        id: 7,
        email: "gus@example.com",
        type: "paid",
        country: "DE",
        created_at: "2019-01-01 00:00:00",
        last_login_at: "2025-11-01 09:00:00",
        closed_at: "2025-12-01 10:00:00",
      },
    ],
    orders: [
      { id: 10, account_id: 2, placed_at: "2025-10-01 12:00:00", shipping_address: "Storgatan 1" },
      { id: 11, account_id: 2, placed_at: "2025-11-01 12:00:00", shipping_address: "Storgatan 1" },
      { id: 12, account_id: 1, placed_at: "2018-01-01 12:00:00", shipping_address: "Hauptstr 5" },
      { id: 13, account_id: 3, placed_at: "2026-10-01 12:00:00", shipping_address: "Main St 9" },
      { id: 14, account_id: 4, placed_at: "2024-02-01 12:00:00", shipping_address: "Rue 3" },
      { id: 15, account_id: 7, placed_at: "2025-10-01 12:00:00", shipping_address: "Weg 7" },
    ],
    order_lines: [
      { order_id: 10, line_no: 1, sku: "TENT" },
      { order_id: 10, line_no: 2, sku: "STOVE" },
      { order_id: 11, line_no: 1, sku: "BOOTS" },
      { order_id: 12, line_no: 1, sku: "MAP" },
      { order_id: 13, line_no: 1, sku: "CUP" },
      { order_id: 14, line_no: 1, sku: "SOCKS" },
    ],
    invoices: [
      {
        id: 100,
        order_id: 10,
        billing_name: "Bob Berg",
        billing_email: "bob@example.com",
        amount: 12900,
        issued_at: "2025-10-01",
      },
      {
        id: 101,
        order_id: 12,
        billing_name: "Ada Lovelace",
        billing_email: "ada@example.com",
        amount: 900,
        issued_at: "2018-01-01",
      },
      {
        id: 102,
        order_id: 13,
        billing_name: "Cy Young",
        billing_email: "cy@example.com",
        amount: 500,
        issued_at: "2026-10-01",
      },
    ],
    sessions: [
      { id: 20, account_id: 1, started_at: "2026-11-10 08:00:00", ip: "10.1.0.1" },
      { id: 21, account_id: 2, started_at: "2025-12-20 08:00:00", ip: "10.1.0.2" },
      { id: 22, account_id: 2, started_at: "2025-12-21 08:00:00", ip: "10.1.0.3" },
      { id: 23, account_id: 3, started_at: "2026-10-30 08:00:00", ip: "10.1.0.4" },
    ],
    events: eventRows(engine),
    affiliates: [
      {
        id: 1,
        email: "Aff1@Example.com",
        name: "Anna",
        country: "DE",
        last_login_at: "2025-01-01 00:00:00",
        last_commission_at: "2025-02-01",
      },
      {
        id: 2,
        email: "aff2@example.com",
        name: "Bert",
        country: "de",
        last_login_at: "2025-01-01 00:00:00",
        last_commission_at: "2026-06-01",
      },
      {
        id: 3,
        email: "aff3@example.com",
        name: "Carl",
        country: "US",
        last_login_at: "2020-01-01 00:00:00",
        last_commission_at: "2020-01-01",
      },
      {
        id: 4,
        email: "aff4@example.com",
        name: "Dora",
        country: "FR",
        last_login_at: null,
        last_commission_at: "2024-05-01",
      },
      { id: 5, email: "aff5@example.com", name: "Emil", country: "FR", last_login_at: null, last_commission_at: null },
    ],
  };
}

export async function buildRetentionShop(engine: Engine, target: string): Promise<void> {
  const sql = await openSql(engine, target);
  try {
    for (const s of retentionDdl(engine)) await sql.query(s);
    for (const [table, rows] of Object.entries(retentionRows(engine))) {
      for (const r of rows)
        await sql.query(
          `INSERT INTO ${table} (${Object.keys(r).join(", ")}) VALUES (${Object.keys(r)
            .map(() => "?")
            .join(", ")})`,
          Object.values(r),
        );
    }
  } finally {
    await sql.close();
  }
}

/** The declaration of the shop's system on one engine (its connector reads the URL or path from SHOP_DB). */
export function retentionDeclaration(engine: Engine): string {
  const connector =
    engine === "sqlite" ? "{ engine: sqlite, path: { env: SHOP_DB } }" : `{ engine: ${engine}, url: { env: SHOP_DB } }`;
  return `version: "1"
effectiveDate: 2026-01-01
organization:
  name: Retention Shop AB
  roles: [controller]
  country: SE
  contact: { email: privacy@shop.example }
  jurisdictions: [EU]
purposes:
  selling:
    name: Selling
    legalBasis: contract
    dataCategories: [user.contact.email, user.name, user.contact.address, user.device.ip_address]
    dataSubjects: [customer]
    systems: [shop]
    retention: closed_accounts
  bookkeeping:
    name: Bookkeeping
    legalBasis: legal_obligation
    dataCategories: [user.name, user.financial.billing_history, user.contact.email]
    dataSubjects: [customer]
    systems: [shop]
    retention: bookkeeping
  affiliate_programme:
    name: Affiliate programme
    legalBasis: contract
    dataCategories: [user.contact.email, user.name]
    dataSubjects: [customer]
    systems: [shop]
    retention: affiliate_inactivity
systems:
  shop:
    name: Shop
    connector: ${connector}
    datasets:
      accounts:
        subject: customer
        retention:
          - { rule: closed_accounts, clock: closed_at }
          - { rule: free_trials, clock: [created_at, last_login_at], where: { type: free } }
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email, masking: hmac }
          type: {}
          country: {}
          created_at: {}
          last_login_at: {}
          closed_at: {}
      orders:
        fields:
          id: { primaryKey: true }
          account_id: { references: accounts.id }
          placed_at: {}
          shipping_address: { category: user.contact.address }
      order_lines:
        fields:
          order_id: { primaryKey: true, references: orders.id }
          line_no: { primaryKey: true }
          sku: { category: user.behavior.purchase_history }
      invoices:
        retention: { rule: bookkeeping, clock: issued_at }
        fields:
          id: { primaryKey: true }
          order_id: { references: orders.id }
          billing_name: { category: user.name }
          billing_email: { category: user.contact.email }
          amount: { category: user.financial.billing_history }
          issued_at: {}
      sessions:
        retention: { rule: closed_accounts, clock: accounts.closed_at }
        fields:
          id: { primaryKey: true }
          account_id: { references: accounts.id }
          started_at: {}
          ip: { category: user.device.ip_address }
      events:
        retention: { rule: web_events, clock: created_at }
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
          ip: { category: user.device.ip_address }
          created_at: {}
      affiliates:
        retention: { rule: affiliate_inactivity, clock: [last_login_at, last_commission_at], countryField: country }
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email, masking: hmac }
          name: { category: user.name, masking: fixed, maskValue: "[removed]" }
          country: {}
          last_login_at: {}
          last_commission_at: {}
retention:
  closed_accounts: { period: 6 weeks, from: account_closure, action: delete }
  free_trials: { period: 1 year, from: last_activity, action: delete }
  bookkeeping:
    period: 7 years
    from: collection
    action: delete
    exceptions:
      - { reason: the bookkeeping law requires invoices for 7 years, basis: legal_obligation, dataCategories: [user.name, user.financial.billing_history] }
  web_events: { period: 14 months, from: collection, action: delete }
  affiliate_inactivity: { period: 1 year, from: last_activity, action: deidentify, jurisdictions: [EU] }
rights:
  offered: [access, erasure]
  channels: [{ type: email, address: privacy@shop.example }]
`;
}
