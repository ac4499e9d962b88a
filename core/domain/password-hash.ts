/**
 * The instance's password-hash policy, and what a stored hash says about its own cost.
 *
 * Argon2's cost is written in the hash itself (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`,
 * the PHC string format), and the library verifies with whatever cost the string names.
 * So a hash this instance did not make — one in an import file — chooses how much memory
 * and time the next verification takes (issue 25: `m=1048576,t=10` made one anonymous
 * unlock cost a gigabyte and twenty seconds). The server alone chooses the cost: an
 * imported hash is taken only when its parameters are exactly the policy's, and no hash
 * costlier than the policy is ever verified.
 *
 * Pure (no Node APIs): the setup document's schema uses the parser in the browser too.
 */

/** Every password this instance hashes, user or page: argon2id as OWASP recommends (19 MiB, 2 passes, 1 lane). */
export const PASSWORD_HASH_POLICY = {
  algorithm: "argon2id",
  /** 0x13, the current version of argon2. */
  version: 19,
  /** KiB (`m=`). */
  memoryCost: 19_456,
  /** Passes (`t=`). */
  timeCost: 2,
  /** Lanes (`p=`). */
  parallelism: 1,
  /** Bytes of salt and of output, as @node-rs/argon2 makes them. */
  saltLength: 16,
  hashLength: 32,
} as const;

export type PasswordHashPolicy = {
  [K in keyof typeof PASSWORD_HASH_POLICY]: (typeof PASSWORD_HASH_POLICY)[K] extends string ? string : number;
};

export type Argon2Algorithm = "argon2d" | "argon2i" | "argon2id";

/** What a PHC string names: the algorithm and its parameters (not the salt or hash themselves). */
export interface PasswordHashParameters {
  algorithm: Argon2Algorithm;
  version: 16 | 19;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  saltLength: number;
  hashLength: number;
}

// Unpadded standard base64, as the reference encoder writes salt and hash.
const B64 = /^[A-Za-z0-9+/]+$/;
// A decimal without leading zeros, at most 10 digits (argon2's parameters are 32-bit).
const DECIMAL = /^(0|[1-9][0-9]{0,9})$/;
const MAX_U32 = 2 ** 32 - 1;

/** Bytes that `text` (unpadded base64) decodes to, or null when no byte string encodes to it. */
function base64Length(text: string): number | null {
  if (!B64.test(text) || text.length % 4 === 1) return null;
  return Math.floor((text.length * 3) / 4);
}

function decimal(text: string | undefined, min: number, max: number): number | null {
  if (text === undefined || !DECIMAL.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

/**
 * Parses an argon2 PHC string strictly, as the reference implementation writes it:
 * `$argon2{d,i,id}$v={16,19}$m=M,t=T,p=P$salt$hash` — the version stated, the three
 * parameters in that order and no others (no `keyid`, no `data`), decimals without
 * leading zeros within argon2's own bounds, salt of 8–64 bytes and output of 4–64 bytes
 * in unpadded base64. Anything else is null: a lenient parser is how a cost slips past.
 */
export function parsePasswordHash(text: string): PasswordHashParameters | null {
  if (text.length > 300) return null;
  const fields = text.split("$");
  if (fields.length !== 6 || fields[0] !== "") return null;
  const [, id, versionField, paramsField, salt, hash] = fields as [string, string, string, string, string, string];
  if (id !== "argon2d" && id !== "argon2i" && id !== "argon2id") return null;
  if (versionField !== "v=16" && versionField !== "v=19") return null;
  const params = /^m=([0-9]+),t=([0-9]+),p=([0-9]+)$/.exec(paramsField);
  if (!params) return null;
  const parallelism = decimal(params[3], 1, 2 ** 24 - 1);
  const timeCost = decimal(params[2], 1, MAX_U32);
  // Argon2 needs at least 8 KiB per lane.
  const memoryCost = parallelism === null ? null : decimal(params[1], 8 * parallelism, MAX_U32);
  const saltLength = base64Length(salt);
  const hashLength = base64Length(hash);
  if (memoryCost === null || timeCost === null || parallelism === null) return null;
  if (saltLength === null || saltLength < 8 || saltLength > 64) return null;
  if (hashLength === null || hashLength < 4 || hashLength > 64) return null;
  return {
    algorithm: id,
    version: versionField === "v=16" ? 16 : 19,
    memoryCost,
    timeCost,
    parallelism,
    saltLength,
    hashLength,
  };
}

/**
 * Whether a hash from outside (an import file) may be stored: only when it is exactly
 * what this instance would have made — same algorithm, version, m, t, p, salt and output
 * lengths. A cheaper hash is refused too: it would be weaker than the owner expects.
 */
export function matchesPolicy(
  hash: PasswordHashParameters,
  policy: PasswordHashPolicy = PASSWORD_HASH_POLICY,
): boolean {
  return (Object.keys(policy) as (keyof PasswordHashPolicy)[]).every((key) => hash[key] === policy[key]);
}

/**
 * Which parameters of a stored hash cost more than the policy allows (empty: it may be
 * verified). Memory, passes and lanes are what a verification spends; hashes from
 * before a policy change that cost less still verify.
 */
export function costBeyondPolicy(
  hash: PasswordHashParameters,
  policy: PasswordHashPolicy = PASSWORD_HASH_POLICY,
): ("memoryCost" | "timeCost" | "parallelism" | "hashLength")[] {
  return (["memoryCost", "timeCost", "parallelism", "hashLength"] as const).filter((key) => hash[key] > policy[key]);
}

/** The policy as a PHC parameter string, for messages (`argon2id v=19 m=19456,t=2,p=1`). */
export function describePolicy(policy: PasswordHashPolicy = PASSWORD_HASH_POLICY): string {
  return `${policy.algorithm} v=${policy.version} m=${policy.memoryCost},t=${policy.timeCost},p=${policy.parallelism}`;
}
