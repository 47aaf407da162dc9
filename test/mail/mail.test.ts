import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { createMailer, MailError } from "../../src/mail/index.js";

const dir = mkdtempSync(join(tmpdir(), "pledge-mail-"));
after(() => rmSync(dir, { recursive: true, force: true }));

it("quotes a sender's name from the declaration, so that it cannot add a header or an address", async () => {
  const mailer = createMailer({
    from: {
      name: 'Acme, Inc. "Privacy" <evil@attacker.example>\r\nBcc: x@attacker.example',
      address: "privacy@acme.example",
    },
    outboxDir: dir,
  });
  const { file } = await mailer.send({ to: "ann@example.org", subject: "Hello", text: "Hi" });
  // Headers unfolded: a long encoded name continues on indented lines.
  const eml = readFileSync(file!, "utf8").replace(/\r?\n[ \t]+/g, " ");
  const from = /^From: (.*)$/m.exec(eml)![1];
  assert.match(from, /<privacy@acme\.example>$/, from);
  assert.ok(!/^Bcc:/im.test(eml), "no header injected");
  assert.ok(from.startsWith('"') || from.startsWith("=?"), `the name is quoted or encoded: ${from}`);
});

it("an unreachable SMTP server is a MailError that names no host", async () => {
  const mailer = createMailer({ smtpUrl: "smtp://127.0.0.1:1" });
  await assert.rejects(
    () => mailer.send({ to: "ann@example.org", subject: "Hello", text: "Hi" }),
    (err: unknown) => err instanceof MailError && err.code === "MAIL_UNAVAILABLE" && !err.message.includes("127.0.0.1"),
  );
});
