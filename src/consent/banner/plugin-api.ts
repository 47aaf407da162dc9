/**
 * How the core banner and its plugins talk. A plugin registers with `PledgeConsent.use(name, fn)`; the core calls
 * `fn` with the person's choice (or none yet) and the GPC signal when the page loads and after every choice, and
 * sends the strings it returns with the consent record, so the proof shows what ad tech was told.
 */
import type { GppPluginConfig, TcfPluginConfig } from "../iab.js";

export interface PluginState {
  /** Category id → 1 given, 0 refused; null while the person has not chosen. */
  categories: Record<string, 0 | 1> | null;
  /** The browser sent Global Privacy Control and the declaration honours it. */
  gpc: boolean;
  language: string;
}

/** The strings a plugin set: `gpp` (a GPP string), `tc` (a TC string). */
export type PluginStrings = { gpp?: string; tc?: string };

export type Plugin = (state: PluginState) => PluginStrings | Promise<PluginStrings>;

/** The plugins' part of the configuration the server inlines, each with the URL of its script. */
export interface IabBannerConfig {
  gpp?: GppPluginConfig & { src: string };
  tcf?: TcfPluginConfig & { src: string };
}

/** What the core exposes on `window.PledgeConsent`. */
export interface PledgeConsentApi {
  open(): void;
  get(): unknown;
  use(name: string, plugin: Plugin): void;
}
