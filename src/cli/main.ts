/** The executable entry of `pledge`. */
import { main } from "./index.js";

process.exitCode = await main(process.argv.slice(2));
