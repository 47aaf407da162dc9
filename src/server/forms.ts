/**
 * Form bodies, urlencoded or multipart, read as a stream within a route's caps.
 *
 * One form post must not cost the server more than its size: fields are
 * collected in one pass (a field sent more than once becomes an array), the
 * parser (@fastify/busboy) stops at the route's number of fields and parts, and
 * the server yields to other requests between chunks, so a large upload never
 * holds the event loop for longer than one chunk takes.
 */
import { Busboy } from "@fastify/busboy";
import { HttpError } from "./errors.js";

export interface FormCaps {
  /** The largest body, in bytes. */
  bytes: number;
  /** The most fields (urlencoded) or parts (multipart). */
  fields: number;
}

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads a form body from `stream`. The result has no prototype, so a field named `__proto__` is a field like any
 * other; files are `File`s.
 *
 * @throws HttpError 413 beyond the caps, 400 for a malformed form
 */
export async function readForm(
  stream: ReadableStream<Uint8Array> | null,
  contentType: string,
  caps: FormCaps,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = Object.create(null);
  const add = (key: string, value: unknown) => {
    if (key === "__proto__") fail(new HttpError(400, "invalid_form", "body: a field named __proto__ is not accepted"));
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  };
  const multipart = contentType.toLowerCase().startsWith("multipart/");
  let failure: HttpError | undefined;
  const fail = (e: HttpError) => {
    failure ??= e;
  };
  const tooMany = () => fail(new HttpError(413, "too_many_fields", `body: more than ${caps.fields} form fields`));
  const malformed = () =>
    fail(
      new HttpError(
        400,
        "invalid_form",
        `body: not a well-formed ${multipart ? "multipart form (check the boundary)" : "form"}`,
      ),
    );
  let parser: ReturnType<typeof Busboy>;
  try {
    parser = Busboy({
      headers: { "content-type": contentType },
      limits: {
        fields: caps.fields + 1,
        parts: caps.fields + 1,
        fieldSize: caps.bytes,
        fileSize: caps.bytes,
        fieldNameSize: 200,
      },
    });
  } catch {
    malformed();
    throw failure!;
  }
  const pending: Promise<void>[] = [];
  // The parser is asked to stop one field past the cap, and the fields are counted here: within one chunk it drops
  // what passes its limit without saying so.
  let count = 0;
  const counted = () => {
    if (++count > caps.fields) tooMany();
    return count <= caps.fields;
  };
  parser.on("field", (name, value) => {
    if (counted()) add(name, value);
  });
  parser.on("file", (name, file, filename, _encoding, mimeType) => {
    if (!counted()) return void file.resume();
    const chunks: Buffer[] = [];
    pending.push(
      new Promise((resolve) => {
        file.on("data", (d: Buffer) => chunks.push(d));
        file.on("end", () => {
          add(name, new File([new Uint8Array(Buffer.concat(chunks))], filename ?? "", { type: mimeType }));
          resolve();
        });
        file.on("error", () => {
          malformed();
          resolve();
        });
      }),
    );
  });
  parser.on("fieldsLimit", tooMany);
  parser.on("partsLimit", tooMany);
  parser.on("filesLimit", tooMany);
  const finished = new Promise<void>((resolve) => {
    parser.on("finish", resolve);
    parser.on("error", () => {
      malformed();
      resolve();
    });
  });
  let size = 0;
  const reader = stream?.getReader();
  try {
    for (;;) {
      if (!reader) break;
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > caps.bytes) throw new HttpError(413, "body_too_large", `body: larger than ${caps.bytes} bytes`);
      let more = true;
      try {
        more = parser.write(value);
      } catch {
        malformed();
      }
      if (!more) await new Promise((resolve) => parser.once("drain", resolve));
      if (failure) throw failure;
      await yieldToOthers();
    }
    parser.end();
    await finished;
    await Promise.all(pending);
  } catch (err) {
    await reader?.cancel().catch(() => {});
    parser.destroy();
    throw err;
  }
  if (failure) throw failure;
  return out;
}
