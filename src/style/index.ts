/** The house style: one stylesheet (Pico CSS and Pledge's theme) for every page, served and inlined alike. */
export { stylesheetCss, stylesheetPath } from "./stylesheet.js";
export { THEME_CSS } from "./theme.js";
