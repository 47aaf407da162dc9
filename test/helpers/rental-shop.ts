/**
 * A DVD-rental shop shaped like the public sample schemas (customers with
 * their own address rows, stores and staff pointing at others, rentals,
 * payments with a NOT NULL key to rentals, monthly partitions on PostgreSQL,
 * a composite primary key, uuid, boolean and DATE columns), with the data as
 * untidy as production: upper-case emails, phones in five formats, two
 * customers sharing an address, two sharing an email, a person who is both
 * staff and a customer. Built the same on PostgreSQL, MariaDB and SQLite.
 */
import BetterSqlite3 from "better-sqlite3";
import { createConnection } from "mysql2/promise";
import pg from "pg";
import { PG_TYPES } from "../../src/connectors/index.js";

export type Engine = "postgres" | "mysql" | "sqlite";
export type Row = Record<string, unknown>;

/** Table → primary key, in an order that respects foreign keys for inserting. */
export const TABLES: Record<string, string[]> = {
  country: ["country_id"],
  city: ["city_id"],
  address: ["address_id"],
  staff: ["staff_id"],
  store: ["store_id"],
  customer: ["customer_id"],
  film: ["film_id"],
  inventory: ["inventory_id"],
  rental: ["rental_id"],
  payment: ["payment_id", "payment_date"],
};

function ddl(engine: Engine): string[] {
  const uuid = engine === "sqlite" ? "UUID" : "uuid";
  const bool = engine === "sqlite" ? "BOOLEAN" : "boolean";
  const ts = engine === "mysql" ? "datetime" : "timestamp";
  const payment = `CREATE TABLE payment (payment_id int NOT NULL, customer_id int NOT NULL REFERENCES customer(customer_id), staff_id int NOT NULL REFERENCES staff(staff_id),
      rental_id int NOT NULL REFERENCES rental(rental_id), amount numeric(5,2) NOT NULL, card_last4 varchar(4), payment_date date NOT NULL, PRIMARY KEY (payment_id, payment_date)`;
  const fk = (col: string, ref: string) => (engine === "mysql" ? `, FOREIGN KEY (${col}) REFERENCES ${ref}` : "");
  const statements = [
    `CREATE TABLE country (country_id int PRIMARY KEY, country varchar(50) NOT NULL)`,
    `CREATE TABLE city (city_id int PRIMARY KEY, city varchar(50) NOT NULL, country_id int NOT NULL REFERENCES country(country_id)${fk("country_id", "country(country_id)")})`,
    `CREATE TABLE address (address_id int PRIMARY KEY, address varchar(50) NOT NULL, district varchar(20) NOT NULL, city_id int NOT NULL REFERENCES city(city_id), postal_code varchar(10), phone varchar(20) NOT NULL${fk("city_id", "city(city_id)")})`,
    `CREATE TABLE staff (staff_id int PRIMARY KEY, first_name varchar(45) NOT NULL, last_name varchar(45) NOT NULL, address_id int NOT NULL REFERENCES address(address_id), email varchar(50), store_id int NOT NULL, active ${bool} NOT NULL, username varchar(16) NOT NULL${fk("address_id", "address(address_id)")})`,
    `CREATE TABLE store (store_id int PRIMARY KEY, manager_staff_id int NOT NULL REFERENCES staff(staff_id), address_id int NOT NULL REFERENCES address(address_id)${fk("manager_staff_id", "staff(staff_id)")}${fk("address_id", "address(address_id)")})`,
    `CREATE TABLE customer (customer_id int PRIMARY KEY, store_id int NOT NULL REFERENCES store(store_id), first_name varchar(45) NOT NULL, last_name varchar(45) NOT NULL, email varchar(50), phone varchar(30),
      address_id int NOT NULL REFERENCES address(address_id), activebool ${bool} NOT NULL, create_date date NOT NULL, birth_date date, external_id ${uuid} NOT NULL, last_update ${ts} NOT NULL${fk("store_id", "store(store_id)")}${fk("address_id", "address(address_id)")})`,
    `CREATE TABLE film (film_id int PRIMARY KEY, title varchar(128) NOT NULL)`,
    `CREATE TABLE inventory (inventory_id int PRIMARY KEY, film_id int NOT NULL REFERENCES film(film_id), store_id int NOT NULL REFERENCES store(store_id)${fk("film_id", "film(film_id)")}${fk("store_id", "store(store_id)")})`,
    `CREATE TABLE rental (rental_id int PRIMARY KEY, rental_date ${ts} NOT NULL, inventory_id int NOT NULL REFERENCES inventory(inventory_id), customer_id int NOT NULL REFERENCES customer(customer_id),
      return_date ${ts}, staff_id int NOT NULL REFERENCES staff(staff_id)${fk("inventory_id", "inventory(inventory_id)")}${fk("customer_id", "customer(customer_id)")}${fk("staff_id", "staff(staff_id)")})`,
    engine === "postgres"
      ? `${payment}) PARTITION BY RANGE (payment_date)`
      : `${payment}${fk("customer_id", "customer(customer_id)")}${fk("staff_id", "staff(staff_id)")}${fk("rental_id", "rental(rental_id)")})`,
  ];
  if (engine === "postgres") {
    for (const m of ["01", "02", "03"])
      statements.push(
        `CREATE TABLE payment_p2026_${m} PARTITION OF payment FOR VALUES FROM ('2026-${m}-01') TO ('2026-${String(Number(m) + 1).padStart(2, "0")}-01')`,
      );
  }
  // The indexes the live check asks for: identities matched in any case and by their digits.
  const lower = engine === "mysql" ? "email" : "lower(email)";
  statements.push(
    `CREATE INDEX customer_email ON customer (${lower})`,
    `CREATE INDEX staff_email ON staff (${lower})`,
    `CREATE INDEX rental_customer ON rental (customer_id)`,
    `CREATE INDEX payment_rental ON payment (rental_id)`,
  );
  return statements;
}

const uuidOf = (i: number) => `0c0ffee0-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** The shop's rows, the same on every engine. */
export function shopRows(): Record<string, Row[]> {
  const country = [
    { country_id: 1, country: "United States" },
    { country_id: 2, country: "Canada" },
    { country_id: 3, country: "Sweden" },
  ];
  const city = [
    { city_id: 1, city: "Lethbridge", country_id: 2 },
    { city_id: 2, city: "Woodridge", country_id: 1 },
    { city_id: 3, city: "Stockholm", country_id: 3 },
    { city_id: 4, city: "Philadelphia", country_id: 1 },
    { city_id: 5, city: "Uppsala", country_id: 3 },
  ];
  const phones = [
    "+1 267-546-5296",
    "(412) 555-0142",
    "2155550199",
    "215.555.0188",
    "+1 (617) 555 0107",
    "412 555 0111",
    "+1-646-555-0123",
    "(718) 555-0144",
    "9175550155",
    "+1 212 555 0166",
  ];
  const address = Array.from({ length: 20 }, (_, k) => {
    const id = k + 1;
    return {
      address_id: id,
      address: `${100 + id} Main Street`,
      district: ["Alberta", "QLD", "Stockholm", "Pennsylvania"][id % 4],
      city_id: (id % 5) + 1,
      postal_code: id % 6 === 0 ? null : `${10000 + id}`,
      phone: phones[id % phones.length],
    };
  });
  const staff = [
    {
      staff_id: 1,
      first_name: "Mike",
      last_name: "Hillyer",
      address_id: 3,
      email: "Mike.Hillyer@sakila.example",
      store_id: 1,
      active: true,
      username: "Mike",
    },
    {
      staff_id: 2,
      first_name: "Jon",
      last_name: "Stephens",
      address_id: 4,
      email: "Jon.Stephens@sakila.example",
      store_id: 2,
      active: true,
      username: "Jon",
    },
    {
      staff_id: 3,
      first_name: "Ann",
      last_name: "Keeper",
      address_id: 5,
      email: null,
      store_id: 1,
      active: false,
      username: "ann.k",
    },
  ];
  const store = [
    { store_id: 1, manager_staff_id: 1, address_id: 1 },
    { store_id: 2, manager_staff_id: 2, address_id: 2 },
  ];
  const people: [string, string, string | null, string | null, number][] = [
    ["MARY", "SMITH", "MARY.SMITH@SAKILA.EXAMPLE", "+1 267-546-5296", 6],
    ["PATRICIA", "JOHNSON", "PATRICIA.JOHNSON@SAKILA.EXAMPLE", "(412) 555-0142", 7],
    ["LINDA", "WILLIAMS", "LINDA.WILLIAMS@SAKILA.EXAMPLE", "2155550199", 8],
    ["BARBARA", "WILLIAMS", "BARBARA.WILLIAMS@SAKILA.EXAMPLE", "215.555.0188", 8],
    ["JON", "STEPHENS", "JON.STEPHENS@SAKILA.EXAMPLE", "+1 (617) 555 0107", 9],
    ["ELIZABETH", "BROWN", "DUP@SAKILA.EXAMPLE", "412 555 0111", 10],
    ["JENNIFER", "DAVIS", "Dup@Sakila.example", "+1-646-555-0123", 11],
    ["MARIA", "MILLER", "MARIA.MILLER@SAKILA.EXAMPLE", "(718) 555-0144", 12],
    ["SUSAN", "WILSON", "SUSAN.WILSON@SAKILA.EXAMPLE", "9175550155", 13],
    ["MARGARET", "MOORE", null, "+1 212 555 0166", 14],
    ["DOROTHY", "TAYLOR", "DOROTHY.TAYLOR@SAKILA.EXAMPLE", null, 15],
    ["LISA", "ANDERSON", "LISA.ANDERSON@SAKILA.EXAMPLE", "(267) 555-0177", 16],
  ];
  const customer = people.map(([first, last, email, phone, addr], k) => ({
    customer_id: k + 1,
    store_id: (k % 2) + 1,
    first_name: first,
    last_name: last,
    email,
    phone,
    address_id: addr,
    activebool: k !== 9,
    create_date: `2025-0${1 + (k % 9)}-1${k % 9}`,
    birth_date: k % 4 === 3 ? null : `19${60 + k}-0${1 + (k % 9)}-0${1 + (k % 9)}`,
    external_id: uuidOf(k + 1),
    last_update: `2026-01-0${1 + (k % 9)} 1${k % 10}:30:00`,
  }));
  const film = Array.from({ length: 10 }, (_, k) => ({
    film_id: k + 1,
    title: [
      "ACADEMY DINOSAUR",
      "ACE GOLDFINGER",
      "ADAPTATION HOLES",
      "AFFAIR PREJUDICE",
      "AFRICAN EGG",
      "AGENT TRUMAN",
      "AIRPLANE SIERRA",
      "AIRPORT POLLOCK",
      "ALABAMA DEVIL",
      "ALADDIN CALENDAR",
    ][k],
  }));
  const inventory = Array.from({ length: 20 }, (_, k) => ({
    inventory_id: k + 1,
    film_id: (k % 10) + 1,
    store_id: (k % 2) + 1,
  }));
  const rental: Row[] = [];
  const payment: Row[] = [];
  let rid = 0;
  let pid = 0;
  for (const c of customer) {
    const n = 3 + (c.customer_id % 2);
    for (let k = 0; k < n; k++) {
      rid++;
      const month = 1 + (rid % 3);
      const staffId = rid % 3 === 0 ? 2 : 1;
      rental.push({
        rental_id: rid,
        rental_date: `2026-0${month}-${String(10 + k).padStart(2, "0")} 10:00:00`,
        inventory_id: ((rid * 7) % 20) + 1,
        customer_id: c.customer_id,
        return_date: k === 0 ? null : `2026-0${month}-${String(12 + k).padStart(2, "0")} 18:00:00`,
        staff_id: staffId,
      });
      // One rental in four was free, so it has no payment.
      if (k !== 1)
        payment.push({
          payment_id: ++pid,
          customer_id: c.customer_id,
          staff_id: staffId,
          rental_id: rid,
          amount: k % 2 ? "4.99" : "2.99",
          card_last4: String(4200 + pid),
          payment_date: `2026-0${month}-${String(10 + k).padStart(2, "0")}`,
        });
    }
  }
  return { country, city, address, staff, store, customer, film, inventory, rental, payment };
}

/** A client on one engine, for hand-written SQL (`?` placeholders everywhere), typed as Pledge reads values. */
export interface Sql {
  query(text: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export async function openSql(engine: Engine, target: string): Promise<Sql> {
  if (engine === "postgres") {
    const c = new pg.Client({ connectionString: target, types: PG_TYPES });
    await c.connect();
    return {
      query: async (text, params = []) => {
        let i = 0;
        return (
          await c.query(
            text.replace(/\?/g, () => `$${++i}`),
            params,
          )
        ).rows as Row[];
      },
      close: () => c.end(),
    };
  }
  if (engine === "mysql") {
    const c = await createConnection({
      uri: target,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
    return { query: async (text, params = []) => (await c.query(text, params))[0] as Row[], close: () => c.end() };
  }
  const db = new BetterSqlite3(target);
  db.pragma("foreign_keys = ON");
  return {
    query: async (text, params = []) => {
      if (/^\s*select/i.test(text)) return db.prepare(text).all(...(params as never[])) as Row[];
      db.prepare(text).run(...(params as never[]));
      return [];
    },
    close: async () => void db.close(),
  };
}

/** Creates the shop's tables and rows. */
export async function buildShop(engine: Engine, target: string): Promise<void> {
  const sql = await openSql(engine, target);
  try {
    for (const s of ddl(engine)) await sql.query(s);
    for (const [table, rows] of Object.entries(shopRows())) {
      for (const r of rows) {
        const cols = Object.keys(r);
        const values = Object.values(r).map((v) => (engine === "sqlite" && typeof v === "boolean" ? Number(v) : v));
        await sql.query(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`, values);
      }
    }
  } finally {
    await sql.close();
  }
}

const DATASETS = `
      country:
        fields:
          country_id: { primaryKey: true, personal: false }
          country: { personal: false }
      city:
        fields:
          city_id: { primaryKey: true, personal: false }
          city: { personal: false }
          country_id: { references: country.country_id, relation: lookup, show: country }
      address:
        fields:
          address_id: { primaryKey: true }
          address: { category: user.contact.address, masking: fixed, maskValue: "[erased]" }
          district: { category: user.contact.address, masking: fixed, maskValue: "-" }
          city_id: { references: city.city_id, relation: lookup, show: city }
          postal_code: { category: user.contact.address, masking: "null" }
          phone: { category: user.contact.phone_number, masking: fixed, maskValue: "0" }
      staff:
        subject: employee
        fields:
          staff_id: { primaryKey: true }
          first_name: { category: user.name, masking: fixed, maskValue: "[erased]" }
          last_name: { category: user.name, masking: fixed, maskValue: "[erased]" }
          address_id: { references: address.address_id, relation: detail }
          email: { category: user.contact.email, identity: email, contact: email, masking: hmac }
          store_id: { references: store.store_id, relation: lookup }
          active: { personal: false }
          username: { category: user.account.username, masking: hmac }
      store:
        fields:
          store_id: { primaryKey: true }
          manager_staff_id: { references: staff.staff_id, relation: actor }
          address_id: { references: address.address_id, relation: lookup }
      customer:
        subject: customer
        fields:
          customer_id: { primaryKey: true, category: user.account.id }
          store_id: { references: store.store_id, relation: lookup }
          first_name: { category: user.name, masking: fixed, maskValue: "[erased]" }
          last_name: { category: user.name, masking: fixed, maskValue: "[erased]" }
          email: { category: user.contact.email, identity: email, contact: email, masking: hmac }
          phone: { category: user.contact.phone_number, identity: phone, masking: "null" }
          address_id: { references: address.address_id, relation: detail }
          activebool: { personal: false }
          create_date: { personal: false }
          birth_date: { category: user.date_of_birth, masking: deidentify }
          external_id: { category: user.account.id, masking: hmac }
          last_update: { personal: false }
      film:
        fields:
          film_id: { primaryKey: true, personal: false }
          title: { personal: false }
      inventory:
        fields:
          inventory_id: { primaryKey: true, personal: false }
          film_id: { references: film.film_id, relation: lookup, show: title }
          store_id: { references: store.store_id, relation: lookup }
      rental:
        fields:
          rental_id: { primaryKey: true }
          rental_date: { category: user.behavior.purchase_history, masking: keep }
          inventory_id: { references: inventory.inventory_id, relation: lookup }
          customer_id: { references: customer.customer_id }
          return_date: { category: user.behavior.purchase_history, masking: "null" }
          staff_id: { references: staff.staff_id, relation: actor }
      payment:
        retention: bookkeeping
        fields:
          payment_id: { primaryKey: true }
          payment_date: { primaryKey: true, category: user.financial.billing_history }
          customer_id: { references: customer.customer_id }
          staff_id: { references: staff.staff_id, relation: actor }
          rental_id: { references: rental.rental_id }
          amount: { category: user.financial.billing_history, masking: keep }
          card_last4: { category: user.financial.card_number, masking: "null" }`;

/**
 * The shop's declaration: one system per engine, each with the same datasets; `keepPayments: false` lets payments be
 * erased.
 */
export function shopDeclaration(engines: readonly Engine[], options: { keepPayments?: boolean } = {}): string {
  const datasets = options.keepPayments === false ? DATASETS.replace("        retention: bookkeeping\n", "") : DATASETS;
  const connector: Record<Engine, string> = {
    postgres: "{ engine: postgres, url: { env: SHOP_PG } }",
    mysql: "{ engine: mysql, url: { env: SHOP_MY } }",
    sqlite: "{ engine: sqlite, path: { env: SHOP_LITE } }",
  };
  return `version: "1"
effectiveDate: 2026-01-01
organization: { name: Sakila Rentals Inc, roles: [controller], country: US, contact: { email: privacy@sakila.example }, jurisdictions: [US-CA, EU], defaultJurisdiction: US-CA }
purposes:
  rentals:
    name: Renting films
    legalBasis: contract
    dataCategories: [user.name, user.contact.email, user.contact.phone_number, user.contact.address, user.account.id, user.account.username, user.date_of_birth, user.behavior.purchase_history, user.financial.billing_history, user.financial.card_number]
    dataSubjects: [customer, employee]
    retention: customers
retention:
  customers: { period: 2 years, from: last_activity, action: delete }
  bookkeeping: { period: 7 years, from: collection, action: delete, exceptions: [{ reason: Payments are kept for tax law, basis: legal_obligation }] }
rights:
  offered: [access, rectification, erasure, restriction, portability, objection, complaint, opt_out_sale]
  channels: [{ type: web, address: /privacy-center }]
  identities: [email, phone]
systems:
${engines.map((e) => `  ${e}:\n    name: Rental shop on ${e}\n    connector: ${connector[e]}\n    datasets:${datasets}`).join("\n")}
`;
}
