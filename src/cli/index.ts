/**
 * The `pledge` command: a thin translator from flags to the functions the
 * library exports. Exit codes: 0 ok, 1 findings or failure, 2 usage error.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";
import { existsSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { verifyAudit, listAudit } from "../audit/index.js";
import {
  DeclarationError,
  DeclarationFileError,
  declarationJsonSchema,
  didYouMean,
  formatIssue,
  formatPath,
  lintDeclaration,
  loadDeclaration,
  lawTableMarkdown,
  writtenOf,
  type LoadedDeclaration,
} from "../declaration/index.js";
import {
  buildNotice,
  buildRopa,
  diffDeclarations,
  explainNotice,
  formatDiff,
  renderChangeNotice,
  renderNoticeHtml,
  renderNoticeMarkdown,
  ropaToCsv,
  ropaToJsonLd,
} from "../notice/index.js";
import {
  AuthError,
  createApiToken,
  createFirstOwner,
  createUser,
  enableUser,
  listApiTokens,
  listUsers,
  resetUserPassword,
  revokeApiToken,
  ROLES,
  TOKEN_CACHE_MS,
} from "../auth/index.js";
import { openStore, StoreError } from "../store/index.js";

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Streams for commands that filter (`pledge redact`); the process's own by default. */
  stdin?: NodeJS.ReadableStream & Readable;
  stdout?: Writable;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
  env: process.env,
};

/** A usage error: wrong flags or arguments. Exit code 2. */
export class UsageError extends Error {
  readonly code = "USAGE";
}

/** The bundled demo declaration. */
export const DEMO_DECLARATION = fileURLToPath(new URL("../../demo/pledge.yaml", import.meta.url));

const HELP = `pledge — privacy operations from one declaration

Usage:
  pledge check [pledge.yaml] [--live [--scan]] [--format text|json]
                                                       validate and lint; --live also compares every system's
                                                       real schema (read-only); exit 1 on errors
  pledge notice [pledge.yaml] [--format html|md] [--lang en|de|fr] [--explain] [--out FILE]
                                   --explain: each sentence beside the file:line of the declaration that states it
  pledge ropa [pledge.yaml] [--format csv|json|jsonld] [--out FILE]
  pledge law [--out FILE]          the law table: each place's request deadlines and breach clocks, with citations
  pledge map [pledge.yaml] [--format svg|dot|json] [--purpose P] [--category C] [--country CC] [--people] [--out FILE]
                                   the data map: systems, datasets, purposes, recipients, countries and transfers;
                                   --people: the simplified map the notice can show
  pledge dpia [pledge.yaml] [PURPOSE] [--format text|json]
                                   DPIA screening per purpose (GDPR Art 35(3), WP248): required, recommended or
                                   not indicated, with the criteria met and why
  pledge diff OLD.yaml NEW.yaml [--format text|json|notice] [--notice-format md|html]
                                   what changed, material changes marked; notice: the change notice people receive
  pledge schema [--vendor-spec]                        the declaration's JSON Schema (or a vendor spec's)
  pledge serve [pledge.yaml] [--port N] [--host H] [--demo]
  pledge worker [pledge.yaml]                          run request tasks (for servers started with PLEDGE_WORKER=off)
  pledge users add EMAIL --role owner|officer|approver|viewer [--name N] [--password-stdin]
  pledge users list | reset EMAIL | disable EMAIL | enable EMAIL
                                   reset: a one-time password for a locked-out user (second factor cleared), audited
  pledge tokens create NAME --role ROLE                an API token for machines, shown once
  pledge tokens list                                   API tokens (never their secrets)
  pledge tokens revoke ID|NAME                         revoke a token
  pledge retention plan [pledge.yaml] [--rule R] [--format text|json]
                                   dry run: per rule and dataset, rows due now, held and why, kept and blocked,
                                   the oldest row's age against the limit
  pledge retention run [pledge.yaml] [--rule R] [--batch N] [--parallel N]
                                   sweep now, with a progress bar; exit 1 if a system failed; --parallel 2..4
                                   deletes that many key ranges at once on tables nothing references
  pledge retention verify [pledge.yaml] [--rule R]     the promise check: exit 1 when a dataset holds a row older
                                   than its limit that no hold or exception explains
  pledge retention hold --system S [--dataset D] [--key K] [--before YYYY-MM-DD] [--until YYYY-MM-DD] --reason R
                                   a legal hold on a system, a dataset (rows before a date) or a case (--key)
  pledge retention holds | lift ID                     holds in force; lift one
  pledge scan [pledge.yaml] [--system S] [--rows N] [--format text|json|yaml] [--record]
                                   sample every table, key pattern and file of each system (read-only) and report
                                   personal data the declaration does not mention; yaml: the fragments that declare it;
                                   --record keeps the findings in the store and tells the officer of new ones
  pledge findings [--status open|gone|dismissed|all] | dismiss ID --reason R
                                   what recorded scans found; dismiss one with the reason it needs nothing
  pledge scan FILE… [--format text|json] [--bytes N] [--regions DE,US]
                                   personal data in log files and exports: per file and type, the count, the
                                   confidence and one masked example; exit 1 when any is found
  pledge redact [--regions DE,US] [--types email,phone,…] [--format auto|json|logfmt|csv|text]
                                   copy stdin to stdout with every detection masked ([email], [phone], …);
                                   JSON lines, logfmt and CSV stay valid: values are redacted, never structure
  pledge audit verify                                  check the audit log's hash chain; exit 1 if broken
  pledge audit log [--subject S] [--limit N]

The declaration defaults to $PLEDGE_DECLARATION, then ./pledge.yaml.
The store is ./.pledge/pledge.db (SQLite), or PostgreSQL when PLEDGE_DATABASE_URL is set.`;

function parse<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function pick<T extends z.ZodType>(schema: T, value: unknown, flag: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const detail = r.error.issues[0];
    const allowed = detail && "values" in detail ? ` (expected one of ${(detail.values as unknown[]).join(", ")})` : "";
    throw new UsageError(`--${flag}: invalid value '${String(value)}'${allowed}`);
  }
  return r.data;
}

function declarationPath(positional: string | undefined, io: Io): string {
  return positional ?? io.env.PLEDGE_DECLARATION ?? "pledge.yaml";
}

async function emit(io: Io, text: string, out: string | undefined): Promise<void> {
  if (out) await writeFile(out, text);
  else io.out(text);
}

function storeOptions(io: Io) {
  return { databaseUrl: io.env.PLEDGE_DATABASE_URL || undefined, sqlitePath: io.env.PLEDGE_SQLITE_PATH || undefined };
}

async function cmdCheck(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: "string", default: "text" },
    live: { type: "boolean", default: false },
    scan: { type: "boolean", default: false },
  });
  if (values.scan && !values.live) throw new UsageError("--scan reads the systems: use it with --live");
  const format = pick(z.enum(["text", "json"]), values.format, "format");
  const path = declarationPath(positionals[0], io);
  let loaded: LoadedDeclaration;
  try {
    loaded = await loadDeclaration(path);
  } catch (err) {
    if (err instanceof DeclarationError && format === "json") {
      io.out(
        JSON.stringify(
          { file: path, valid: false, issues: err.issues.map((i) => ({ ...i, pathText: formatPath(i.path) })) },
          null,
          2,
        ),
      );
      return 1;
    }
    throw err;
  }
  const lint = lintDeclaration(loaded.declaration);
  const { unknownTextFindings } = await import("../web/index.js");
  lint.push(...unknownTextFindings(loaded.declaration));
  // The processors' vendor specs are read now, not at the first request; --live also asks for their secrets.
  const { vendorSpecFindings } = await import("../connectors/index.js");
  lint.push(...vendorSpecFindings(loaded.declaration, { cwd: process.cwd(), ...(values.live ? { env: io.env } : {}) }));
  if (values.live) {
    const { checkLive } = await import("../discovery/index.js");
    const live = await checkLive(loaded.declaration, {
      env: io.env,
      cwd: process.cwd(),
      onSystem: (s, engine, n) => io.err(`checking ${s} (${engine}, ${n} dataset${n === 1 ? "" : "s"}) read-only…`),
    });
    lint.push(...live);
    if (values.scan) {
      const { scanSystems } = await import("../discovery/index.js");
      const scanned = await scanSystems(loaded.declaration, {
        env: io.env,
        cwd: process.cwd(),
        onProgress: (p) => p.table && io.err(`  scanning ${p.system}.${p.table}`),
      });
      lint.push(...scanned.findings.map(({ fragment: _, subject: __, ...f }) => f));
    }
  }
  const order = { error: 0, warning: 1, info: 2 } as const;
  const findings = lint
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((f) => ({ ...f, location: loaded.locate(f.path) }));
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.filter((f) => f.severity === "warning").length;
  if (format === "json") {
    io.out(
      JSON.stringify(
        { file: path, valid: true, version: loaded.declaration.version, errors, warnings, findings },
        null,
        2,
      ),
    );
  } else {
    for (const f of findings) {
      io.out(
        `${f.location.file}:${f.location.line}:${f.location.column} ${f.severity} [` +
          `${f.rule}] ${formatPath(f.path)}: ${f.message}${f.article ? ` (${f.article})` : ""}`,
      );
    }
    io.out(
      `${loaded.file}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning` +
        `${warnings === 1 ? "" : "s"}, ${findings.length - errors - warnings} info`,
    );
  }
  return errors > 0 ? 1 : 0;
}

async function cmdNotice(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: "string", default: "html" },
    lang: { type: "string", default: "en" },
    out: { type: "string" },
    explain: { type: "boolean", default: false },
  });
  const format = pick(z.enum(["html", "md"]), values.format, "format");
  const lang = pick(z.enum(["en", "de", "fr"]), values.lang, "lang");
  const { declaration } = await loadDeclaration(declarationPath(positionals[0], io));
  const doc = buildNotice(declaration, lang);
  if (values.explain) {
    await emit(io, `${explainNotice(doc, writtenOf(declaration))}\n`, values.out);
    return 0;
  }
  await emit(io, format === "md" ? renderNoticeMarkdown(doc) : renderNoticeHtml(doc), values.out);
  return 0;
}

async function cmdLaw(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { out: { type: "string" } });
  await emit(io, lawTableMarkdown(), values.out);
  return 0;
}

async function cmdRopa(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: "string", default: "json" }, out: { type: "string" } });
  const format = pick(z.enum(["csv", "json", "jsonld"]), values.format, "format");
  const { declaration } = await loadDeclaration(declarationPath(positionals[0], io));
  const ropa = buildRopa(declaration);
  const text =
    format === "csv"
      ? ropaToCsv(ropa)
      : JSON.stringify(format === "jsonld" ? ropaToJsonLd(ropa, declaration) : ropa, null, 2);
  await emit(io, text, values.out);
  return 0;
}

async function cmdMap(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: "string", default: "svg" },
    purpose: { type: "string" },
    category: { type: "string" },
    country: { type: "string" },
    people: { type: "boolean", default: false },
    out: { type: "string" },
  });
  const format = pick(z.enum(["svg", "dot", "json"]), values.format, "format");
  const { declaration } = await loadDeclaration(declarationPath(positionals[0], io));
  const m = await import("../map/index.js");
  if (values.purpose && !declaration.purposes[values.purpose])
    throw new UsageError(
      `--purpose: no purpose '${values.purpose}'${didYouMean(values.purpose, Object.keys(declaration.purposes))}`,
    );
  const whole = m.buildDataMap(declaration, lintDeclaration(declaration));
  let map = m.filterDataMap(whole, {
    purpose: values.purpose,
    category: values.category,
    country: values.country?.toUpperCase(),
  });
  if (values.people) map = m.simplifiedDataMap(map);
  const title = `Data map of ${declaration.organization.name}`;
  const text =
    format === "svg"
      ? await m.renderDataMapSvg(map, title)
      : format === "dot"
        ? m.renderDataMapDot(map, title)
        : JSON.stringify(map, null, 2);
  await emit(io, text, values.out);
  if (!map.nodes.length) io.err("pledge map: nothing matches these filters");
  return 0;
}

async function cmdDpia(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: "string", default: "text" } });
  const format = pick(z.enum(["text", "json"]), values.format, "format");
  // `pledge dpia PURPOSE` with the declaration from PLEDGE_DECLARATION or
  // ./pledge.yaml, or `pledge dpia FILE [PURPOSE]`.
  const [first, second] = positionals;
  const fileFirst = first !== undefined && (/\.ya?ml$/i.test(first) || first.includes("/"));
  const loaded = await loadDeclaration(declarationPath(fileFirst ? first : undefined, io));
  const purpose = fileFirst ? second : first;
  const decl = loaded.declaration;
  const d = await import("../dpia/index.js");
  if (purpose && !decl.purposes[purpose])
    throw new UsageError(`no purpose '${purpose}'${didYouMean(purpose, Object.keys(decl.purposes))}`);
  const list = purpose ? [d.screenPurpose(decl, purpose)] : d.screenDeclaration(decl);
  if (format === "json") io.out(JSON.stringify(list, null, 2));
  else
    for (const s of list) {
      io.out(`${s.purpose} (${s.name}): DPIA ${s.result}`);
      for (const r of s.reasons) io.out(`  - ${r}`);
    }
  return 0;
}

async function cmdDiff(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: "string", default: "text" },
    "notice-format": { type: "string", default: "md" },
    out: { type: "string" },
  });
  const format = pick(z.enum(["text", "json", "notice"]), values.format, "format");
  const noticeFormat = pick(z.enum(["md", "html"]), values["notice-format"], "notice-format");
  if (positionals.length !== 2) throw new UsageError("diff takes two declarations: pledge diff OLD.yaml NEW.yaml");
  const [a, b] = await Promise.all(positionals.map((p) => loadDeclaration(p)));
  const d = diffDeclarations(a.declaration, b.declaration);
  if (format === "notice") await emit(io, renderChangeNotice(d, b.declaration, noticeFormat), values.out);
  else io.out(format === "json" ? JSON.stringify(d, null, 2) : formatDiff(d));
  return 0;
}

async function cmdServe(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    port: { type: "string" },
    host: { type: "string" },
    demo: { type: "boolean", default: false },
  });
  const port = pick(z.coerce.number().int().min(0).max(65535), values.port ?? io.env.PORT ?? "3000", "port");
  const host = values.host ?? io.env.PLEDGE_HOST ?? "127.0.0.1";
  const path = values.demo ? DEMO_DECLARATION : declarationPath(positionals[0], io);
  const declaration = await loadDeclaration(path);
  const { startServer } = await import("../server/index.js");
  let standIns: { close(): Promise<void> } | undefined;
  let env = io.env;
  if (values.demo) {
    const { ensureDemoData, startDemoVendors, STAND_IN_LABEL, DEMO_PERSON } = await import("../demo/index.js");
    if (ensureDemoData(".pledge/demo"))
      io.err(`Created the demo data stores in .pledge/demo (try a request for ${DEMO_PERSON.email})`);
    // The demo's processors: stand-ins on this machine, whatever Stripe or SendGrid key the environment holds.
    // PLEDGE_DEMO_JOB_MS: how long the SendGrid stand-in takes over an erase job (20 s by default).
    const jobMs = io.env.PLEDGE_DEMO_JOB_MS
      ? pick(z.coerce.number().int().min(0), io.env.PLEDGE_DEMO_JOB_MS, "PLEDGE_DEMO_JOB_MS")
      : undefined;
    const demoVendors = await startDemoVendors(".pledge/demo", jobMs === undefined ? {} : { jobMs });
    standIns = demoVendors;
    env = { ...io.env, ...demoVendors.env };
    io.err(`${STAND_IN_LABEL.trim()} They listen at ${new URL(demoVendors.vendors.stripeUrl).origin}/.`);
  }
  const server = await startServer({ declaration, port, host, demo: values.demo, env, ...storeOptions(io) }).catch(
    async (err: unknown) => {
      await standIns?.close();
      throw err;
    },
  );
  let created = false;
  if (values.demo) {
    const { randomBytes } = await import("node:crypto");
    const password = randomBytes(12).toString("base64url");
    // Another demo server starting on the same store may make it first: then this one names the owners below.
    const owner = await createFirstOwner(
      server.store,
      { email: "demo@pledge.local", name: "Demo owner", password, mustChangePassword: true },
      "demo",
    );
    if (owner) {
      created = true;
      const { seedDemoWork } = await import("../demo/index.js");
      await seedDemoWork(server.requests, owner);
      io.err(
        `Admin console: ${server.url}/admin — sign in as demo@pledge.local with the ` +
          `one-time password ${password} (shown once; you choose your own at the first ` +
          `sign-in)`,
      );
    }
  }
  const owners = await server.store.db
    .selectFrom("users")
    .select("email")
    .where("role", "=", "owner")
    .where("disabled", "=", 0)
    .orderBy("id")
    .execute();
  if (!created)
    io.err(
      owners.length
        ? `Admin console: ${server.url}/admin — owners: ` +
            `${owners.map((o) => o.email).join(", ")}. Locked out? pledge users reset ` +
            `EMAIL prints a one-time password.`
        : `Admin console: ${server.url}/admin — no owner yet: pledge users add EMAIL ` +
            `--role owner prints a one-time password.`,
    );
  io.err(
    `Pledge is serving ${declaration.declaration.organization.name} (declaration ` +
      `${declaration.declaration.version}) at ${server.url}/privacy — privacy center ` +
      `at ${server.url}/privacy-center` +
      `${values.demo ? ` — consent banner demo at ${server.url}/consent/demo` : ""}`,
  );
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolveStop();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await server.close();
  await standIns?.close();
  return 0;
}

async function cmdAudit(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const store = await openStore(storeOptions(io));
  try {
    if (sub === "verify") {
      parse(rest, {});
      const tty = process.stderr.isTTY;
      const r = await verifyAudit(store, (n) => {
        if (tty) process.stderr.write(`\rchecked ${n} entries`);
      });
      if (tty) process.stderr.write("\n");
      if (r.ok) {
        io.out(`audit log intact: ${r.entries} entries, head ${r.headSeq} ${r.headHash}`);
        return 0;
      }
      for (const p of r.problems) io.out(`audit entry ${p.seq}: ${p.kind}: ${p.message}`);
      io.out(
        `audit log BROKEN: ${r.problems.length} problem${r.problems.length === 1 ? "" : "s"} in ${r.entries} entries`,
      );
      return 1;
    }
    if (sub === "log") {
      const { values } = parse(rest, { subject: { type: "string" }, limit: { type: "string", default: "50" } });
      const limit = pick(z.coerce.number().int().min(1).max(10000), values.limit, "limit");
      for (const e of await listAudit(store, { subject: values.subject, limit })) {
        io.out(`${e.seq}\t${e.at}\t${e.actor}\t${e.action}\t${e.subject ?? ""}\t${JSON.stringify(e.data)}`);
      }
      return 0;
    }
    throw new UsageError(`unknown audit command '${sub ?? ""}' (verify, log)`);
  } finally {
    await store.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function cmdUsers(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (!["add", "reset", "list", "disable", "enable"].includes(sub ?? ""))
    throw new UsageError(
      `unknown users command '${sub ?? ""}'` +
        `${didYouMean(sub ?? "", ["add", "reset", "list", "disable", "enable"])} (add, ` +
        `list, reset, disable, enable)`,
    );
  const store = await openStore(storeOptions(io));
  try {
    if (sub === "list") {
      parse(rest, {});
      for (const u of await listUsers(store))
        io.out(
          `${u.email}\t${u.role}${u.disabled ? "\tdisabled" : ""}` +
            `${u.pending ? "\tinvited" : ""}${u.twoFactor ? "\t2fa" : ""}\tlast sign-in ` +
            `${u.lastSignInAt?.slice(0, 16) ?? "never"}`,
        );
      return 0;
    }
    if (sub === "reset") {
      const { positionals } = parse(rest, {});
      const email = pick(z.email(), positionals[0], "email");
      const password = await resetUserPassword(store, email);
      io.out(
        `reset ${email.toLowerCase()}: one-time password ${password} (shown once; a ` +
          `new password is chosen at sign-in, and the second factor set up again). ` +
          `Sessions ended; the reset is in the audit log.`,
      );
      return 0;
    }
    if (sub === "disable" || sub === "enable") {
      const { positionals } = parse(rest, {});
      const email = pick(z.email(), positionals[0], "email").toLowerCase();
      const u = (await listUsers(store)).find((x) => x.email === email);
      if (!u) throw new AuthError(`no user ${email}`);
      if (sub === "enable") {
        await enableUser(store, u.id, "cli");
        io.out(`enabled ${email} (API tokens revoked when the account was disabled stay revoked)`);
      } else {
        const { disableStaff } = await import("../governance/index.js");
        const { grantsEnded } = await disableStaff({ store, clock: () => new Date() }, u.id, "cli");
        io.out(
          `disabled ${email}: sessions ended, API tokens revoked` +
            `${grantsEnded ? `, ${grantsEnded} access grant(s) ended` : ""}`,
        );
      }
      return 0;
    }
    const { values, positionals } = parse(rest, {
      role: { type: "string" },
      name: { type: "string" },
      "password-stdin": { type: "boolean", default: false },
    });
    const email = pick(z.email(), positionals[0], "email");
    const role = pick(z.enum(ROLES), values.role, "role");
    const { randomBytes } = await import("node:crypto");
    const stdin = values["password-stdin"];
    const password = stdin ? await readStdin() : randomBytes(15).toString("base64url");
    await createUser(store, { email, name: values.name ?? email, role, password, mustChangePassword: !stdin });
    io.out(
      stdin
        ? `created ${role} ${email}`
        : `created ${role} ${email} with the one-time password ${password} (shown once; ` +
            `a new one is chosen at the first sign-in)`,
    );
    return 0;
  } catch (err) {
    if (err instanceof AuthError) {
      io.err(`pledge users: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}

async function cmdTokens(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "create" && sub !== "revoke" && sub !== "list")
    throw new UsageError(`unknown tokens command '${sub ?? ""}' (create, list, revoke)`);
  const { values, positionals } = parse(rest, sub === "create" ? { role: { type: "string" } } : {});
  if (sub !== "list" && !positionals[0])
    throw new UsageError(`tokens ${sub} needs a ${sub === "create" ? "name" : "token's id or name"}`);
  const role = sub === "create" ? pick(z.enum(ROLES), values.role, "role") : undefined;
  const store = await openStore(storeOptions(io));
  try {
    if (sub === "create") io.out(await createApiToken(store, positionals[0], role!));
    else if (sub === "list") {
      for (const t of await listApiTokens(store))
        io.out(
          `${t.id}\t${t.name}\t${t.role}\t${t.revoked ? "revoked" : "live"}\tcreated ` +
            `${t.createdAt.slice(0, 10)}\t` +
            `${t.lastUsedAt ? `last used ${t.lastUsedAt.slice(0, 16).replace("T", " ")}` : "never used"}`,
        );
    } else {
      const n = await revokeApiToken(store, positionals[0]);
      if (!n) {
        io.err(`pledge tokens: no live token '${positionals[0]}' (see pledge tokens list)`);
        return 1;
      }
      io.out(
        `revoked ${n} token${n === 1 ? "" : "s"} '${positionals[0]}': refused at once ` +
          `on every server of a PostgreSQL store, within ${TOKEN_CACHE_MS / 1000} s on a ` +
          `SQLite store`,
      );
    }
  } finally {
    await store.close();
  }
  return 0;
}

/** The mailer of a command that sends: SMTP from PLEDGE_SMTP_URL, else files in .pledge/outbox. */
async function cliMailer(d: LoadedDeclaration["declaration"], io: Io) {
  const { createMailer } = await import("../mail/index.js");
  const { mailSender } = await import("../server/index.js");
  return createMailer({ smtpUrl: io.env.PLEDGE_SMTP_URL, from: mailSender(d, io.env), outboxDir: ".pledge/outbox" });
}

async function cmdWorker(args: string[], io: Io): Promise<number> {
  const { positionals } = parse(args, {});
  const declaration = await loadDeclaration(declarationPath(positionals[0], io));
  const { startWorker } = await import("../requests/index.js");
  const { settingsFromEnv } = await import("../server/index.js");
  const store = await openStore(storeOptions(io));
  const d = declaration.declaration;
  const mailer = await cliMailer(d, io);
  const workCtx = {
    store,
    declaration: () => d,
    mailer,
    publicUrl: io.env.PLEDGE_PUBLIC_URL ?? "",
    env: io.env,
    cwd: process.cwd(),
    clock: () => new Date(),
    console: (l: string) => io.err(l),
    settings: settingsFromEnv(io.env),
  };
  const worker = startWorker(workCtx, {
    onError: (err) => io.err(`worker: ${(err as Error).message}`),
    alsoRun: [
      {
        channel: "propagations",
        run: async () =>
          (await import("../consent/index.js")).runPropagations({
            store,
            declaration: () => d,
            mailer,
            env: io.env,
            cwd: process.cwd(),
            clock: () => new Date(),
          }),
      },
      {
        channel: "drp_callbacks",
        run: async () =>
          (await import("../drp/index.js")).deliverCallbacks({
            requests: workCtx,
            insecureCallbacks: io.env.PLEDGE_DRP_INSECURE_CALLBACKS === "1",
          }),
      },
    ],
  });
  const { startRetentionSchedule } = await import("../retention/index.js");
  const stopRetention = startRetentionSchedule(
    {
      store,
      declaration: () => d,
      env: io.env,
      cwd: process.cwd(),
      clock: () => new Date(),
      outboxDir: io.env.PLEDGE_SMTP_URL ? undefined : join(io.env.PLEDGE_DATA_DIR ?? ".pledge", "outbox"),
    },
    {
      onReport: (r) =>
        io.err(
          `retention ${r.binding}: ${r.deleted} deleted, ${r.masked} masked, ${r.blocked}` +
            ` kept and blocked, ${r.remaining} left due`,
        ),
      onError: (b, err) => io.err(`retention ${b}: FAILED: ${(err as Error).message}`),
    },
  );
  const { startDiscoverySchedule } = await import("../discovery/index.js");
  const stopDiscovery = startDiscoverySchedule(
    { store, declaration: () => d, env: io.env, cwd: process.cwd(), clock: () => new Date(), mailer },
    {
      onScan: (r) =>
        io.err(`discovery: scan ${r.scanId}: ${r.result.tables.length} tables, ${r.newFindings.length} new findings`),
      onError: (err) => io.err(`discovery: FAILED: ${(err as Error).message}`),
    },
  );
  io.err(
    `pledge worker running tasks, retention sweeps and scheduled scans for ${d.organization.name}; stop with Ctrl-C`,
  );
  await new Promise<void>((resolveStop) => {
    process.once("SIGINT", resolveStop);
    process.once("SIGTERM", resolveStop);
  });
  stopRetention();
  stopDiscovery();
  await worker.stop();
  await store.close();
  return 0;
}

/** A progress bar on a terminal (`█████░░░░░ 52% 1,040/2,000 rows · 8,311 rows/s`); a line a second elsewhere. */
function progressBar(io: Io, unit = "rows") {
  const tty = !!process.stderr.isTTY;
  let last = 0;
  return {
    update(label: string, done: number, total: number, rate: number) {
      const now = Date.now();
      if (!tty && now - last < 1000) return;
      last = now;
      const pct = total ? Math.min(1, done / total) : 1;
      const bar = "█".repeat(Math.round(pct * 20)).padEnd(20, "░");
      const line =
        `${label} ${bar} ${Math.round(pct * 100)}% ${done.toLocaleString("en")}/` +
        `${total.toLocaleString("en")} ${unit} · ${rate.toLocaleString("en")} ${unit}/s`;
      if (tty) process.stderr.write(`\r${line}\u001b[K`);
      else io.err(line);
    },
    end() {
      if (tty) process.stderr.write("\n");
      last = 0;
    },
  };
}

async function cmdRetention(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const r = await import("../retention/index.js");
  const { userInfo } = await import("node:os");
  const actor = `cli:${io.env.USER ?? userInfo().username}`;
  const open = async (positional: string | undefined) => {
    const loaded = await loadDeclaration(declarationPath(positional, io));
    const store = await openStore(storeOptions(io));
    const ctx = {
      store,
      declaration: () => loaded.declaration,
      env: io.env,
      cwd: process.cwd(),
      clock: () => new Date(),
      outboxDir: io.env.PLEDGE_SMTP_URL ? undefined : join(io.env.PLEDGE_DATA_DIR ?? ".pledge", "outbox"),
    };
    return { ctx, store };
  };
  const days = (n: number | null) => (n === null ? "—" : `${n.toLocaleString("en")} d`);
  if (sub === "plan" || sub === "verify") {
    const { values, positionals } = parse(rest, {
      rule: { type: "string" },
      format: { type: "string", default: "text" },
    });
    const format = pick(z.enum(["text", "json"]), values.format, "format");
    const { ctx, store } = await open(positionals[0]);
    try {
      if (sub === "plan") {
        const entries = await r.planRetention(ctx, { rule: values.rule, simulate: true });
        if (format === "json") io.out(JSON.stringify(entries, null, 2));
        else {
          for (const e of entries) {
            io.out(`${e.binding}  ${e.action} after ${e.period}${e.error ? `  NOT REACHED: ${e.error}` : ""}`);
            if (e.note) io.out(`  ${e.note}`);
            if (!e.error && e.byExpiry) {
              io.out(
                `  without an expiry within ${e.period}: ${e.due.toLocaleString("en")} of ` +
                  `${e.rows.toLocaleString("en")} keys`,
              );
              for (const h of e.held) io.out(`  held: ${h.rows.toLocaleString("en")} — ${h.reason}`);
              if (e.unexplained) io.out(`  the sweep will give ${e.unexplained.toLocaleString("en")} their expiry`);
            } else if (!e.error) {
              io.out(
                `  due now ${e.due.toLocaleString("en")} of ${e.rows.toLocaleString("en")} ` +
                  `rows · oldest ${e.oldest?.slice(0, 10) ?? "—"} (${days(e.oldestDays)} against ` +
                  `a limit of ${days(e.limitDays)})`,
              );
              for (const h of e.held) io.out(`  held: ${h.rows.toLocaleString("en")} — ${h.reason}`);
              if (e.blocked) io.out(`  kept and blocked: ${e.blocked.toLocaleString("en")}`);
              const n = (x: number) => x.toLocaleString("en");
              if (e.sweep) {
                const w = e.sweep;
                const kept = w.keptOfDataset;
                io.out(
                  `  the sweep will delete ${n(w.deleted)} row${w.deleted === 1 ? "" : "s"}` +
                    `${w.deleted ? ` (${n(w.deletedOfDataset)} of ${e.dataset} and what belongs to them)` : ""}` +
                    `, mask ${n(w.masked)}, and keep and block ${n(w.blocked)} under the law`,
                );
                if (kept)
                  io.out(
                    `  of the due rows of ${e.dataset}, ${n(kept)} stay: masked, or kept because rows kept ` +
                      `under the law need them`,
                  );
              } else if (e.unexplained)
                io.out(
                  `  the sweep will ` +
                    `${e.action === "delete" ? "delete" : e.action === "deidentify" ? "de-identify" : "block"}` +
                    ` ${n(e.unexplained)} (with what belongs to them)`,
                );
            }
          }
        }
        return entries.some((e) => e.error) ? 1 : 0;
      }
      const v = await r.verifyRetention(ctx, { rule: values.rule, actor });
      if (format === "json") io.out(JSON.stringify(v, null, 2));
      else if (v.ok) {
        const org = v.entries.filter((e) => e.system !== "pledge").length;
        io.out(
          `retention verified: ${org} rule binding${org === 1 ? "" : "s"} and Pledge's ` +
            `own data hold no row older than its limit that no hold or exception explains`,
        );
      } else {
        for (const f of v.failures) io.out(`FAIL ${f}`);
        io.out(`retention NOT kept: ${v.failures.length} of ${v.entries.length} rule bindings`);
      }
      return v.ok ? 0 : 1;
    } finally {
      await store.close();
    }
  }
  if (sub === "run") {
    const { values, positionals } = parse(rest, {
      rule: { type: "string" },
      batch: { type: "string", default: "2000" },
      parallel: { type: "string", default: "1" },
    });
    const batchSize = pick(z.coerce.number().int().min(1).max(100_000), values.batch, "batch");
    const parallel = pick(z.coerce.number().int().min(1).max(4), values.parallel, "parallel");
    const { ctx, store } = await open(positionals[0]);
    const bar = progressBar(io);
    try {
      const { reports, failures, ownData } = await r.sweepRetention(ctx, {
        rule: values.rule,
        batchSize,
        parallel,
        trigger: "cli",
        actor,
        onProgress: (p) => bar.update(p.binding, p.done, p.due, p.rowsPerSecond),
      });
      bar.end();
      for (const x of reports) {
        if (x.skipped || (x.note && !x.due)) {
          io.out(`${x.binding}: ${x.note ?? "nothing due"}`);
          continue;
        }
        const held = x.held.reduce((a, h) => a + h.rows, 0);
        io.out(
          `${x.binding}: ${x.due.toLocaleString("en")} due · ` +
            `${x.deleted.toLocaleString("en")} deleted · ${x.masked.toLocaleString("en")} ` +
            `masked · ${x.blocked.toLocaleString("en")} kept and blocked · ` +
            `${held.toLocaleString("en")} held` +
            `${x.alreadyBlocked ? ` · ${x.alreadyBlocked.toLocaleString("en")} already kept` : ""}` +
            `${x.expiriesSet !== undefined ? ` · ${x.expiriesSet.toLocaleString("en")} expiries set` : ""}` +
            `${x.expiriesHeld ? ` · ${x.expiriesHeld.toLocaleString("en")} kept from expiring by a hold` : ""}` +
            ` · ${x.batches} batch${x.batches === 1 ? "" : "es"}` +
            `${x.resumed ? " (resumed)" : ""}` +
            `${
              x.uncountedBatches
                ? ` · ${x.uncountedBatches} batch${x.uncountedBatches === 1 ? "" : "es"} applied ` +
                  `before the interruption without a count`
                : ""
            }` +
            ` · ${x.remaining.toLocaleString("en")} left due · ${(x.ms / 1000).toFixed(1)} ` +
            `s`,
        );
        for (const h of x.held) io.out(`  held: ${h.rows.toLocaleString("en")} — ${h.reason}`);
      }
      for (const o of ownData) io.out(`${o.binding}: ${o.deleted.toLocaleString("en")} deleted`);
      for (const f of failures) io.err(`${f.binding}: FAILED: ${f.error}`);
      return failures.length ? 1 : 0;
    } finally {
      await store.close();
    }
  }
  if (sub === "hold") {
    const { values } = parse(rest, {
      system: { type: "string" },
      dataset: { type: "string" },
      key: { type: "string" },
      before: { type: "string" },
      until: { type: "string" },
      reason: { type: "string" },
    });
    const scope = values.key ? "case" : values.dataset ? "dataset" : "system";
    const input = r.HoldInput.safeParse({
      scope,
      system: values.system,
      dataset: values.dataset,
      key: values.key,
      before: values.before,
      reason: values.reason,
      endsAt: values.until,
    });
    if (!input.success)
      throw new UsageError(
        input.error.issues
          .map((i) => `--${String(i.path[0] === "endsAt" ? "until" : i.path[0])}: ${i.message}`)
          .join("; "),
      );
    const { ctx, store } = await open(undefined);
    try {
      const id = await r.placeHold(ctx, input.data, actor);
      io.out(
        `hold ${id} placed on ` +
          `${[values.system, values.dataset, values.key].filter(Boolean).join(".")}` +
          `${values.before ? ` (rows before ${values.before})` : ""}: ` +
          `${input.data.reason}`,
      );
      return 0;
    } catch (err) {
      if (err instanceof r.HoldIncompleteError) {
        io.err(err.message);
        return 1;
      }
      if (err instanceof r.RetentionError) throw new UsageError(err.message);
      throw err;
    } finally {
      await store.close();
    }
  }
  if (sub === "holds" || sub === "lift") {
    const { positionals } = parse(rest, {});
    const { ctx, store } = await open(undefined);
    try {
      if (sub === "lift") {
        const id = pick(z.coerce.number().int().min(1), positionals[0], "id");
        await r.liftHold(ctx, id, actor);
        io.out(`hold ${id} lifted`);
        return 0;
      }
      for (const h of await r.listHolds(ctx))
        io.out(
          `${h.id}\t${h.scope}\t` +
            `${[h.system, h.dataset, h.rowKey].filter(Boolean).join(".")}` +
            `${h.before ? ` before ${h.before}` : ""}\t${h.reason}\tby ${h.placedBy} ` +
            `${h.placedAt.slice(0, 10)}${h.endsAt ? ` until ${h.endsAt}` : ""}`,
        );
      return 0;
    } catch (err) {
      if (err instanceof r.RetentionError) {
        io.err(`pledge retention ${sub}: ${err.message}`);
        return 1;
      }
      throw err;
    } finally {
      await store.close();
    }
  }
  throw new UsageError(`unknown retention command '${sub ?? ""}' (plan, run, verify, hold, holds, lift)`);
}

/** Phone regions from `--regions`, else the declaration's (when one is found); none leaves the detectors' default. */
async function regionsFor(flag: string | undefined, io: Io): Promise<string[] | undefined> {
  if (flag) {
    const list = flag.split(",").map((r) => r.trim().toUpperCase());
    const bad = list.find((r) => !/^[A-Z]{2}$/.test(r));
    if (bad !== undefined) throw new UsageError(`--regions: '${bad}' is not a two-letter country code`);
    return list;
  }
  const path = declarationPath(undefined, io);
  if (existsSync(path)) {
    const { declaration: d } = await loadDeclaration(path);
    const { phoneRegions } = await import("../discovery/index.js");
    return phoneRegions(d.organization.country, d.organization.jurisdictions);
  }
  return undefined;
}

function typesFor<T extends string>(flag: string | undefined, all: readonly T[]): T[] | undefined {
  if (!flag) return undefined;
  const list = flag.split(",").map((t) => t.trim());
  const bad = list.find((t) => !(all as readonly string[]).includes(t));
  if (bad !== undefined) throw new UsageError(`--types: unknown type '${bad}' (expected some of ${all.join(", ")})`);
  return list as T[];
}

async function cmdScan(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: "string", default: "text" },
    bytes: { type: "string" },
    regions: { type: "string" },
    system: { type: "string" },
    rows: { type: "string" },
    record: { type: "boolean", default: false },
  });
  if (!positionals.length || (positionals.length === 1 && /\.ya?ml$/i.test(positionals[0])))
    return scanSystemsCli(positionals[0], values, io);
  const format = pick(z.enum(["text", "json"]), values.format, "format");
  const byteBudget =
    values.bytes === undefined ? undefined : pick(z.coerce.number().int().positive(), values.bytes, "bytes");
  const d = await import("../discovery/index.js");
  const regions = await regionsFor(values.regions, io);
  const bar = progressBar(io, "MB");
  const scans = [];
  let failed = false;
  for (const file of positionals) {
    try {
      // Progress for files of a megabyte or more; smaller ones are read at once.
      scans.push(
        await d.scanFile(file, {
          regions,
          byteBudget,
          onProgress: (p) =>
            p.total >= 1e6 &&
            bar.update(
              p.name,
              Math.round(p.bytes / 1e5) / 10,
              Math.round(p.total / 1e5) / 10,
              Math.round(p.mbPerSecond * 10) / 10,
            ),
        }),
      );
      bar.end();
    } catch (err) {
      bar.end();
      if (!(err instanceof d.DiscoveryError)) throw err;
      io.err(`pledge scan: ${err.message}`);
      failed = true;
    }
  }
  if (format === "json") io.out(JSON.stringify({ files: scans }, null, 2));
  else
    for (const f of scans) {
      const size = f.bytes >= 1e6 ? `${(f.bytes / 1e6).toFixed(1)} MB` : `${f.bytes.toLocaleString("en")} bytes`;
      io.out(
        `${f.name}: ${size}, ${f.lines.toLocaleString("en")} lines` +
          `${f.truncated ? " (stopped at the byte budget)" : ""}` +
          `${f.entities.length ? "" : ": no personal data found"}`,
      );
      for (const e of f.entities)
        io.out(
          `  ${e.type.padEnd(8)} ${e.category.padEnd(28)} ${e.count.toLocaleString("en")}` +
            ` in ${e.lines.toLocaleString("en")} line${e.lines === 1 ? "" : "s"} · ` +
            `confidence ${e.confidence.toFixed(2)} (${e.evidence}) · e.g. ${e.example} on ` +
            `line ${e.line}`,
        );
    }
  return failed || scans.some((f) => f.entities.length) ? 1 : 0;
}

/** `pledge scan [pledge.yaml]`: every system sampled and compared with the declaration. */
async function scanSystemsCli(
  positional: string | undefined,
  values: { format?: string; system?: string; rows?: string; regions?: string; record?: boolean },
  io: Io,
): Promise<number> {
  const format = pick(z.enum(["text", "json", "yaml"]), values.format, "format");
  const sampleRows =
    values.rows === undefined ? undefined : pick(z.coerce.number().int().min(1).max(100_000), values.rows, "rows");
  const loaded = await loadDeclaration(declarationPath(positional, io));
  if (values.system && !loaded.declaration.systems[values.system])
    throw new UsageError(
      `--system: no system '${values.system}' in the declaration (it has ` +
        `${Object.keys(loaded.declaration.systems).join(", ")})`,
    );
  const d = await import("../discovery/index.js");
  const regions = values.regions ? await regionsFor(values.regions, io) : undefined;
  let current = "";
  const options = {
    system: values.system,
    sampleRows,
    regions,
    onProgress: (p: { system: string; table: string; done: number; total: number }) => {
      if (p.system !== current) {
        current = p.system;
        io.err(`scanning ${p.system} (${p.total} table${p.total === 1 ? "" : "s"}) read-only…`);
      }
      if (p.table) io.err(`  ${p.done + 1}/${p.total} ${p.table}`);
    },
  };
  let r: Awaited<ReturnType<typeof d.scanSystems>>;
  if (values.record) {
    // Recorded: the findings kept with first and last seen, and the officer told of new ones.
    const { userInfo } = await import("node:os");
    const store = await openStore(storeOptions(io));
    try {
      const decl = loaded.declaration;
      const recorded = (await d.recordScan(
        {
          store,
          declaration: () => decl,
          env: io.env,
          cwd: process.cwd(),
          clock: () => new Date(),
          mailer: await cliMailer(decl, io),
        },
        { trigger: "cli", actor: `cli:${io.env.USER ?? userInfo().username}`, ...options },
      ))!;
      r = recorded.result;
      const told = Object.entries(recorded.notified)
        .map(([how, what]) => `${how} ${what}`)
        .join(", ");
      io.err(
        `recorded as scan ${recorded.scanId}: ${recorded.newFindings.length} new ` +
          `finding${recorded.newFindings.length === 1 ? "" : "s"}` +
          `${told ? ` (${told})` : ""}`,
      );
    } finally {
      await store.close();
    }
  } else r = await d.scanSystems(loaded.declaration, { env: io.env, cwd: process.cwd(), ...options });
  const findings = r.findings.map((f) => ({ ...f, location: loaded.locate(f.path) }));
  if (format === "json")
    io.out(
      JSON.stringify(
        { file: loaded.file, tables: r.tables, skipped: r.skipped, notRead: r.notRead, findings },
        null,
        2,
      ),
    );
  else if (format === "yaml") {
    const fragments = findings.filter((f) => f.fragment);
    io.out(
      fragments.length
        ? fragments.map((f) => `# [${f.rule}] ${f.message}\n${f.fragment}`).join("\n")
        : "# nothing to add: every personal datum found is declared",
    );
  } else {
    for (const t of r.tables)
      if (t.columns.length)
        io.out(
          `${t.system}.${t.table}${t.dataset ? "" : " (undeclared)"}: ${t.sampled} ` +
            `sampled (${t.method}): ` +
            `${[...new Set(t.columns.map((c) => `${c.column} ${c.type}`))].join(", ")}`,
        );
    for (const s of r.skipped) io.out(`${s.system}: not scanned (${s.reason})`);
    for (const n of r.notRead) io.out(`${n.system}.${n.table}: not read (${n.reason})`);
    for (const f of findings)
      io.out(
        `${f.location.file}:${f.location.line}:${f.location.column} ${f.severity} [` +
          `${f.rule}] ${formatPath(f.path)}: ${f.message}${f.article ? ` (${f.article})` : ""}`,
      );
    io.out(
      `${r.tables.length} table${r.tables.length === 1 ? "" : "s"} scanned, ` +
        `${findings.length} finding${findings.length === 1 ? "" : "s"}` +
        `${findings.some((f) => f.fragment) ? "; --format yaml prints what would declare them" : ""}`,
    );
  }
  return findings.some((f) => f.severity !== "info") ? 1 : 0;
}

/** `pledge findings [--status S]` and `pledge findings dismiss ID --reason R`: what recorded scans found. */
async function cmdFindings(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    status: { type: "string", default: "open" },
    reason: { type: "string" },
    format: { type: "string", default: "text" },
  });
  const d = await import("../discovery/index.js");
  const store = await openStore(storeOptions(io));
  try {
    if (positionals[0] === "dismiss") {
      const id = pick(z.coerce.number().int().positive(), positionals[1], "id");
      if (!values.reason) throw new UsageError("dismiss needs --reason: say why this finding needs nothing");
      const { userInfo } = await import("node:os");
      try {
        const f = await d.dismissFinding(
          { store, clock: () => new Date() },
          id,
          `cli:${io.env.USER ?? userInfo().username}`,
          values.reason,
        );
        io.out(`finding ${f.id} dismissed: ${f.dismissed!.reason}`);
        return 0;
      } catch (err) {
        if (!(err instanceof d.DiscoveryError)) throw err;
        io.err(`pledge findings: ${err.message}`);
        return 1;
      }
    }
    if (positionals.length)
      throw new UsageError(`unknown findings command '${positionals[0]}' (list, or dismiss ID --reason R)`);
    const status = pick(z.enum(["open", "gone", "dismissed", "all"]), values.status, "status");
    const format = pick(z.enum(["text", "json"]), values.format, "format");
    const list = await d.listFindings({ store }, status === "all" ? {} : { status });
    if (format === "json") io.out(JSON.stringify(list, null, 2));
    else {
      for (const f of list)
        io.out(
          `#${f.id} ${f.status} ${f.severity} [${f.rule}] first seen ` +
            `${f.firstSeen.slice(0, 10)}, last ${f.lastSeen.slice(0, 10)}: ${f.message}` +
            `${f.dismissed ? ` — dismissed by ${f.dismissed.by}: ${f.dismissed.reason}` : ""}`,
        );
      io.out(`${list.length} finding${list.length === 1 ? "" : "s"}${status === "all" ? "" : ` ${status}`}`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

async function cmdRedact(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    regions: { type: "string" },
    types: { type: "string" },
    format: { type: "string" },
  });
  if (positionals.length)
    throw new UsageError("redact reads stdin and writes stdout: pledge redact < in.log > out.log");
  const formats = ["auto", "json", "logfmt", "csv", "text"] as const;
  const format = (values.format ?? "auto") as (typeof formats)[number];
  if (!formats.includes(format)) throw new UsageError(`--format: one of ${formats.join(", ")}, not "${values.format}"`);
  const d = await import("../discovery/index.js");
  const types = typesFor(values.types, d.ENTITY_TYPES);
  const regions = await regionsFor(values.regions, io);
  const r = await d.redactStream(io.stdin ?? process.stdin, io.stdout ?? process.stdout, { regions, types, format });
  const masked = Object.entries(r.masked).map(([t, n]) => `${n} ${t}`);
  io.err(
    `pledge redact: ${r.lines.toLocaleString("en")} lines (${r.format}), ` +
      `masked ${masked.length ? masked.join(", ") : "nothing"}`,
  );
  return 0;
}

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  scan: cmdScan,
  findings: cmdFindings,
  redact: cmdRedact,
  retention: cmdRetention,
  users: cmdUsers,
  tokens: cmdTokens,
  worker: cmdWorker,
  check: cmdCheck,
  notice: cmdNotice,
  law: cmdLaw,
  ropa: cmdRopa,
  map: cmdMap,
  dpia: cmdDpia,
  diff: cmdDiff,
  serve: cmdServe,
  audit: cmdAudit,
  schema: async (args, io) => {
    const { values } = parse(args, { "vendor-spec": { type: "boolean" } });
    if (values["vendor-spec"]) {
      const { vendorSpecJsonSchema } = await import("../connectors/index.js");
      io.out(JSON.stringify(vendorSpecJsonSchema(), null, 2));
      return 0;
    }
    io.out(JSON.stringify(declarationJsonSchema(), null, 2));
    return 0;
  },
};

/**
 * Runs the CLI and returns its exit code; errors are printed, never thrown.
 *
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.out(HELP);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`pledge: unknown command '${name}'${didYouMean(name, Object.keys(COMMANDS))}\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`pledge ${name}: ${err.message}`);
      return 2;
    }
    if (err instanceof DeclarationError) {
      for (const issue of err.issues) io.err(formatIssue(issue));
      io.err(`${err.issues.length} problem${err.issues.length === 1 ? "" : "s"}: the declaration is invalid`);
      return 1;
    }
    if (
      err instanceof DeclarationFileError ||
      err instanceof StoreError ||
      (err instanceof Error && err.name === "RetentionError") ||
      (err instanceof Error && err.name === "ConnectorError")
    ) {
      io.err(`pledge ${name}: ${err.message}`);
      if (
        err instanceof DeclarationFileError &&
        (err.cause as NodeJS.ErrnoException | undefined)?.code === "ENOENT" &&
        !io.env.PLEDGE_DECLARATION
      )
        io.err(
          `Pass the declaration's path, set PLEDGE_DECLARATION, or write a pledge.yaml ` +
            `here (its JSON Schema: pledge schema). To try Pledge: pledge ${name} ` +
            `${relative(process.cwd(), DEMO_DECLARATION) || DEMO_DECLARATION} — the demo, ` +
            `which npm start serves.`,
        );
      return 1;
    }
    io.err(`pledge ${name}: unexpected error: ${(err as Error)?.stack ?? String(err)}`);
    return 1;
  }
}
