/**
 * A music store shaped like the public sample schemas a second real-world run
 * used, with each shape that failed there, built the same on PostgreSQL
 * (quoted PascalCase tables), MariaDB and SQLite:
 * - customers point at their own address rows, and the phone, an identity,
 *   lives on the address (`relation: detail`), stored as bare national digits,
 *   with a trunk zero after the country code, or with a stray "+";
 * - employees are the support reps of customers and report to each other, and
 *   two of them share an office phone;
 * - invoices and invoice lines belong to customers, kept for bookkeeping, the
 *   lines' clock on their invoice's date;
 * - customers are kept two years after their last purchase (the latest invoice);
 * - payments for rentals, partitioned by date on PostgreSQL with the foreign key
 *   declared on each partition only;
 * - a view over customers, and on PostgreSQL an unpopulated materialized view;
 * - an employee's office fax declared with masking and no category.
 * Dates are relative to now, so what is past its period stays so.
 */
import { openSql, type Engine, type Row, type Sql } from "./rental-shop.js";

export type { Engine, Row, Sql };
export { openSql };

/** Table → primary key, in an order that respects foreign keys for inserting. */
export const STORE_TABLES: Record<string, string[]> = {
  Genre: ["GenreId"],
  MediaType: ["MediaTypeId"],
  Album: ["AlbumId"],
  Track: ["TrackId"],
  Employee: ["EmployeeId"],
  Address: ["AddressId"],
  Customer: ["CustomerId"],
  Invoice: ["InvoiceId"],
  InvoiceLine: ["InvoiceLineId"],
  Rental: ["RentalId"],
  Payment: ["PaymentId", "PaidOn"],
};

const DAY = 86_400_000;
/** A date `years` and `days` before now, as YYYY-MM-DD. */
export const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
const yearsAgo = (years: number, days = 0) => daysAgo(Math.round(years * 365.25) + days);

/** How a table is named in SQL on each engine: PostgreSQL keeps the case only when quoted. */
export function q(engine: Engine, name: string): string {
  return engine === "postgres" ? `"${name}"` : engine === "mysql" ? `\`${name}\`` : name;
}

function ddl(engine: Engine): string[] {
  const t = (n: string) => q(engine, n);
  const c = (n: string) => q(engine, n);
  const text = engine === "mysql" ? "varchar(200)" : "text";
  const fk = (col: string, ref: string) =>
    engine === "sqlite" ? "" : `, FOREIGN KEY (${c(col)}) REFERENCES ${t(ref)}(${c(`${ref}Id`)})`;
  const fkOn = (col: string, ref: string, refCol: string) =>
    engine === "sqlite" ? ` REFERENCES ${t(ref)}(${c(refCol)})` : "";
  const statements = [
    `CREATE TABLE ${t("Genre")} (${c("GenreId")} int PRIMARY KEY, ${c("Name")} ${text} NOT NULL)`,
    `CREATE TABLE ${t("MediaType")} (${c("MediaTypeId")} int PRIMARY KEY, ${c("Name")} ${text} NOT NULL)`,
    `CREATE TABLE ${t("Album")} (${c("AlbumId")} int PRIMARY KEY, ${c("Title")} ${text} NOT NULL)`,
    `CREATE TABLE ${t("Track")} (${c("TrackId")} int PRIMARY KEY, ${c("Name")} ${text} NOT NULL, ${c("AlbumId")} int${fkOn("AlbumId", "Album", "AlbumId")}, ${c("Composer")} ${text}, ${c("Genre")} ${text}${fk("AlbumId", "Album")})`,
    `CREATE TABLE ${t("Employee")} (${c("EmployeeId")} int PRIMARY KEY, ${c("LastName")} ${text} NOT NULL, ${c("FirstName")} ${text} NOT NULL, ${c("Title")} ${text}, ${c("ReportsTo")} int${fkOn("ReportsTo", "Employee", "EmployeeId")}, ${c("HireDate")} date, ${c("Phone")} ${text}, ${c("Fax")} ${text}, ${c("Email")} ${text}, ${c("Photo")} ${text}, ${c("Username")} ${text}, ${c("Password")} ${text}${engine === "sqlite" ? "" : `, FOREIGN KEY (${c("ReportsTo")}) REFERENCES ${t("Employee")}(${c("EmployeeId")})`})`,
    `CREATE TABLE ${t("Address")} (${c("AddressId")} int PRIMARY KEY, ${c("Street")} ${text} NOT NULL, ${c("City")} ${text}, ${c("PostalCode")} ${text}, ${c("Phone")} ${text})`,
    `CREATE TABLE ${t("Customer")} (${c("CustomerId")} int PRIMARY KEY, ${c("FirstName")} ${text} NOT NULL, ${c("LastName")} ${text} NOT NULL, ${c("Email")} ${text}, ${c("AddressId")} int NOT NULL${fkOn("AddressId", "Address", "AddressId")}, ${c("SupportRepId")} int${fkOn("SupportRepId", "Employee", "EmployeeId")}, ${c("Country")} ${text}, ${c("Fax")} ${text}${fk("AddressId", "Address")}${engine === "sqlite" ? "" : `, FOREIGN KEY (${c("SupportRepId")}) REFERENCES ${t("Employee")}(${c("EmployeeId")})`})`,
    `CREATE TABLE ${t("Invoice")} (${c("InvoiceId")} int PRIMARY KEY, ${c("CustomerId")} int NOT NULL${fkOn("CustomerId", "Customer", "CustomerId")}, ${c("InvoiceDate")} date NOT NULL, ${c("BillingPostalCode")} ${text}, ${c("Total")} numeric(10,2) NOT NULL${fk("CustomerId", "Customer")})`,
    `CREATE TABLE ${t("InvoiceLine")} (${c("InvoiceLineId")} int PRIMARY KEY, ${c("InvoiceId")} int NOT NULL${fkOn("InvoiceId", "Invoice", "InvoiceId")}, ${c("TrackId")} int NOT NULL${fkOn("TrackId", "Track", "TrackId")}, ${c("UnitPrice")} numeric(10,2) NOT NULL${fk("InvoiceId", "Invoice")}${fk("TrackId", "Track")})`,
    `CREATE TABLE ${t("Rental")} (${c("RentalId")} int PRIMARY KEY, ${c("CustomerId")} int NOT NULL${fkOn("CustomerId", "Customer", "CustomerId")}, ${c("RentedOn")} date NOT NULL${fk("CustomerId", "Customer")})`,
  ];
  const payment = `CREATE TABLE ${t("Payment")} (${c("PaymentId")} int NOT NULL, ${c("PaidOn")} date NOT NULL, ${c("RentalId")} int NOT NULL${fkOn("RentalId", "Rental", "RentalId")}, ${c("Amount")} numeric(10,2) NOT NULL, PRIMARY KEY (${c("PaymentId")}, ${c("PaidOn")})`;
  if (engine === "postgres") {
    // Partitioned by date, the key to rentals declared on each partition and not on the table.
    statements.push(`${payment}) PARTITION BY RANGE (${c("PaidOn")})`);
    const split = daysAgo(365);
    for (const [name, range] of [
      ["Payment_old", `FROM (MINVALUE) TO ('${split}')`],
      ["Payment_new", `FROM ('${split}') TO (MAXVALUE)`],
    ]) {
      statements.push(`CREATE TABLE ${t(name)} PARTITION OF ${t("Payment")} FOR VALUES ${range}`);
      statements.push(
        `ALTER TABLE ${t(name)} ADD CONSTRAINT ${c(`${name}_RentalId_fkey`)} FOREIGN KEY (${c("RentalId")}) REFERENCES ${t("Rental")}(${c("RentalId")})`,
      );
    }
  } else statements.push(`${payment}${fk("RentalId", "Rental")})`);
  const lower = (col: string) => (engine === "mysql" ? c(col) : `lower(${c(col)})`);
  statements.push(
    `CREATE INDEX customer_email ON ${t("Customer")} (${lower("Email")})`,
    `CREATE INDEX employee_email ON ${t("Employee")} (${lower("Email")})`,
    `CREATE VIEW ${t("CustomerCountry")} AS SELECT ${c("CustomerId")}, ${c("FirstName")}, ${c("Country")} FROM ${t("Customer")}`,
  );
  if (engine === "postgres")
    statements.push(
      `CREATE MATERIALIZED VIEW ${t("TopCustomers")} AS SELECT ${c("CustomerId")}, sum(${c("Total")}) AS total FROM ${t("Invoice")} GROUP BY ${c("CustomerId")} WITH NO DATA`,
    );
  return statements;
}

export interface StorePerson {
  customerId: number;
  email: string;
  /** The phone on the person's address row, as stored. */
  phone: string;
}

/** The customers the tests ask for, as the store holds them. */
export const FRANK: StorePerson = { customerId: 3, email: "fharris@google.example", phone: "6502530000" };
export const LEONIE: StorePerson = {
  customerId: 2,
  email: "leonekohler@surfeu.example",
  phone: "+49 0711 2842222",
};
export const EMMA: StorePerson = { customerId: 4, email: "emma_jones@hotmail.example", phone: "+44 020 7707 0707" };
export const KARA: StorePerson = { customerId: 5, email: "kara.nielsen@jubii.example", phone: "+6172235589" };
export const JANE = { employeeId: 3, email: "jane@chinookcorp.example" };
export const NANCY = { employeeId: 2, email: "nancy@chinookcorp.example" };
/** Steve and Michael share an office phone too. */
export const STEVE = { employeeId: 5, email: "steve@chinookcorp.example" };

/** The store's rows, the same on every engine. */
export function storeRows(): Record<string, Row[]> {
  const Genre = ["Rock", "Jazz", "Metal", "Alternative & Punk", "Rock And Roll", "Blues", "Latin", "Reggae", "Pop"].map(
    (Name, i) => ({ GenreId: i + 1, Name }),
  );
  const MediaType = [
    "MPEG audio file",
    "Protected AAC audio file",
    "Protected MPEG-4 video file",
    "Purchased AAC audio file",
    "AAC audio file",
  ].map((Name, i) => ({ MediaTypeId: i + 1, Name }));
  const Album = [
    { AlbumId: 1, Title: "For Those About To Rock We Salute You" },
    { AlbumId: 2, Title: "Balls to the Wall" },
    { AlbumId: 3, Title: "Restless and Wild" },
  ];
  const Track = [
    { TrackId: 1, Name: "For Those About To Rock", AlbumId: 1, Composer: "Angus Young, Malcolm Young", Genre: "Rock" },
    { TrackId: 2, Name: "Balls to the Wall", AlbumId: 2, Composer: null, Genre: "Rock" },
    { TrackId: 3, Name: "Fast As a Shark", AlbumId: 3, Composer: "F. Baltes, S. Kaufman", Genre: "Metal" },
    { TrackId: 4, Name: "Princess of the Dawn", AlbumId: 3, Composer: "Deaffy & R.A. Smith-Diesel", Genre: "Metal" },
  ];
  const Employee = [
    [1, "Adams", "Andrew", "General Manager", null, "2002-08-14", "+1 (780) 428-9482", "+1 (780) 428-3457"],
    [2, "Edwards", "Nancy", "Sales Manager", 1, "2002-05-01", "+1 (403) 262-3443", "+1 (403) 262-3322"],
    [3, "Peacock", "Jane", "Sales Support Agent", 2, "2002-04-01", "+1 (403) 262-3443", "+1 (403) 262-6712"],
    [4, "Park", "Margaret", "Sales Support Agent", 2, "2003-05-03", "+1 (403) 263-4423", "+1 (403) 263-4289"],
    [5, "Johnson", "Steve", "Sales Support Agent", 2, "2003-10-17", "+1 (780) 836-9987", "+1 (780) 836-9543"],
    [6, "Mitchell", "Michael", "IT Manager", 1, "2003-10-17", "+1 (780) 836-9987", "+1 (403) 246-9899"],
  ].map(([id, last, first, title, reports, hired, phone, fax]) => ({
    EmployeeId: id,
    LastName: last,
    FirstName: first,
    Title: title,
    ReportsTo: reports,
    HireDate: hired,
    Phone: phone,
    Fax: fax,
    Email: `${String(first).toLowerCase()}@chinookcorp.example`,
    Photo: `data:image/png;base64,iVBORw0KGgo${id}`,
    Username: String(first).toLowerCase(),
    Password: `$2b$10$${"N9qo8uLOickgx2ZMRZoMye".slice(0, 10)}${String(id).repeat(43)}`.slice(0, 60),
  }));
  const Address = [
    [1, "Av. Brigadeiro Faria Lima, 2170", "São José dos Campos", "12227-000", "+55 (12) 3923-5555"],
    [2, "Theodor-Heuss-Straße 34", "Stuttgart", "70174", LEONIE.phone],
    [3, "1600 Amphitheatre Parkway", "Mountain View", "94043-1351", FRANK.phone],
    [4, "202 Hoxton Street", "London", "N1 5LH", EMMA.phone],
    [5, "69 Salem Street", "Boston", "2113", KARA.phone],
    [6, "627 Broadway", "New York", "10012-2612", "2125551234"],
  ].map(([id, street, city, postal, phone]) => ({
    AddressId: id,
    Street: street,
    City: city,
    PostalCode: postal,
    Phone: phone,
  }));
  const Customer = [
    [1, "Luís", "Gonçalves", "LUISG@EMBRAER.EXAMPLE", 1, 3, "BR"],
    [2, "Leonie", "Köhler", "LEONEKOHLER@SURFEU.EXAMPLE", 2, 3, "DE"],
    [3, "Frank", "Harris", FRANK.email, 3, 4, "US"],
    [4, "Emma", "Jones", "Emma_Jones@Hotmail.example", 4, 3, "GB"],
    [5, "Kara", "Nielsen", KARA.email, 5, 4, "US"],
    [6, "Tim", "Goyer", "tgoyer@apple.example", 6, 3, "US"],
    [7, "Ann", "Goyer", "agoyer@apple.example", 6, 4, "US"],
  ].map(([id, first, last, email, addr, rep, country]) => ({
    CustomerId: id,
    FirstName: first,
    LastName: last,
    Email: email,
    AddressId: addr,
    SupportRepId: rep,
    Country: country,
    // An old fax column nobody declared, its numbers as bare digits.
    Fax: `${["415555", "650253", "212555", "617555", "303555", "720555", "480555"][Number(id) - 1]}01${id}0`,
  }));
  const Invoice: Row[] = [];
  const InvoiceLine: Row[] = [];
  const Rental: Row[] = [];
  const Payment: Row[] = [];
  let inv = 0;
  let line = 0;
  for (const cu of Customer) {
    const id = Number(cu.CustomerId);
    // Nine years ago (past bookkeeping), three years ago (kept), and, but for Kara, a purchase last year.
    const dates = [yearsAgo(9, id), yearsAgo(3, id * 10), ...(id === 5 ? [] : [yearsAgo(1, id)])];
    for (const d of dates) {
      inv++;
      Invoice.push({
        InvoiceId: inv,
        CustomerId: id,
        InvoiceDate: d,
        BillingPostalCode: Address[id === 7 ? 5 : id - 1]?.PostalCode ?? null,
        Total: (1.98 * 2).toFixed(2),
      });
      for (let k = 0; k < 2; k++)
        InvoiceLine.push({ InvoiceLineId: ++line, InvoiceId: inv, TrackId: ((inv + k) % 4) + 1, UnitPrice: "1.98" });
    }
    for (let k = 0; k < 2; k++) {
      const rid = id * 10 + k;
      const on = k ? daysAgo(30 + id) : yearsAgo(2, id);
      Rental.push({ RentalId: rid, CustomerId: id, RentedOn: on });
      Payment.push({ PaymentId: rid, PaidOn: on, RentalId: rid, Amount: "2.99" });
    }
  }
  return { Genre, MediaType, Album, Track, Employee, Address, Customer, Invoice, InvoiceLine, Rental, Payment };
}

/** Creates the store's tables and rows. */
export async function buildStore(engine: Engine, target: string): Promise<void> {
  const sql = await openSql(engine, target);
  try {
    for (const s of ddl(engine)) await sql.query(s);
    for (const [table, rows] of Object.entries(storeRows())) {
      for (const r of rows) {
        const cols = Object.keys(r);
        await sql.query(
          `INSERT INTO ${q(engine, table)} (${cols.map((x) => q(engine, x)).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
          Object.values(r),
        );
      }
    }
  } finally {
    await sql.close();
  }
}

const DATASETS = (options: { sharedPhone: boolean; declarePayments: boolean }) => `
      Album:
        fields:
          AlbumId: { primaryKey: true, personal: false }
          Title: { personal: false }
      Track:
        fields:
          TrackId: { primaryKey: true, personal: false }
          Name: { personal: false }
          AlbumId: { references: Album.AlbumId, relation: lookup, show: Title }
          Composer: { personal: false }
          Genre: { personal: false }
      Employee:
        subject: employee
        fields:
          EmployeeId: { primaryKey: true }
          LastName: { category: user.name, masking: fixed, maskValue: "[erased]" }
          FirstName: { category: user.name, masking: fixed, maskValue: "[erased]" }
          Title: { category: user.organization.job_title, masking: "null" }
          ReportsTo: { references: Employee.EmployeeId, relation: actor }
          HireDate: { category: user.employment.dates, masking: "null" }
          Phone: { category: user.contact.phone_number, identity: phone, masking: "null"${options.sharedPhone ? ", shared: true" : ""} }
          Fax: { masking: "null" }
          Email: { category: user.contact.email, identity: email, contact: email, masking: hmac }
          Photo: { category: user.photo, masking: "null" }
      Address:
        fields:
          AddressId: { primaryKey: true }
          Street: { category: user.contact.address, masking: fixed, maskValue: "[erased]" }
          City: { personal: false }
          PostalCode: { category: user.contact.address, masking: "null" }
          Phone: { category: user.contact.phone_number, identity: phone, masking: "null" }
      Customer:
        subject: customer
        retention: { rule: customers, clock: { latest: Invoice.InvoiceDate } }
        fields:
          CustomerId: { primaryKey: true, category: user.account.id }
          FirstName: { category: user.name, masking: fixed, maskValue: "[erased]" }
          LastName: { category: user.name, masking: fixed, maskValue: "[erased]" }
          Email: { category: user.contact.email, identity: email, contact: email, masking: hmac }
          AddressId: { references: Address.AddressId, relation: detail }
          SupportRepId: { references: Employee.EmployeeId, relation: actor }
          Country: { personal: false }
      Invoice:
        retention: { rule: bookkeeping, clock: InvoiceDate }
        fields:
          InvoiceId: { primaryKey: true }
          CustomerId: { references: Customer.CustomerId }
          InvoiceDate: { category: user.financial.billing_history, masking: keep }
          Total: { category: user.financial.billing_history, masking: keep }
      InvoiceLine:
        retention: { rule: bookkeeping, clock: Invoice.InvoiceDate }
        fields:
          InvoiceLineId: { primaryKey: true }
          InvoiceId: { references: Invoice.InvoiceId }
          TrackId: { references: Track.TrackId, relation: lookup, show: AlbumId.Title }
          UnitPrice: { category: user.financial.billing_history, masking: keep }
      Rental:
        fields:
          RentalId: { primaryKey: true }
          CustomerId: { references: Customer.CustomerId }
          RentedOn: { category: user.behavior.purchase_history }
      Payment:
        fields:
          PaymentId: { primaryKey: true }
          PaidOn: { primaryKey: true, category: user.financial.billing_history }
          RentalId: ${options.declarePayments ? "{ references: Rental.RentalId }" : "{ personal: false }"}
          Amount: { category: user.financial.billing_history }`;

/**
 * The store's declaration: one system per engine. `sharedPhone` declares the employees' phone a shared identity;
 * `declarePayments: false` leaves the payments' key to rentals undeclared, as the real run had it.
 */
export function storeDeclaration(
  engines: readonly Engine[],
  options: { sharedPhone?: boolean; declarePayments?: boolean } = {},
): string {
  const connector: Record<Engine, string> = {
    postgres: "{ engine: postgres, url: { env: STORE_PG } }",
    mysql: "{ engine: mysql, url: { env: STORE_MY } }",
    sqlite: "{ engine: sqlite, path: { env: STORE_LITE } }",
  };
  const datasets = DATASETS({
    sharedPhone: options.sharedPhone ?? false,
    declarePayments: options.declarePayments ?? true,
  });
  return `version: "1"
effectiveDate: 2026-01-01
organization: { name: Chinook Music Inc, roles: [controller], country: US, contact: { email: privacy@chinook.example }, jurisdictions: [US-CA, DE, UK, EU], defaultJurisdiction: US-CA }
purposes:
  sales:
    name: Selling and renting music
    legalBasis: contract
    dataCategories: [user.name, user.contact.email, user.contact.phone_number, user.contact.address, user.account.id, user.behavior.purchase_history, user.financial.billing_history]
    dataSubjects: [customer]
    retention: customers
  staff:
    name: Employing staff
    legalBasis: contract
    dataCategories: [user.name, user.contact.email, user.contact.phone_number, user.organization.job_title, user.employment.dates, user.photo]
    dataSubjects: [employee]
retention:
  customers: { period: 2 years, from: last_activity, action: delete }
  bookkeeping: { period: 7 years, from: collection, action: delete, exceptions: [{ reason: Invoices are kept for tax law, basis: legal_obligation }] }
rights:
  offered: [access, rectification, erasure, restriction, portability, objection, complaint, opt_out_sale]
  channels: [{ type: web, address: /privacy-center }]
  identities: [email, phone]
systems:
${engines.map((e) => `  ${e}:\n    name: Music store on ${e}\n    connector: ${connector[e]}\n    datasets:${datasets}`).join("\n")}
`;
}
