import { it } from "node:test";
import { demoConsole } from "../helpers/demo-server.js";
const demo = demoConsole("pledge-shot-");
it("shots", async () => {
  const { page, url } = demo;
  const paths = (process.env.SHOTS ?? "/admin/requests").split(",");
  for (const w of [390, 1280]) {
    await page.setViewportSize({ width: w, height: 900 });
    for (const p of paths) {
      let target = p;
      if (p.startsWith("first:")) {
        await page.goto(`${url}/admin/requests`);
        const [n, rest] = p.slice(6).split("/");
        const href = await page.locator(`a[href^='/admin/requests/req_']`).nth(Number(n)).getAttribute("href");
        target = href! + (rest ? `/${rest}` : "");
      }
      await page.goto(`${url}${target}`);
      const name = target.replace(/[^a-z0-9]+/gi, "_");
      await page.screenshot({ path: `/tmp/shots/${name}-${w}.png`, fullPage: true });
      console.log("shot", name, w);
    }
  }
});
