/**
 * Exports are sealed at rest, so that only the holder of the status link can
 * open them. The status token (never stored; only its hash is) derives an
 * X25519 key pair; the request keeps the public half. The worker, which never
 * sees the token, seals the ZIP to that public key: an ephemeral X25519 key,
 * HKDF-SHA256 and AES-256-GCM. The download derives the private half from the
 * token in its URL and opens it. Staff, a database dump or a backup hold only
 * ciphertext.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from "node:crypto";

/** The DER prefix of a PKCS#8 X25519 private key; the 32-byte key follows. */
const X25519_PKCS8 = Buffer.from("302e020100300506032b656e04220420", "hex");
const VERSION = 1;
const SPKI_BYTES = 44;

function privateKeyOf(token: string, requestId: string): KeyObject {
  const seed = Buffer.from(hkdfSync("sha256", token, `pledge export key:${requestId}`, "x25519", 32));
  return createPrivateKey({ key: Buffer.concat([X25519_PKCS8, seed]), format: "der", type: "pkcs8" });
}

function keyOf(shared: Buffer, ephemeral: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", shared, ephemeral, "pledge export v1", 32));
}

/** The public key a request's export is sealed to (base64 SPKI), derived from its status token. */
export function exportPublicKey(token: string, requestId: string): string {
  return createPublicKey(privateKeyOf(token, requestId)).export({ format: "der", type: "spki" }).toString("base64");
}

/** Seals an export to a public key. */
export function sealExport(publicKey: string, data: Uint8Array): Uint8Array {
  const recipient = createPublicKey({ key: Buffer.from(publicKey, "base64"), format: "der", type: "spki" });
  const eph = generateKeyPairSync("x25519");
  const ephPub = eph.publicKey.export({ format: "der", type: "spki" });
  const iv = randomBytes(12);
  const cipher = createCipheriv(
    "aes-256-gcm",
    keyOf(diffieHellman({ privateKey: eph.privateKey, publicKey: recipient }), ephPub),
    iv,
  );
  const ct = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), ephPub, iv, cipher.getAuthTag(), ct]);
}

/** Opens a sealed export with the status token; undefined when the token does not fit. */
export function openExport(token: string, requestId: string, sealed: Uint8Array): Uint8Array | undefined {
  const b = Buffer.from(sealed);
  if (b[0] !== VERSION || b.length < 1 + SPKI_BYTES + 28) return undefined;
  const ephPub = b.subarray(1, 1 + SPKI_BYTES);
  const iv = b.subarray(1 + SPKI_BYTES, 13 + SPKI_BYTES);
  const tag = b.subarray(13 + SPKI_BYTES, 29 + SPKI_BYTES);
  try {
    const shared = diffieHellman({
      privateKey: privateKeyOf(token, requestId),
      publicKey: createPublicKey({ key: ephPub, format: "der", type: "spki" }),
    });
    const decipher = createDecipheriv("aes-256-gcm", keyOf(shared, ephPub), iv);
    decipher.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([decipher.update(b.subarray(29 + SPKI_BYTES)), decipher.final()]));
  } catch {
    return undefined;
  }
}
