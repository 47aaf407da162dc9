/**
 * Discovery: what the organization's systems really hold, compared with what
 * the declaration says. The live check (`pledge check --live`) reads each
 * system's schema through its connector, read-only.
 */
export { checkLive, LIVE_RULES, type LiveRuleId, type LiveCheckOptions } from "./live-check.js";
