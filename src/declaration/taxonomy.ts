/**
 * The built-in taxonomy: data categories (dotted keys, each mapped to a W3C DPV
 * personal-data IRI where one exists) and data subjects. A declaration extends
 * both under `taxonomy:`.
 */
import type { Declaration } from "./schema.js";

export interface CategoryInfo {
  name: string;
  description?: string;
  dpv?: string;
  /** GDPR Art 9(1) special category. */
  special?: string;
  /** CCPA sensitive personal information. */
  sensitive?: boolean;
  /**
   * Sensitive only when held with one of these (Cal. Civ. Code 1798.140(ae)(1)(B): a card or account number "in
   * combination with any required security or access code, password, or credentials").
   */
  sensitiveWith?: readonly string[];
}

const PD = "https://w3id.org/dpv/pd#";

const c = (name: string, dpv?: string, extra: Partial<CategoryInfo> = {}): CategoryInfo => ({
  name,
  ...(dpv ? { dpv: PD + dpv } : {}),
  ...extra,
});

/** Data categories every declaration may use without defining them. */
export const BUILTIN_CATEGORIES: Readonly<Record<string, CategoryInfo>> = {
  "user.name": c("Name", "Name"),
  "user.contact.email": c("Email address", "EmailAddress"),
  "user.contact.phone_number": c("Telephone number", "TelephoneNumber"),
  "user.contact.address": c("Postal address", "PhysicalAddress"),
  "user.contact.fax": c("Fax number"),
  "user.account.id": c("Account identifier", "AccountIdentifier"),
  "user.account.username": c("Username", "Username"),
  "user.account.password": c("Password", "Password", { sensitive: true }),
  "user.account.security_questions": c("Security questions and answers", "SecretText"),
  "user.account.settings": c("Account settings and preferences", "Preference"),
  "user.account.login_history": c("Login history"),
  "user.organization.name": c("Company or organization name"),
  "user.organization.demographics": c("Company demographics"),
  "user.organization.job_title": c("Job title", "Job"),
  "user.device.ip_address": c("IP address", "IPAddress"),
  "user.device.user_agent": c("Browser user agent", "UserAgent"),
  "user.device.browser_type": c("Browser type"),
  "user.device.operating_system": c("Operating system"),
  "user.device.isp": c("Internet service provider"),
  "user.device.cookie_id": c("Cookie or device identifier", "Identifier"),
  "user.device.local_network_address": c("Local network address"),
  "user.behavior.browsing_history": c("Pages visited and click-stream", "BrowsingBehaviour"),
  "user.behavior.referrer": c("Referring and exit pages", "BrowsingReferral"),
  "user.behavior.timestamps": c("Date and time of visits"),
  "user.behavior.site_preferences": c("Site preferences", "Preference"),
  "user.behavior.interests": c("Interests inferred from activity", "Interest"),
  "user.behavior.purchase_history": c("Order and purchase history", "PurchasesAndSpendingHabit"),
  "user.financial.card_number": c("Payment card number", "CreditCardNumber", {
    sensitive: true,
    sensitiveWith: ["user.financial.card_security_code", "user.account.password"],
  }),
  "user.financial.card_security_code": c("Card security code", undefined, { sensitive: true }),
  "user.financial.billing_address": c("Billing address"),
  "user.financial.billing_history": c("Billing history", "Transaction"),
  "user.financial.bank_account": c("Bank account", "BankAccount", {
    sensitive: true,
    sensitiveWith: ["user.account.password"],
  }),
  "user.content.email_messages": c("Email messages", "EmailContent"),
  "user.content.files": c("Files"),
  "user.content.calendar": c("Calendar appointments"),
  "user.content.chat": c("Chat and discussion content", "Communication"),
  "user.content.support_requests": c("Support requests and their content", "Communication"),
  "user.content.survey_responses": c("Survey responses"),
  "user.content.testimonial": c("Testimonial"),
  "user.content.public_posts": c("Public posts (forums, blog comments)"),
  "user.content.contacts": c("Contacts imported into address books"),
  "user.content.hosted_data": c("Data hosted or managed on behalf of customers"),
  "user.recording.screen": c("Screen recording of a remote session"),
  "user.signature": c("Signature on a signed form"),
  "user.photo": c("Photograph or picture of the person", "Picture"),
  "user.employment.dates": c("Employment dates (hire and leaving)", "EmploymentHistory"),
  "user.job.number": c("Job number"),
  "user.job.name": c("Job name"),
  "user.job.location": c("Job location (address of the project)", "Location"),
  "user.job.case_number": c("Case number"),
  "user.job.configuration": c("System configuration data"),
  "user.job.logs": c("System and application logs"),
  "user.job.network_capture": c("Network traffic capture"),
  "user.event.registration": c("Event registration and attendance"),
  "user.consent.record": c("Consent choices and their proof"),
  "user.marketing.preferences": c("Marketing and communication preferences", "Preference"),
  "user.government_id": c("Government identifier", "OfficialID", { sensitive: true }),
  "user.date_of_birth": c("Date of birth"),
  "user.location.precise": c("Precise geolocation", "Location", { sensitive: true }),
  "user.health": c("Health data", "Health", { special: "health", sensitive: true }),
  "user.biometric": c("Biometric data for identification", "Biometric", { special: "biometric", sensitive: true }),
  "user.genetic": c("Genetic data", "Genetic", { special: "genetic", sensitive: true }),
  "user.racial_ethnic_origin": c("Racial or ethnic origin", "Race", {
    special: "racial_ethnic_origin",
    sensitive: true,
  }),
  "user.political_opinions": c("Political opinions", "PoliticalOpinion", { special: "political_opinions" }),
  "user.religious_beliefs": c("Religious or philosophical beliefs", "Religion", {
    special: "religious_beliefs",
    sensitive: true,
  }),
  "user.trade_union_membership": c("Trade union membership", "TradeUnionMembership", {
    special: "trade_union_membership",
    sensitive: true,
  }),
  "user.sex_life_orientation": c("Sex life or sexual orientation", "Sexual", {
    special: "sex_life_orientation",
    sensitive: true,
  }),
};

/** Data subjects every declaration may use without defining them. */
export const BUILTIN_SUBJECTS: Readonly<Record<string, { name: string }>> = {
  visitor: { name: "Website visitors" },
  customer: { name: "Customers" },
  prospect: { name: "Prospects and people asking for information" },
  trial_user: { name: "Free trial users" },
  affiliate: { name: "Affiliates" },
  account_user: { name: "Users in a customer's account" },
  newsletter_subscriber: { name: "Newsletter subscribers" },
  event_attendee: { name: "Event attendees" },
  support_requester: { name: "People asking for support" },
  referred_friend: { name: "Friends referred by a user" },
  customer_employee: { name: "Customers' employees and contacts" },
  customer_end_user: { name: "Customers' own customers, partners and suppliers" },
  third_party_contact: { name: "Contacts imported by users" },
  employee: { name: "Employees" },
  learner: { name: "Learners on educational platforms" },
  donor: { name: "Donors" },
};

/** Every data category a declaration may use: the built-in ones and its own. */
export function categoriesOf(decl: Pick<Declaration, "taxonomy">): Record<string, CategoryInfo> {
  return { ...BUILTIN_CATEGORIES, ...decl.taxonomy.dataCategories };
}

/**
 * The categories of a set held together that are CCPA sensitive personal information: a card number only with its
 * security code or the account's password (1798.140(ae)(1)(B)); every other sensitive category on its own.
 */
export function sensitiveAmong(held: readonly string[], all: Record<string, CategoryInfo>): string[] {
  const within = (a: string, b: string) => a === b || a.startsWith(`${b}.`);
  return held.filter((h) =>
    Object.entries(all).some(
      ([k, v]) =>
        v.sensitive &&
        (within(k, h) || within(h, k)) &&
        (!v.sensitiveWith || held.some((o) => v.sensitiveWith!.some((w) => within(o, w) || within(w, o)))),
    ),
  );
}

/** Every data subject a declaration may use. */
export function subjectsOf(
  decl: Pick<Declaration, "taxonomy">,
): Record<string, { name: string; description?: string }> {
  return { ...BUILTIN_SUBJECTS, ...decl.taxonomy.dataSubjects };
}

/** A category key is known when it is defined, or is the parent of one that is (`user.contact`). */
export function isKnownCategory(key: string, all: Record<string, CategoryInfo>): boolean {
  if (key in all) return true;
  const prefix = `${key}.`;
  return Object.keys(all).some((k) => k.startsWith(prefix));
}

/** Whether category `key` is `parent` or below it. */
export function categoryWithin(key: string, parent: string): boolean {
  return key === parent || key.startsWith(`${parent}.`);
}

/** The display name of a category key, falling back to the key. */
export function categoryName(key: string, all: Record<string, CategoryInfo>): string {
  return all[key]?.name ?? key;
}
