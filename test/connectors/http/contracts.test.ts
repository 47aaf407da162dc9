/**
 * Every built-in spec's operations against the vendor's own published document: under Stoplight Prism in its
 * validating mode (a call that breaks the contract is answered 4xx, and the connector fails), and for Stripe, whose
 * document Prism cannot load, against each operation's request schema in this process.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import {
  createVendorConnector,
  loadVendorSpec,
  type VendorConnector,
  type VendorSpec,
} from "../../../src/connectors/http/index.js";
import { contractViolation, VENDOR_APIS } from "../../helpers/openapi.js";
import { startPrism } from "../../helpers/prism.js";
import { startFakeVendors } from "../../../src/demo/vendors.js";

const missing = VENDOR_APIS
  ? undefined
  : "the vendors' published documents (shared/vendor-apis) are not on this machine";
if (missing && process.env.CI === "true") throw new Error(missing);
const skip = missing ? `skipped: ${missing}` : undefined;

const ENV = {
  STRIPE_SECRET_KEY: "sk_test_contract",
  SENDGRID_API_KEY: "SG.contract",
  INTERCOM_ACCESS_TOKEN: "dG9rOmNvbnRyYWN0",
  SEGMENT_API_TOKEN: "sgp_contract",
  TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000000",
  TWILIO_AUTH_TOKEN: "contract",
  MANDRILL_API_KEY: "md-contract",
};
const person = { email: ["ada@example.net"], phone: ["+442079460001"], user_id: ["u-1842"] };

/** A connector for a built-in spec (or a variant of it written to a file) pointed at a mock. */
const at = (spec: string, url: string, base = "", vary?: (s: VendorSpec) => VendorSpec) => {
  let name = spec;
  if (vary) {
    name = join(mkdtempSync(join(tmpdir(), "pledge-spec-")), `${spec}.yaml`);
    writeFileSync(name, stringify(vary(loadVendorSpec(spec))));
  }
  return createVendorConnector(`contract-${spec}`, { engine: "http", spec: name, baseUrl: `${url}${base}` }, ENV);
};

/** Runs each operation the spec has, one after another, and returns what each did. */
async function exercise(c: VendorConnector, ops: readonly string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const records = ops.includes("find") ? await c.find(person) : [];
  out.find = records.length;
  for (const op of ops) {
    if (op === "erase") out.erase = await c.erase(records, person, "req_contract");
    if (op === "rectify")
      out.rectify = await c.rectify(records, { "user.name": "Ada King", "user.contact.email": "ada.king@example.net" });
    if (op === "unsubscribe" || op === "suppress" || op === "optOutSale")
      out[op] = await c.consent(op, person, "req_contract");
    if (op === "check") out.check = await c.check("erase", ["job-1"], person);
  }
  return out;
}

/** Twilio's finds read one page: the next-page links in Twilio's published examples break Twilio's own contract. */
const onePage = (s: VendorSpec): VendorSpec => {
  const strip = <T extends { page?: unknown; expand?: unknown[] }>(f: T): T => ({
    ...f,
    page: undefined,
    ...(f.expand ? { expand: f.expand.map((x) => ({ ...(x as object), page: undefined })) } : {}),
  });
  const phone = s.operations.find?.phone;
  return {
    ...s,
    operations: { ...s.operations, find: { phone: Array.isArray(phone) ? phone.map(strip) : phone && strip(phone) } },
  };
};

const PRISM_CASES: {
  spec: string;
  file: string;
  base?: string;
  ops: string[];
  errors?: boolean;
  vary?: (s: VendorSpec) => VendorSpec;
}[] = [
  { spec: "intercom", file: "intercom/api.intercom.io.yaml", ops: ["find", "erase", "rectify", "unsubscribe"] },
  { spec: "segment", file: "segment/openapi.yaml", ops: ["erase", "check", "suppress", "optOutSale"] },
  { spec: "sendgrid", file: "sendgrid/tsg_mc_contacts_v3.yaml", ops: ["find", "check"] },
  { spec: "sendgrid", file: "sendgrid/tsg_recipients_data_erasure_v3.yaml", ops: ["erase"] },
  { spec: "sendgrid", file: "sendgrid/tsg_suppressions_v3.yaml", ops: ["unsubscribe", "suppress"] },
  { spec: "twilio", file: "twilio/twilio_api_v2010.yaml", ops: ["find", "erase"], errors: false, vary: onePage },
  // Prism serves a Swagger 2.0 document's paths without its basePath (/api/1.3); the published examples' dates are
  // not date-times, so the mock's own answers would fail `--errors`.
  {
    spec: "mailchimp-transactional",
    file: "mailchimp-transactional/transactional.json",
    ops: ["find", "suppress", "unsubscribe"],
    errors: false,
  },
];

describe("built-in specs under Prism, validating", { skip, concurrency: 1 }, () => {
  for (const c of PRISM_CASES) {
    test(`${c.spec}: ${c.ops.join(", ")} fit ${c.file}`, { timeout: 120_000 }, async () => {
      const prism = await startPrism(c.file, { errors: c.errors ?? true });
      try {
        const done = await exercise(at(c.spec, prism.url, c.base ?? "", c.vary), c.ops);
        for (const op of c.ops) assert.ok(op in done, `${op} ran`);
        // Prism logs each violation it found; none may be of a request (the vendors' own examples break some answers).
        assert.doesNotMatch(prism.log(), /Violation: request|Request did not pass/i, prism.log());
        assert.match(prism.log(), /Request received/, "calls reached the mock");
      } finally {
        await prism.close();
      }
    });
  }

  test("a call that breaks the contract fails: SendGrid's global suppression without recipient_emails", {
    timeout: 120_000,
  }, async () => {
    const prism = await startPrism("sendgrid/tsg_suppressions_v3.yaml");
    try {
      const c = at("sendgrid", prism.url, "", (spec) => {
        const suppress = spec.operations.suppress!;
        const request = { ...suppress.request, json: { emails: ["{email}"] } };
        return { ...spec, operations: { ...spec.operations, suppress: { ...suppress, request } } };
      });
      await assert.rejects(
        c.consent("suppress", person),
        /SendGrid answered 4\d\d on POST \/v3\/asm\/suppressions\/global/,
      );
    } finally {
      await prism.close();
    }
  });
});

describe("Stripe against its published document, in process", { skip }, () => {
  let vendors: Awaited<ReturnType<typeof startFakeVendors>>;
  const violations: string[] = [];
  before(async () => {
    vendors = await startFakeVendors({
      apiKey: ENV.STRIPE_SECRET_KEY,
      onCall: (call) => {
        if (call.vendor !== "stripe") return;
        const v = contractViolation("stripe/spec3.yaml", { ...call, headers: call.headers as Record<string, unknown> });
        if (v) {
          violations.push(v);
          throw new Error(v);
        }
      },
    });
  });
  after(() => vendors.close());

  test("find (paged), rectify and erase each validate against spec3.yaml", { timeout: 60_000 }, async () => {
    for (let i = 0; i < 3; i++) vendors.addStripeCustomer({ email: "ada@example.net", name: "Ada" });
    vendors.addStripeCustomer({ email: "grace@example.net" });
    const c = at("stripe", vendors.stripeUrl);
    const done = await exercise(c, ["find", "rectify", "erase"]);
    assert.equal(done.find, 3);
    assert.deepEqual(violations, []);
    assert.equal(vendors.stripeCustomers("ada@example.net").length, 0, "Ada's customers are gone");
    assert.equal(vendors.stripeCustomers("grace@example.net").length, 1, "nobody else's");
  });

  test("the validator refuses what Stripe would: an unknown parameter, an unknown form field", () => {
    const q = new URLSearchParams("emial=ada@example.net");
    assert.match(
      contractViolation("stripe/spec3.yaml", {
        method: "GET",
        path: "/v1/customers",
        query: q,
        headers: { authorization: "x" },
        body: "",
      }) ?? "",
      /unknown query parameter emial/,
    );
    assert.match(
      contractViolation("stripe/spec3.yaml", {
        method: "POST",
        path: "/v1/customers/cus_1",
        query: new URLSearchParams(),
        headers: { authorization: "x", "content-type": "application/x-www-form-urlencoded" },
        body: "nickname=Ada",
      }) ?? "",
      /additional properties/,
    );
  });
});
