/**
 * Staff authentication and authorization: users with scrypt-hashed passwords, sessions that pass through sign-in
 * stages, a TOTP second factor with hashed recovery codes, API tokens, four roles, and the accounts an owner
 * manages (invitations, roles, disabling, resets). Secrets are stored only as hashes; the TOTP secret, which must be
 * read back to check a code, is the one exception.
 */
export * from "./accounts.js";
export * from "./staff.js";
export * from "./totp.js";
