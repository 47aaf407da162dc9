/** The rental shop's declaration with governance registers, for the governance tests. */
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import type { GovernanceContext } from "../../src/governance/index.js";
import type { Store } from "../../src/store/index.js";
import { shopDeclaration, type Engine } from "./rental-shop.js";
import { testMailer, type TestMailer } from "./requests.js";

export const GOVERNANCE_YAML = `
governance:
  staffAccess:
    policy: Staff do not examine the content of customer accounts without the customer's explicit consent.
    protectedClasses:
      - { id: email, name: Email, description: The content of sent and received messages, excludes: "message metadata: sender, recipient, size" }
      - { id: files, name: Files, description: The content of hosted files }
    purposes:
      - { id: support, description: Support the customer at their own request }
    exceptions:
      - { id: aup_violation, description: Evidence of a possible Acceptable Use Policy violation, approver: officer }
    maxWindow: 7 days
  remoteSessions: { form: Remote Session Security Verification form, recordingRetention: 180 days }
  temporaryCopies: { purgeWithin: 30 days }
  legalRequests: { policy: Requests from authorities are verified and filled only where the law requires., verificationRequired: true, transparencyReport: true }
  agreements:
    - { id: hipaa_baa, name: HIPAA Business Associate Agreement, type: baa, acceptedBy: officer, templateVersion: "2024-1" }
    - { id: gdpr_dpa, name: GDPR Data Privacy Addendum, type: gdpr_addendum, automatic: true, appliesTo: gdpr }
  subProcessors: { list: subprocessor_updates, objectionWindow: 30 days }
  breach: { procedure: Breaches are registered at once and reported at the earliest possible time., regimes: [gdpr, hipaa, ccpa] }
consent:
  newsletters:
    subprocessor_updates: { name: Sub-processor changes, purpose: rentals }
processorActivities:
  hosting: { name: Hosting for business customers, controllers: [Business customers], processing: [storage], subProcessors: [aws] }
recipients:
  aws: { name: Amazon Web Services, description: Server hosting, role: sub_processor, country: US, transfer: { mechanisms: [scc_2021] } }
`;

/** The shop on `engines` with the registers declared; the organization is also a processor. */
export function governanceDeclaration(engines: readonly Engine[], extra = GOVERNANCE_YAML): Declaration {
  const yaml = shopDeclaration(engines).replace("roles: [controller]", "roles: [controller, processor]") + extra;
  return parseDeclaration(yaml, "pledge.yaml").declaration;
}

export interface GovTestContext extends GovernanceContext {
  mailer: TestMailer;
  advance(ms: number): void;
  setDeclaration(d: Declaration): void;
}

export function govContext(
  store: Store,
  decl: Declaration,
  env: Record<string, string | undefined> = {},
): GovTestContext {
  let offset = 0;
  let current = decl;
  return {
    store,
    declaration: () => current,
    mailer: testMailer(),
    publicUrl: "http://pledge.test",
    env: { PLEDGE_SECRET: "test-secret", ...env },
    cwd: process.cwd(),
    clock: () => new Date(Date.now() + offset),
    advance(ms) {
      offset += ms;
    },
    setDeclaration(d) {
      current = d;
    },
  };
}

/** The link a test mail carries to `path` (`/access-consent/`), with its token. */
export function linkIn(text: string, path: string): string {
  const m = new RegExp(`http://pledge\\.test(${path.replace(/\//g, "\\/")}[A-Za-z0-9_./-]+)`).exec(text);
  if (!m) throw new Error(`no ${path} link in: ${text}`);
  return m[1];
}
