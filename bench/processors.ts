/**
 * bench/processors: find and erase 1,000 people at a local vendor stand-in (the Stripe contract), through Pledge's
 * HTTP connector, through hand-written `fetch` calls to the same stand-in, and through hand-written calls with undici's
 * `request` (the client the connector uses, so that the connector's own cost shows), at the same concurrency (the
 * spec's declared limit, 4 calls in flight), in one run. Each person's email is generated here, not chosen for the code; a
 * fifth of them have two customer records, a tenth none. Reports the time of each, their ratio, the calls each made,
 * and the most calls the connector ever had in flight. Five alternating rounds; medians.
 *
 *   npm run bench -- processors
 *   BENCH_PEOPLE=5000 npm run bench -- processors
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { stringify } from "yaml";
import { createVendorConnector, gateStats, loadVendorSpec } from "../src/connectors/index.js";
import { startFakeVendors } from "../src/demo/vendors.js";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1000);
const KEY = "sk_test_bench";

export async function run(): Promise<void> {
  const vendors = await startFakeVendors({ apiKey: KEY });
  const concurrency = loadVendorSpec("stripe").limits.concurrency;
  const make = (tag: string) => {
    const emails: string[] = [];
    for (let i = 0; i < PEOPLE; i++) {
      const email = `${randomBytes(5).toString("hex")}.${tag}${i}@example.${["com", "net", "org"][i % 3]}`;
      emails.push(email);
      if (i % 10 !== 0) vendors.addStripeCustomer({ email, name: `Person ${i}` });
      if (i % 5 === 0) vendors.addStripeCustomer({ email });
    }
    return emails;
  };
  const pool = async (items: string[], fn: (x: string) => Promise<void>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < items.length) await fn(items[next++]);
      }),
    );
  };

  // The built-in spec without its per-second limit (25/s would set the pace: 3,100 calls take 124 s), so that both
  // sides run at the same concurrency only; `BENCH_DECLARED=1` keeps the declared limit.
  let specFile = "stripe";
  if (!process.env.BENCH_DECLARED) {
    specFile = join(mkdtempSync(join(tmpdir(), "pledge-bench-")), "stripe.yaml");
    writeFileSync(specFile, stringify({ ...loadVendorSpec("stripe"), limits: { concurrency } }));
  }
  const c = createVendorConnector(
    "billing",
    { engine: "http", spec: specFile, baseUrl: vendors.stripeUrl },
    { STRIPE_SECRET_KEY: KEY },
  );
  const key = `Stripe@${new URL(vendors.stripeUrl).origin}`;

  // Hand-written: list by email, delete each, list again to confirm.
  const auth = { authorization: `Bearer ${KEY}` };
  let handCalls = 0;
  const list = async (email: string) => {
    handCalls++;
    const r = await fetch(`${vendors.stripeUrl}/v1/customers?email=${encodeURIComponent(email)}&limit=100`, {
      headers: auth,
    });
    return ((await r.json()) as { data: { id: string }[] }).data;
  };
  const byHand = async (email: string) => {
    for (const x of await list(email)) {
      handCalls++;
      await (
        await fetch(`${vendors.stripeUrl}/v1/customers/${encodeURIComponent(x.id)}`, {
          method: "DELETE",
          headers: auth,
        })
      ).text();
    }
    if ((await list(email)).length) throw new Error("not erased");
  };
  // The same by hand with undici's request.
  const listRequest = async (email: string) => {
    handCalls++;
    const r = await request(`${vendors.stripeUrl}/v1/customers?email=${encodeURIComponent(email)}&limit=100`, {
      headers: auth,
    });
    return ((await r.body.json()) as { data: { id: string }[] }).data;
  };
  const byRequest = async (email: string) => {
    for (const x of await listRequest(email)) {
      handCalls++;
      await (
        await request(`${vendors.stripeUrl}/v1/customers/${encodeURIComponent(x.id)}`, {
          method: "DELETE",
          headers: auth,
        })
      ).body.text();
    }
    if ((await listRequest(email)).length) throw new Error("not erased");
  };
  // Pledge: the connector's find, erase and the search that confirms it.
  const byPledge = async (email: string) => {
    const records = await c.find({ email: [email] });
    if (records.length) await c.erase(records, { email: [email] });
    if ((await c.find({ email: [email] })).length) throw new Error("not erased");
  };
  const timed = async (tag: string, fn: (email: string) => Promise<void>) => {
    const people = make(tag);
    const t = performance.now();
    await pool(people, fn);
    return performance.now() - t;
  };
  // Alternating rounds, each on people of its own; the median of each (the first round warms both up).
  const ROUNDS = 5;
  const hands: number[] = [];
  const requests: number[] = [];
  const pledges: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    hands.push(await timed(`h${round}`, byHand));
    requests.push(await timed(`r${round}`, byRequest));
    gateStats.delete(key);
    pledges.push(await timed(`p${round}`, byPledge));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const hand = median(hands);
  const byUndici = median(requests);
  const pledge = median(pledges);
  handCalls /= 2 * ROUNDS;
  const stats = gateStats.get(key);
  await vendors.close();
  console.log(`people: ${PEOPLE} (each found, erased and searched again), concurrency ${concurrency}`);
  console.log(`hand-written fetch: ${hand.toFixed(0)} ms, ${handCalls} calls`);
  console.log(`hand-written undici request: ${byUndici.toFixed(0)} ms, ${handCalls} calls`);
  console.log(
    `Pledge connector:   ${pledge.toFixed(0)} ms, ${stats?.calls} calls, at most ${stats?.maxInFlight} in flight`,
  );
  console.log(
    `rounds (ms): fetch ${hands.map((x) => x.toFixed(0)).join(", ")}; request ${requests.map((x) => x.toFixed(0)).join(", ")}; ` +
      `Pledge ${pledges.map((x) => x.toFixed(0)).join(", ")}`,
  );
  console.log(`ratio: ${(pledge / hand).toFixed(2)}x the hand-written fetch calls (target ≤ 1.2x)`);
  console.log(
    `ratio: ${(pledge / byUndici).toFixed(2)}x the hand-written undici request calls (the connector's own cost)`,
  );
}
