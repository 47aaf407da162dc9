/**
 * Stand-in vendors for the demo, the tests and the benchmark: small stateful fakes that answer as Stripe's customers
 * API and SendGrid's contacts, erasure and suppression APIs are published to answer, on 127.0.0.1. They are not the
 * vendors: every page that shows them says so. An erase job at the SendGrid stand-in finishes when `finishJobs` is
 * called or after `jobMs`, so the demo shows a request waiting for a vendor.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One call as the stand-in received it, for a contract check. */
export interface ReceivedCall {
  vendor: "stripe" | "sendgrid";
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface FakeVendorOptions {
  /** The API key both stand-ins accept (a bearer token). */
  apiKey: string;
  /** An erase job finishes this long after it was asked for (never by itself when absent). */
  jobMs?: number;
  /** Called with every call before it is answered; an error thrown here answers 422 with its message. */
  onCall?: (call: ReceivedCall) => void;
  /** Answer the next `n` calls 429 with this `Retry-After` (seconds). */
  port?: number;
}

export interface FakeVendors {
  /** `http://127.0.0.1:<port>/stripe` and `/sendgrid`: each stand-in's base URL. */
  stripeUrl: string;
  sendgridUrl: string;
  /** Adds a Stripe customer; returns its id. */
  addStripeCustomer(c: { email: string; name?: string; phone?: string }): string;
  /** Adds a SendGrid contact; returns its id. */
  addSendgridContact(c: { email: string; first_name?: string }): string;
  stripeCustomers(email?: string): { id: string; email: string; name?: string }[];
  sendgridContacts(email?: string): { id: string; email: string }[];
  suppressed(): string[];
  /** Erase jobs still running. */
  pendingJobs(): number;
  finishJobs(): void;
  /** The next `times` calls answer 429 with `Retry-After: seconds`. */
  throttle(times: number, seconds: number): void;
  /** The next call answers `status` with this vendor message. */
  failNext(status: number, message: string): void;
  calls: ReceivedCall[];
  close(): Promise<void>;
}

/** What the stand-ins answer at their root, and what the demo prints when it starts them. */
export const STAND_IN_LABEL =
  "Stand-in vendors for the Pledge demo, on this machine: they answer as Stripe's customers API (/stripe) and " +
  "SendGrid's contacts, erasure and suppression APIs (/sendgrid) are published to answer. They are not Stripe or " +
  "SendGrid, and nothing sent here leaves this machine.\n";

const id = (prefix: string) => `${prefix}${randomBytes(7).toString("hex")}`;

/**
 * Starts both stand-ins on one port.
 *
 * ```ts
 * const vendors = await startFakeVendors({ apiKey: "sk_test_demo" });
 * vendors.addStripeCustomer({ email: "ada@example.net" });
 * ```
 */
export async function startFakeVendors(options: FakeVendorOptions): Promise<FakeVendors> {
  const stripe = new Map<string, { id: string; email: string; name?: string; phone?: string; created: number }>();
  const contacts = new Map<string, { id: string; email: string; first_name?: string }>();
  const suppressions = new Set<string>();
  const jobs = new Map<string, { emails: string[]; at: number }>();
  const calls: ReceivedCall[] = [];
  let throttle = { times: 0, seconds: 0 };
  let failure: { status: number; message: string } | undefined;

  const finish = (force: boolean) => {
    for (const [jid, j] of jobs) {
      if (!force && (options.jobMs === undefined || Date.now() - j.at < options.jobMs)) continue;
      for (const [cid, c] of contacts) if (j.emails.includes(c.email)) contacts.delete(cid);
      jobs.delete(jid);
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const body = Buffer.concat(chunks).toString("utf8");
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(payload === undefined ? "" : JSON.stringify(payload));
      };
      const vendor = url.pathname.startsWith("/stripe/")
        ? "stripe"
        : url.pathname.startsWith("/sendgrid/")
          ? "sendgrid"
          : undefined;
      if (!vendor && url.pathname === "/") {
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        return res.end(STAND_IN_LABEL);
      }
      if (!vendor) return send(404, { error: { message: "no such vendor" } });
      const path = url.pathname.slice(vendor.length + 1);
      const call: ReceivedCall = {
        vendor,
        method: req.method ?? "GET",
        path,
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      calls.push(call);
      try {
        options.onCall?.(call);
      } catch (err) {
        return send(422, { error: { message: (err as Error).message } });
      }
      if (req.headers.authorization !== `Bearer ${options.apiKey}`)
        return send(401, { error: { message: "Invalid API Key provided" } });
      if (throttle.times > 0) {
        throttle.times--;
        return send(429, { error: { message: "Too many requests" } }, { "retry-after": String(throttle.seconds) });
      }
      if (failure) {
        const f = failure;
        failure = undefined;
        return send(
          f.status,
          vendor === "stripe" ? { error: { message: f.message } } : { errors: [{ message: f.message, field: null }] },
        );
      }
      finish(false);
      if (vendor === "stripe") {
        const m = /^\/v1\/customers(?:\/([^/]+))?$/.exec(path);
        if (!m) return send(404, { error: { message: "Unrecognized request URL" } });
        const cid = m[1] ? decodeURIComponent(m[1]) : undefined;
        const view = (c: { id: string; email: string; name?: string; phone?: string; created: number }) => ({
          id: c.id,
          object: "customer",
          email: c.email,
          name: c.name ?? null,
          phone: c.phone ?? null,
          created: c.created,
          livemode: false,
        });
        if (!cid && req.method === "GET") {
          const email = url.searchParams.get("email");
          const limit = Math.min(100, Number(url.searchParams.get("limit") ?? 10));
          const after = url.searchParams.get("starting_after");
          let list = [...stripe.values()].filter((c) => email === null || c.email === email);
          if (after) list = list.slice(list.findIndex((c) => c.id === after) + 1);
          return send(200, {
            object: "list",
            url: "/v1/customers",
            has_more: list.length > limit,
            data: list.slice(0, limit).map(view),
          });
        }
        if (!cid && req.method === "POST") {
          const form = new URLSearchParams(body);
          const c = {
            id: id("cus_"),
            email: form.get("email") ?? "",
            name: form.get("name") ?? undefined,
            created: Math.floor(Date.now() / 1000),
          };
          stripe.set(c.id, c);
          return send(200, view(c));
        }
        const c = cid ? stripe.get(cid) : undefined;
        if (!c) return send(404, { error: { message: `No such customer: '${cid}'`, type: "invalid_request_error" } });
        if (req.method === "GET") return send(200, view(c));
        if (req.method === "DELETE") {
          stripe.delete(c.id);
          return send(200, { id: c.id, object: "customer", deleted: true });
        }
        if (req.method === "POST") {
          const form = new URLSearchParams(body);
          for (const k of ["email", "name", "phone"] as const) if (form.has(k)) c[k] = form.get(k) ?? "";
          return send(200, view(c));
        }
        return send(405, { error: { message: "method not allowed" } });
      }
      const json = (() => {
        try {
          return body ? (JSON.parse(body) as Record<string, unknown>) : {};
        } catch {
          return undefined;
        }
      })();
      if (!json) return send(400, { errors: [{ field: null, message: "invalid JSON" }] });
      if (req.method === "POST" && path === "/v3/marketing/contacts/search/emails") {
        const emails = ((json.emails as string[]) ?? []).map((e) => e.toLowerCase());
        const result: Record<string, unknown> = {};
        for (const e of emails) {
          const c = [...contacts.values()].find((x) => x.email === e);
          if (c)
            result[e] = { contact: { id: c.id, email: c.email, first_name: c.first_name ?? "", alternate_emails: [] } };
        }
        if (!Object.keys(result).length)
          return send(404, { errors: [{ message: "contacts not found", field: "emails" }] });
        return send(200, { result });
      }
      if (req.method === "POST" && path === "/v3/recipients/erasejob") {
        const emails = ((json.email_addresses as string[]) ?? []).map((e) => e.toLowerCase());
        if (!emails.length) return send(400, { errors: [{ field: "email_addresses", message: "required" }] });
        const jid = crypto.randomUUID();
        jobs.set(jid, { emails, at: Date.now() });
        return send(202, { job_id: jid });
      }
      if (req.method === "POST" && path === "/v3/asm/suppressions/global") {
        const emails = (json.recipient_emails as string[]) ?? [];
        for (const e of emails) suppressions.add(e.toLowerCase());
        return send(201, { recipient_emails: emails });
      }
      return send(404, { errors: [{ field: null, message: "not found" }] });
    });
  });
  await new Promise<void>((r) => server.listen(options.port ?? 0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    stripeUrl: `http://127.0.0.1:${port}/stripe`,
    sendgridUrl: `http://127.0.0.1:${port}/sendgrid`,
    addStripeCustomer(c) {
      const cid = id("cus_");
      stripe.set(cid, { id: cid, created: Math.floor(Date.now() / 1000), ...c });
      return cid;
    },
    addSendgridContact(c) {
      const cid = crypto.randomUUID();
      contacts.set(cid, { id: cid, ...c, email: c.email.toLowerCase() });
      return cid;
    },
    stripeCustomers: (email) => [...stripe.values()].filter((c) => !email || c.email === email),
    sendgridContacts: (email) => [...contacts.values()].filter((c) => !email || c.email === email.toLowerCase()),
    suppressed: () => [...suppressions],
    pendingJobs: () => jobs.size,
    finishJobs: () => finish(true),
    throttle(times, seconds) {
      throttle = { times, seconds };
    },
    failNext(status, message) {
      failure = { status, message };
    },
    calls,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The demo's stand-ins, holding some of the shop's customers, and the environment that points the demo at them. */
export interface DemoVendors {
  vendors: FakeVendors;
  /** The base URLs the demo declaration reads (PLEDGE_DEMO_STRIPE_URL, …) and the stand-ins' API key. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the stand-ins for `pledge serve --demo`: a Stripe holding the shop's customers who were invoiced (their
 * emails as the shop stored them, capitals and all) and a SendGrid holding every third customer as a newsletter
 * contact, Ada Lovelace and Grace Hopper at both. An erase job at the SendGrid stand-in finishes after `jobMs` (20 s).
 */
export async function startDemoVendors(demoDir: string, options: { jobMs?: number } = {}): Promise<DemoVendors> {
  const apiKey = `sk_test_demo_${randomBytes(12).toString("hex")}`;
  const vendors = await startFakeVendors({ apiKey, jobMs: options.jobMs ?? 20_000 });
  const shop = new BetterSqlite3(join(demoDir, "shop.db"), { readonly: true, fileMustExist: true });
  try {
    const invoiced = shop
      .prepare(
        `SELECT id, email, name, phone FROM customers c WHERE email LIKE '%@%' AND (id <= 2 OR (id % 4 = 0 AND
           EXISTS (SELECT 1 FROM orders o JOIN invoices i ON i.order_id = o.id WHERE o.customer_id = c.id)))
         ORDER BY id LIMIT 500`,
      )
      .all() as { id: number; email: string; name: string; phone: string | null }[];
    for (const c of invoiced) vendors.addStripeCustomer({ email: c.email, name: c.name, phone: c.phone ?? undefined });
    const subscribers = shop
      .prepare(
        "SELECT email, name FROM customers WHERE email LIKE '%@%' AND (id <= 2 OR id % 3 = 0) ORDER BY id LIMIT 500",
      )
      .all() as { email: string; name: string }[];
    for (const c of subscribers) vendors.addSendgridContact({ email: c.email, first_name: c.name.split(" ")[0] });
  } finally {
    shop.close();
  }
  return {
    vendors,
    env: {
      PLEDGE_DEMO_STRIPE_URL: vendors.stripeUrl,
      PLEDGE_DEMO_SENDGRID_URL: vendors.sendgridUrl,
      STRIPE_SECRET_KEY: apiKey,
      SENDGRID_API_KEY: apiKey,
    },
    close: () => vendors.close(),
  };
}
