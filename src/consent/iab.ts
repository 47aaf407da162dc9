/**
 * The IAB's signals, worked out on the server from the declaration for the banner's optional plugins: the GPP US
 * sections the organization's places need and what each field means in its terms, and the TCF v2.3 model (CMP id,
 * purposes and special features per consent category, the vendors disclosed). The Global Vendor List the organization
 * supplies is read from its file or downloaded on a schedule, and served cut down to the vendors disclosed.
 * A consent record's strings are checked by decoding them with the IAB's own libraries.
 */
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { GppModel, Sections } from "@iabgpp/cmpapi";
import { TCString } from "@iabtcf/core";
import { addDuration, parseDuration, servesEu, type Declaration } from "../declaration/index.js";

const WEEK = { amount: 1, unit: "week" as const };

/** What a GPP opt-out field answers: the person's choice about sale, sharing or targeted advertising. */
export type OptOutKind = "sale" | "share" | "targeted";

export interface GppSectionConfig {
  name: string;
  id: number;
  /** Fields set from the declaration alone (notices, MSPA). */
  fixed: Record<string, number>;
  /** Opt-out fields and the choice each answers. */
  optOuts: Record<string, OptOutKind>;
  /** Whether the section carries the GPC segment. */
  gpc: boolean;
}

export interface GppPluginConfig {
  cmpId: number;
  cmpVersion: number;
  sections: GppSectionConfig[];
  /** The consent categories whose refusal is an opt-out of each kind (a kind with none is not applicable). */
  kinds: Record<OptOutKind, string[]>;
}

export interface TcfPluginConfig {
  cmpId: number;
  cmpVersion: number;
  /** The TCF purpose ids each consent category stands for. */
  purposes: Record<string, number[]>;
  specialFeatures: Record<string, number[]>;
  vendors: number[];
  publisherCountryCode: string;
  /** Where the banner reads the cut-down vendor list. */
  gvlUrl: string;
  /** Whether the GDPR applies to the site's visitors (the declaration serves the EU, EEA or UK). */
  gdprApplies: boolean;
}

export interface IabPluginConfig {
  gpp?: GppPluginConfig;
  tcf?: TcfPluginConfig;
}

/** The GPP section of each US state, by its jurisdiction code (`US-CA` → `usca`), as the IAB library names them. */
function stateSection(jurisdiction: string): { name: string; id: number } | undefined {
  const m = /^US-([A-Z]{2})$/.exec(jurisdiction);
  if (!m) return undefined;
  const name = `us${m[1].toLowerCase()}`;
  for (const [id, n] of Sections.SECTION_ID_NAME_MAP) if (n === name) return { name, id };
  return undefined;
}

/** Whether a section has a field, asked of the IAB library itself (a fresh model per question). */
function hasField(section: string, field: string, value: unknown): boolean {
  try {
    new GppModel().setFieldValue(section, field, value);
    return true;
  } catch {
    return false;
  }
}

const OPT_OUT_FIELDS: [string, string, OptOutKind][] = [
  ["SaleOptOut", "SaleOptOutNotice", "sale"],
  ["SharingOptOut", "SharingOptOutNotice", "share"],
  ["TargetedAdvertisingOptOut", "TargetedAdvertisingOptOutNotice", "targeted"],
];

const gppConfigs = new WeakMap<Declaration, GppPluginConfig>();

/**
 * The GPP plugin's configuration: US National always, and the section of each US state the organization serves.
 * A kind of opt-out the declaration has no purpose for (nothing sold) is "not applicable" with its notice; one it has
 * is "notice given" (the banner and the notice say it), and the person's choice answers it.
 */
export function gppConfig(decl: Declaration): GppPluginConfig | undefined {
  const gpp = decl.consent?.iab?.gpp;
  if (!gpp) return undefined;
  const cached = gppConfigs.get(decl);
  if (cached) return cached;
  const categories = Object.entries(decl.consent?.categories ?? {}).filter(([, c]) => !c.essential);
  const having = (test: (p: Declaration["purposes"][string]) => boolean) =>
    categories.filter(([, c]) => c.purposes.some((p) => decl.purposes[p] && test(decl.purposes[p]))).map(([id]) => id);
  const kinds: Record<OptOutKind, string[]> = {
    sale: having((p) => p.sold),
    share: having((p) => p.shared),
    targeted: having((p) => !!p.targetedAdvertising),
  };
  const places = decl.rights.appliesTo ?? decl.organization.jurisdictions;
  const states = places.map(stateSection).filter((s): s is { name: string; id: number } => !!s);
  const mspa = gpp.mspaCoveredTransaction;
  const sections = [{ name: "usnat", id: 7 }, ...states].map(({ name, id }): GppSectionConfig => {
    const fixed: Record<string, number> = {};
    const optOuts: Record<string, OptOutKind> = {};
    for (const [field, notice, kind] of OPT_OUT_FIELDS) {
      if (!hasField(name, field, 0)) continue;
      const applies = kinds[kind].length > 0;
      if (hasField(name, notice, 0)) fixed[notice] = applies ? 1 : 0;
      if (applies) optOuts[field] = kind;
      else fixed[field] = 0;
    }
    // MSPA: 1 yes, 2 no; the two modes apply only to a covered transaction, and then the opt-out option mode.
    if (hasField(name, "MspaCoveredTransaction", 2)) {
      fixed.MspaCoveredTransaction = mspa ? 1 : 2;
      fixed.MspaOptOutOptionMode = mspa ? 1 : 0;
      fixed.MspaServiceProviderMode = mspa ? 2 : 0;
    }
    return { name, id, fixed, optOuts, gpc: hasField(name, "Gpc", false) };
  });
  const config = { cmpId: gpp.cmpId, cmpVersion: gpp.cmpVersion, sections, kinds };
  gppConfigs.set(decl, config);
  return config;
}

/** The TCF plugin's configuration, or undefined when the declaration does not enable TCF. */
export function tcfConfig(decl: Declaration, publicBase = ""): TcfPluginConfig | undefined {
  const tcf = decl.consent?.iab?.tcf;
  if (!tcf) return undefined;
  const places = decl.rights.appliesTo ?? decl.organization.jurisdictions;
  return {
    cmpId: tcf.cmpId,
    cmpVersion: tcf.cmpVersion,
    purposes: tcf.purposes,
    specialFeatures: tcf.specialFeatures,
    vendors: [...tcf.vendors].sort((a, b) => a - b),
    publisherCountryCode: tcf.publisherCountryCode ?? decl.organization.country,
    gvlUrl: `${publicBase}/consent/tcf/vendor-list.json`,
    gdprApplies: servesEu(places),
  };
}

/** A Global Vendor List (v3) as the IAB publishes it; only what Pledge reads is typed. */
export interface VendorList {
  gvlSpecificationVersion: number;
  vendorListVersion: number;
  tcfPolicyVersion: number;
  lastUpdated: string;
  purposes: Record<string, unknown>;
  specialPurposes: Record<string, unknown>;
  features: Record<string, unknown>;
  specialFeatures: Record<string, unknown>;
  vendors: Record<string, { id: number; name: string; purposes: number[]; deletedDate?: string }>;
  stacks?: Record<string, unknown>;
  dataCategories?: Record<string, unknown>;
}

/** The vendor list could not be read or is not a GVL. */
export class GvlError extends Error {
  readonly code = "DECLARATION_INVALID";
}

function checkGvl(json: unknown, where: string): VendorList {
  const v = json as Partial<VendorList> | null;
  if (!v || typeof v !== "object" || typeof v.vendorListVersion !== "number" || !v.vendors || !v.purposes)
    throw new GvlError(`${where}: not a Global Vendor List (no vendorListVersion, vendors or purposes)`);
  if (typeof v.tcfPolicyVersion !== "number" || v.tcfPolicyVersion < 4)
    throw new GvlError(
      `${where}: tcfPolicyVersion ${v.tcfPolicyVersion}: TCF v2.3 needs a v3 list of policy 4 or later`,
    );
  return v as VendorList;
}

/**
 * Cuts a vendor list down to the vendors the site discloses (the banner downloads only this), and names the declared
 * vendors the list does not hold or has deleted.
 */
export function reduceGvl(list: VendorList, vendors: number[]): { list: VendorList; missing: number[] } {
  const kept: VendorList["vendors"] = {};
  const missing: number[] = [];
  for (const id of vendors) {
    const v = list.vendors[String(id)];
    if (!v || v.deletedDate) missing.push(id);
    else kept[String(id)] = v;
  }
  const { stacks: _s, ...rest } = list;
  return { list: { ...rest, vendors: kept }, missing };
}

/** How long a failed read or download is answered from memory before it is tried again. */
const RETRY_AFTER_MS = 60_000;

/**
 * Reads and caches the organization's vendor list: from its file, or downloaded again once its refresh is due. The
 * list is served on a public route, so what a request can cost is bounded: requests that come together share one
 * download, and a failure is not tried again for a minute (the last good copy serves meanwhile).
 */
export class GvlSource {
  private cached?: { list: VendorList; at: number; key: string };
  private loading?: { key: string; promise: Promise<VendorList> };
  private failed?: { key: string; at: number; error: GvlError };

  /**
   * @param baseDir the declaration's folder, which a `file` is relative to (asked each time: a reload may move it)
   * @param fetcher downloads a `url`
   */
  constructor(
    private readonly baseDir: () => string,
    private readonly fetcher: typeof fetch = fetch,
  ) {}

  /** The declaration's vendor list, cut down to its vendors. */
  async get(decl: Declaration, now = new Date()): Promise<{ list: VendorList; missing: number[] }> {
    const tcf = decl.consent?.iab?.tcf;
    if (!tcf) throw new GvlError("consent.iab.tcf: the declaration does not enable TCF");
    const key = JSON.stringify(tcf.gvl);
    const cached = this.cached?.key === key ? this.cached : undefined;
    const fresh =
      !!cached && ("file" in tcf.gvl || addDuration(new Date(cached.at), parseDuration(tcf.gvl.refresh) ?? WEEK) > now);
    if (fresh) return reduceGvl(cached.list, tcf.vendors);
    const failed =
      this.failed?.key === key && now.getTime() - this.failed.at < RETRY_AFTER_MS ? this.failed : undefined;
    if (!failed) {
      if (this.loading?.key !== key) {
        const promise = this.load(tcf.gvl).finally(() => {
          if (this.loading?.promise === promise) this.loading = undefined;
        });
        this.loading = { key, promise };
      }
      try {
        const list = await this.loading.promise;
        this.cached = { list, at: now.getTime(), key };
        this.failed = undefined;
        return reduceGvl(list, tcf.vendors);
      } catch (err) {
        this.failed = { key, at: now.getTime(), error: err as GvlError };
      }
    }
    // The last list read stays in use until a read succeeds.
    if (cached) return reduceGvl(cached.list, tcf.vendors);
    throw this.failed!.error;
  }

  private async load(gvl: { file: string } | { url: string }): Promise<VendorList> {
    if ("file" in gvl) {
      const path = isAbsolute(gvl.file) ? gvl.file : resolve(this.baseDir(), gvl.file);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(path, "utf8"));
      } catch (err) {
        throw new GvlError(`consent.iab.tcf.gvl.file: cannot read ${gvl.file} (${(err as Error).message})`);
      }
      return checkGvl(json, `consent.iab.tcf.gvl.file ${gvl.file}`);
    }
    try {
      const res = await this.fetcher(gvl.url, { signal: AbortSignal.timeout(20_000) });
      if (!res.ok) throw new Error(`answered ${res.status}`);
      return checkGvl(await res.json(), "consent.iab.tcf.gvl.url");
    } catch (err) {
      throw err instanceof GvlError
        ? err
        : new GvlError(`consent.iab.tcf.gvl.url: cannot download it (${(err as Error).message})`);
    }
  }
}

/** A consent record's IAB strings are not what the IAB libraries decode. */
export class IabStringError extends Error {
  readonly code = "REQUEST_INVALID";
}

/**
 * Checks the strings a banner sent with a choice by decoding them with the IAB's libraries: a GPP string only with
 * sections the declaration's GPP plugin sets, a TC string whose CMP id is the declared one and which carries the
 * DisclosedVendors segment TCF v2.3 requires.
 */
export function checkIabStrings(decl: Declaration, strings: { gpp?: string; tc?: string }): void {
  const iab = decl.consent?.iab;
  if (strings.gpp !== undefined) {
    const gpp = gppConfig(decl);
    if (!gpp) throw new IabStringError("gppString: the declaration does not enable GPP");
    if (!/^[A-Za-z0-9_~.-]{1,8192}$/.test(strings.gpp)) throw new IabStringError("gppString: not a GPP string");
    let sections: string[];
    try {
      const m = new GppModel(strings.gpp);
      sections = gpp.sections.map((s) => s.name).filter((n) => m.hasSection(n));
      if (m.getHeader() === undefined) throw new Error("no header");
      const all = (m.getSectionIds() as number[]).map((id) => Sections.SECTION_ID_NAME_MAP.get(id));
      if (all.some((n) => !n || !sections.includes(n))) throw new Error("a section the banner does not set");
    } catch (err) {
      throw new IabStringError(`gppString: does not decode as GPP (${(err as Error).message})`);
    }
  }
  if (strings.tc !== undefined) {
    if (!iab?.tcf) throw new IabStringError("tcString: the declaration does not enable TCF");
    if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){0,3}$/.test(strings.tc) || strings.tc.length > 16_384)
      throw new IabStringError("tcString: not a TC string");
    let model: ReturnType<typeof TCString.decode>;
    try {
      model = TCString.decode(strings.tc);
    } catch (err) {
      throw new IabStringError(`tcString: does not decode (${(err as Error).message})`);
    }
    if (model.cmpId !== iab.tcf.cmpId)
      throw new IabStringError(`tcString: CMP id ${model.cmpId}, not ${iab.tcf.cmpId}`);
    if (model.vendorsDisclosed.size === 0)
      throw new IabStringError("tcString: no DisclosedVendors segment (TCF v2.3 requires it)");
  }
}
