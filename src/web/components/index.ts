/** The components every console and public page is built from (see STYLE.md, "The web layer"). */
export { ConfirmStep } from "./confirm.js";
export { Csrf, SignOut } from "./csrf.js";
export { DataTable } from "./table.js";
export { Field } from "./field.js";
export { plural, count } from "./words.js";
export { scheduleWords } from "./schedule.js";
