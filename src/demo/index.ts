/**
 * The demo's data stores, created on first start under `.pledge/demo/`: a shop
 * database (customers, orders, order items, invoices), a support database
 * (tickets, messages) and a JSON-lines web access log, for a few thousand
 * fictional people. Ada Lovelace (ada@example.net) has rows in all of them.
 * The data is as untidy as real data: some emails are stored in mixed or upper
 * case (Grace Hopper is `Grace.Hopper@Example.NET` in the shop), and phone
 * numbers are written in five formats.
 *
 * Rows have many ages, counted back from the day the stores are created, so
 * that `pledge retention plan` has real work on a fresh start: accounts closed
 * weeks or years ago, customers inactive for years, invoices older than the
 * bookkeeping period, support tickets and log lines past their limits, and a
 * rotated log whose every line has expired. Ada and Grace stay active.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { SQL_ADAPTERS } from "../connectors/index.js";

export { seedDemoWork } from "./seed.js";
export {
  startDemoVendors,
  startFakeVendors,
  STAND_IN_LABEL,
  type DemoVendors,
  type FakeVendors,
  type ReceivedCall,
} from "./vendors.js";

const sqliteAdapter = SQL_ADAPTERS.sqlite;

export const DEMO_PERSON = { email: "ada@example.net", name: "Ada Lovelace", phone: "+44 20 7946 0001" };
/** Stored in mixed case in the shop and in upper case in the support desk. */
export const DEMO_MIXED_CASE_PERSON = {
  email: "Grace.Hopper@Example.NET",
  name: "Grace Hopper",
  phone: "+1 (212) 555-0100",
};

/** A Swedish mobile number (national 70 1dd dd dd) in one of the five ways people write it. */
function swedishPhone(i: number): string {
  const n = `701${String(i % 1_000_000).padStart(6, "0")}`;
  switch (i % 5) {
    case 0:
      return `+46 ${n.slice(0, 2)} ${n.slice(2, 5)} ${n.slice(5, 7)} ${n.slice(7)}`;
    case 1:
      return `0${n.slice(0, 2)}-${n.slice(2, 5)} ${n.slice(5, 7)} ${n.slice(7)}`;
    case 2:
      return `0${n}`;
    case 3:
      return `+46${n}`;
    default:
      return `(0${n.slice(0, 2)}) ${n.slice(2, 5)} ${n.slice(5)}`;
  }
}

/** The phone column stripped to its digits, as the SQLite connector compares it. */
const PHONE_DIGITS = `${sqliteAdapter.digits[0]}phone${sqliteAdapter.digits[1]}`;

/** A small deterministic PRNG (mulberry32), so every demo is the same. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  "Alva",
  "Björn",
  "Clara",
  "Dag",
  "Ebba",
  "Frans",
  "Greta",
  "Hugo",
  "Ines",
  "Jon",
  "Karin",
  "Leo",
  "Maja",
  "Nils",
  "Olga",
  "Per",
  "Rut",
  "Sven",
  "Tove",
  "Ulf",
  "Vera",
  "Wilma",
  "Axel",
  "Elsa",
];
const LAST = [
  "Andersson",
  "Berg",
  "Carlsson",
  "Dahl",
  "Ek",
  "Falk",
  "Gran",
  "Holm",
  "Isaksson",
  "Johansson",
  "Karlsson",
  "Lund",
  "Moberg",
  "Nyberg",
  "Olsson",
  "Persson",
  "Rask",
  "Sandberg",
  "Torn",
  "Wallin",
];
const CITIES = [
  "Stockholm",
  "Göteborg",
  "Malmö",
  "Uppsala",
  "Umeå",
  "Lund",
  "Berlin",
  "Oslo",
  "Helsinki",
  "Copenhagen",
];
const SKUS = ["TENT-2P", "BAG-40L", "STOVE-MINI", "JACKET-SHELL", "BOOTS-HIKE", "LAMP-HEAD", "MAT-SLEEP", "POLES-TREK"];
const PATHS = ["/", "/tents", "/packs", "/jackets", "/boots", "/cart", "/checkout", "/account", "/blog/trail-notes"];

export interface DemoSize {
  customers: number;
  tickets: number;
  logLines: number;
}

/**
 * Creates the demo data stores if they do not exist yet; returns whether it created them.
 *
 * ```ts
 * ensureDemoData(".pledge/demo");
 * ```
 */
export function ensureDemoData(
  dir: string,
  size: DemoSize = { customers: 3000, tickets: 1200, logLines: 20000 },
  now: Date = new Date(),
): boolean {
  if (existsSync(join(dir, "shop.db"))) return false;
  // Built aside and moved into place at once: two demo servers started together in one directory never see, or write
  // into, half a data set. The one that moves second finds it there and keeps what is there.
  mkdirSync(dirname(dir), { recursive: true });
  const aside = `${dir}.building-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    buildDemoData(aside, size, now);
    if (existsSync(dir) && !existsSync(join(dir, "shop.db"))) rmSync(dir, { recursive: true, force: true });
    renameSync(aside, dir);
    return true;
  } catch (err) {
    if (existsSync(join(dir, "shop.db"))) return false;
    throw err;
  } finally {
    rmSync(aside, { recursive: true, force: true });
  }
}

function buildDemoData(dir: string, size: DemoSize, now: Date): void {
  const shopPath = join(dir, "shop.db");
  mkdirSync(join(dir, "logs"), { recursive: true });
  const r = rng(20260115);
  // A second stream for what retention needs, so the people, orders and tickets stay those of every earlier demo.
  const r2 = rng(20261122);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const DAY = 86_400_000;
  /** A time `offset` (0–320) spread over the last `years` years. */
  const ago = (offset: number, years: number) =>
    new Date(now.getTime() - Math.round((offset / 320) * years * 365) * DAY - Math.floor(r2() * DAY)).toISOString();
  const day = (offset: number) => ago(offset, 6);

  const people = Array.from({ length: size.customers }, (_, i) => {
    if (i === 0) return { ...DEMO_PERSON, address: "12 St James's Square, London" };
    if (i === 1) return { ...DEMO_MIXED_CASE_PERSON, address: "1 Navy Yard, Arlington" };
    const f = pick(FIRST);
    const l = pick(LAST);
    // One in seven people typed their email with capitals, as real sign-up forms keep it.
    const email = `${f.toLowerCase()}.${l.toLowerCase()}.${i}@example.net`;
    return {
      email: i % 7 === 3 ? `${f}.${l}.${i}@Example.net` : email,
      name: `${f} ${l}`,
      phone: swedishPhone(i),
      address: `${1 + Math.floor(r() * 90)} Storgatan, ${pick(CITIES)}`,
    };
  });

  const shop = new BetterSqlite3(shopPath);
  shop.pragma("journal_mode = WAL");
  shop.exec(`
    CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, phone TEXT,
      address TEXT, birthday TEXT, loyalty_points INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, last_login_at
      TEXT, closed_at TEXT);
    -- The indexes \`pledge check --live\` asks for: emails match in any case, phones by their digits.
    CREATE INDEX customers_email_lower ON customers(lower(email));
    CREATE INDEX customers_phone_digits ON customers(${PHONE_DIGITS});
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), placed_at TEXT
      NOT NULL, total_cents INTEGER NOT NULL, shipping_address TEXT);
    CREATE INDEX orders_customer ON orders(customer_id);
    CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), sku TEXT NOT
      NULL, quantity INTEGER NOT NULL, price_cents INTEGER NOT NULL);
    CREATE INDEX order_items_order ON order_items(order_id);
    CREATE TABLE invoices (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), billing_name TEXT
      NOT NULL, billing_address TEXT NOT NULL, buyer_email TEXT, amount_cents INTEGER NOT NULL, issued_at TEXT NOT
      NULL);
    CREATE INDEX invoices_order ON invoices(order_id);
  `);
  const insC = shop.prepare("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const insO = shop.prepare("INSERT INTO orders VALUES (?, ?, ?, ?, ?)");
  const insI = shop.prepare("INSERT INTO order_items VALUES (?, ?, ?, ?, ?)");
  const insV = shop.prepare("INSERT INTO invoices VALUES (?, ?, ?, ?, ?, ?, ?)");
  let orderId = 0;
  let itemId = 0;
  shop.transaction(() => {
    people.forEach((p, i) => {
      const id = i + 1;
      const birthday = `19${50 + Math.floor(r() * 50)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`;
      const points = Math.floor(r() * 500);
      const created = day(Math.floor(r() * 300));
      // Ada and Grace are active; of the rest, one in twelve closed their account (weeks to years ago), and logins run
      // from yesterday to years back.
      const active = i < 2;
      const lastLogin = active
        ? new Date(now.getTime() - DAY).toISOString()
        : r2() < 0.1
          ? null
          : new Date(Math.max(Date.parse(created), now.getTime() - Math.floor(r2() * 4 * 365) * DAY)).toISOString();
      const closed =
        !active && r2() < 1 / 12 ? new Date(now.getTime() - Math.floor(7 + r2() * 700) * DAY).toISOString() : null;
      insC.run(id, p.email, p.name, p.phone, p.address, birthday, points, created, lastLogin, closed);
      const orders = i === 0 ? 3 : Math.floor(r() * 5);
      for (let o = 0; o < orders; o++) {
        orderId++;
        let total = 0;
        const items = 1 + Math.floor(r() * 3);
        const rows: [number, number, string, number, number][] = [];
        for (let k = 0; k < items; k++) {
          const price = 1000 + Math.floor(r() * 20000);
          const qty = 1 + Math.floor(r() * 2);
          total += price * qty;
          rows.push([++itemId, orderId, pick(SKUS), qty, price]);
        }
        // Orders over nine years: the oldest invoices are past the seven years of the bookkeeping law.
        const at = ago(Math.floor(r() * 320), i < 2 ? 3 : 9);
        insO.run(orderId, id, at, total, p.address);
        rows.forEach((row) => insI.run(...row));
        insV.run(orderId, orderId, p.name, p.address, p.email, total, at);
      }
    });
  })();
  shop.close();

  const support = new BetterSqlite3(join(dir, "support.db"));
  support.pragma("journal_mode = WAL");
  support.exec(`
    CREATE TABLE tickets (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, subject TEXT NOT NULL, created_at
      TEXT NOT NULL);
    CREATE INDEX tickets_email ON tickets(lower(email));
    CREATE TABLE messages (id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets(id), body TEXT NOT
      NULL);
    CREATE INDEX messages_ticket ON messages(ticket_id);
  `);
  const insT = support.prepare("INSERT INTO tickets VALUES (?, ?, ?, ?, ?)");
  const insM = support.prepare("INSERT INTO messages VALUES (?, ?, ?)");
  let msgId = 0;
  support.transaction(() => {
    for (let t = 1; t <= size.tickets; t++) {
      const p = t <= 2 ? people[0] : t === 3 ? people[1] : pick(people);
      // The support desk upper-cases the addresses of tickets that came in by mail.
      const email = t === 3 || t % 11 === 0 ? p.email.toUpperCase() : p.email;
      insT.run(
        t,
        email,
        p.name,
        t === 1
          ? "Where is my tent?"
          : t === 2
            ? "Boots too small"
            : t === 3
              ? "Compass keeps pointing at the bug"
              : `Question about ${pick(SKUS)}`,
        t <= 3 ? ago(Math.floor(r() * 320), 1) : ago(Math.floor(r() * 320), 4),
      );
      const n = 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++)
        insM.run(++msgId, t, k === 0 ? `Hello, this is ${p.name}. I have a question.` : "Thanks for your help!");
    }
  })();
  support.close();

  const lines: string[] = [];
  for (let i = 0; i < size.logLines; i++) {
    const who = i < 30 ? 0 : i < 40 ? 1 : Math.floor(r() * people.length);
    const loggedIn = i < 20 || (i >= 30 && i < 35) || r() < 0.4;
    lines.push(
      JSON.stringify({
        // Spread over the last 150 days: those older than 90 are past the log's limit (Ada's and Grace's are recent).
        time: new Date(
          now.getTime() - (i < 40 ? i * 60_000 : Math.floor(((i - 40) / Math.max(size.logLines - 40, 1)) * 150 * DAY)),
        ).toISOString(),
        ip: `10.${who % 250}.${Math.floor(who / 250) % 250}.${1 + (who % 200)}`,
        user_email: loggedIn ? people[who].email.toLowerCase() : null,
        visitor_id: `v-${who.toString(36)}-${(who * 7919).toString(36)}`,
        path: pick(PATHS),
        user_agent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
      }),
    );
  }
  writeFileSync(join(dir, "logs", "access.jsonl"), `${lines.join("\n")}\n`);
  // Last year's rotated log: every line long past the limit, so the sweep deletes the file.
  const rotated = Array.from({ length: Math.min(200, size.logLines) }, (_, i) =>
    JSON.stringify({
      time: new Date(now.getTime() - (200 + i) * DAY).toISOString(),
      ip: `10.200.0.${1 + (i % 200)}`,
      user_email: null,
      visitor_id: `v-old-${i}`,
      path: pick(PATHS),
      user_agent: "Mozilla/5.0",
    }),
  );
  writeFileSync(join(dir, "logs", "access.jsonl.1"), `${rotated.join("\n")}\n`);
}
