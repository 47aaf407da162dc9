/** Small valid declarations for tests, built as YAML text. */
import { readFileSync } from "node:fs";
import { parseDeclaration, type LoadedDeclaration } from "../../src/declaration/index.js";
import { EXAMPLES } from "./cli.js";

/** A minimal valid declaration; `extra` is appended at the top level. */
export function minimalYaml(extra = ""): string {
  return `version: "1"
effectiveDate: 2025-01-01
organization:
  name: Acme GmbH
  roles: [controller]
  country: DE
  contact: { email: privacy@acme.example }
  jurisdictions: [EU]
purposes:
  orders:
    name: Orders
    legalBasis: contract
    dataCategories: [user.contact.email]
    dataSubjects: [customer]
    retention: two_years
retention:
  two_years: { period: 2 years, from: collection, action: delete }
rights:
  offered: [access, rectification, erasure, restriction, portability, objection, complaint]
  channels: [{ type: email, address: privacy@acme.example }]
${extra}`;
}

/** Loads one of the seed declarations under examples/. */
export function example(name: string): LoadedDeclaration {
  return parseDeclaration(readFileSync(EXAMPLES + name, "utf8"), name);
}

export const SEED_FILES = {
  luxsci2018: "luxsci-2018.yaml",
  luxsci2009: "luxsci-2009.yaml",
  lutron: "lutron-remote-service-2021.yaml",
  dataIntensity: "data-intensity-safe-harbor.yaml",
  numfocus: "numfocus-2020.yaml",
} as const;

/** Published notices of other kinds than the seeds, found with the search tool (examples/README.md). */
export const MORE_EXAMPLES = {
  seniorVision: "senior-vision-2025.yaml",
  menicon: "menicon-consumers.yaml",
  silktide: "silktide-subprocessors.yaml",
} as const;

/** A declaration with one consent category besides the essential one (analytics), for the consent record tests. */
export const ANALYTICS_CONSENT_YAML = `version: "1"
effectiveDate: 2026-01-01
organization: { name: Acme, roles: [controller], country: DE, contact: { email: privacy@acme.example }, jurisdictions: [EU] }
purposes:
  orders: { name: Orders, legalBasis: contract, dataCategories: [user.contact.email], dataSubjects: [customer], retention: r }
  analytics: { name: Analytics, legalBasis: consent, dataCategories: [user.device.cookie_id], dataSubjects: [visitor], retention: r }
retention: { r: { period: 1 year, from: collection, action: delete } }
rights:
  offered: [access, erasure, withdraw_consent, complaint]
  channels: [{ type: web, address: /privacy-center }]
consent:
  validity: 1 year
  categories:
    essential: { name: Essential, description: Needed, essential: true, default: true, purposes: [orders] }
    analytics: { name: Analytics, description: Stats, purposes: [analytics] }
`;
