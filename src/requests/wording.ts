/**
 * What a person is told when a request is refused or delayed, in the words of
 * the law of their request: a GDPR refusal gives the reasons, the right to
 * complain to the declared supervisory authority and the right to a judicial
 * remedy (Art 12(4)); a refusal in a US state with appeals explains the appeal
 * and the attorney general's route; a CCPA refusal never speaks GDPR.
 */
import { REGIMES, formatRule, type Declaration, type RegimeId } from "../declaration/index.js";

/** The lines after the reason of a refusal. */
export function refusalRights(decl: Declaration, regime: RegimeId): string {
  const r = REGIMES[regime];
  const sa = decl.organization.supervisoryAuthority;
  switch (r.family) {
    case "gdpr": {
      const authority = sa?.name
        ? `${sa.name}` +
          ([sa.url, sa.email, sa.address].filter(Boolean).length
            ? ` (${[sa.url, sa.email, sa.address].filter(Boolean).join(", ")})`
            : "")
        : regime === "uk_gdpr"
          ? "the Information Commissioner's Office (ico.org.uk)"
          : "the supervisory authority of the EU country where you live or work, or where you think the law was broken";
      const art = regime === "uk_gdpr" ? "UK GDPR" : "GDPR";
      return (
        `You have the right to lodge a complaint with a supervisory authority: ` +
        `${authority}. You also have the right to seek a judicial remedy before the ` +
        `courts (${art} Art 12(4), 77, 79).`
      );
    }
    case "us_state":
      if (r.appeal)
        return (
          `You may appeal this decision: open your request's page with the link in the ` +
          `email we sent when you confirmed it, and choose "Appeal this decision". We ` +
          `answer an appeal within ${formatRule(r.appeal)}. If we deny your appeal, you ` +
          `may contact ${r.complaintTo}.`
        );
      return r.complaintTo
        ? `If you believe we did not handle your request as the law requires, you may contact ${r.complaintTo}.`
        : "";
    case "other":
      return `You may complain to ${r.complaintTo}.`;
    case "none":
      return "";
  }
}

/** The reference and the way back to the request, for every mail about it. */
export function requestReference(requestId: string, publicUrl: string): string {
  return (
    `Reference: ${requestId}. Follow your request at ${publicUrl}/privacy-center ` +
    `with the link in the email we sent when you confirmed it.`
  );
}
