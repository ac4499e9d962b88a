/**
 * The password-hash policy (issue 25): a PHC string is parsed strictly; a hash from a file
 * is taken only when it is exactly the instance's own; no stored hash costlier than the
 * policy is ever verified, and the refusal is logged without the hash.
 */
import { hashSync, parseOptions } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import {
  costBeyondPolicy,
  describePolicy,
  matchesPolicy,
  parsePasswordHash,
  PASSWORD_HASH_POLICY,
} from "../../core/domain/password-hash.ts";
import { ARGON2_OPTIONS, DUMMY_HASH, hashPassword, verifyPassword } from "../../app/server/services/crypto.server.ts";
import { StatusPageEntry } from "../../app/lib/setup/setup-document.ts";

const SALT = "GckEkR6bK8tLZJx9+MOKnQ"; // 16 bytes
const HASH = "TlYvUxX8j0dMgfbJovGXQa85YUXBg4X19+Vjhf+fpwE"; // 32 bytes
const phc = (id: string, version: string, params: string, salt = SALT, hash = HASH) =>
  `$${id}$${version}$${params}$${salt}$${hash}`;

/** A logger that keeps what it was asked to warn about, as pino would write it. */
function recordingLogger() {
  const lines: string[] = [];
  return { lines, warn: (object: unknown, message?: string) => void lines.push(JSON.stringify({ object, message })) };
}

describe("parsePasswordHash", () => {
  it("reads algorithm, version, m, t, p and the salt and output lengths", () => {
    expect(parsePasswordHash(phc("argon2id", "v=19", "m=65536,t=3,p=4"))).toEqual({
      algorithm: "argon2id",
      version: 19,
      memoryCost: 65536,
      timeCost: 3,
      parallelism: 4,
      saltLength: 16,
      hashLength: 32,
    });
    expect(parsePasswordHash(phc("argon2i", "v=16", "m=8,t=1,p=1"))).toMatchObject({
      algorithm: "argon2i",
      version: 16,
    });
  });

  it("agrees with @node-rs/argon2 on every hash it accepts", () => {
    for (const options of [ARGON2_OPTIONS, { ...ARGON2_OPTIONS, memoryCost: 8192, timeCost: 3, parallelism: 2 }]) {
      const made = hashSync("correct horse", options);
      const ours = parsePasswordHash(made)!;
      const theirs = parseOptions(made);
      expect(ours).toMatchObject({
        memoryCost: theirs.memoryCost,
        timeCost: theirs.timeCost,
        parallelism: theirs.parallelism,
        saltLength: theirs.saltLen,
        hashLength: theirs.outputLen,
      });
    }
  });

  it.each([
    ["no version (the library would read it as 0x10)", `$argon2id$m=19456,t=2,p=1$${SALT}$${HASH}`],
    ["parameters out of order", phc("argon2id", "v=19", "t=2,m=19456,p=1")],
    ["an extra parameter", phc("argon2id", "v=19", "m=19456,t=2,p=1,keyid=abc")],
    ["a leading zero", phc("argon2id", "v=19", "m=019456,t=2,p=1")],
    ["a cost past 32 bits", phc("argon2id", "v=19", "m=4294967296,t=2,p=1")],
    ["eleven digits", phc("argon2id", "v=19", "m=10000000000,t=2,p=1")],
    ["zero passes", phc("argon2id", "v=19", "m=19456,t=0,p=1")],
    ["less than 8 KiB a lane", phc("argon2id", "v=19", "m=15,t=2,p=2")],
    ["an unknown version", phc("argon2id", "v=20", "m=19456,t=2,p=1")],
    ["another algorithm", phc("scrypt", "v=19", "m=19456,t=2,p=1")],
    ["padded base64", phc("argon2id", "v=19", "m=19456,t=2,p=1", `${SALT}==`)],
    ["a salt under 8 bytes", phc("argon2id", "v=19", "m=19456,t=2,p=1", "AAAAAA")],
    ["an output over 64 bytes", phc("argon2id", "v=19", "m=19456,t=2,p=1", SALT, "A".repeat(88))],
    ["an impossible base64 length", phc("argon2id", "v=19", "m=19456,t=2,p=1", SALT, `${HASH}AA`)],
    ["text after the hash", `${phc("argon2id", "v=19", "m=19456,t=2,p=1")}$x`],
    ["spaces", ` ${phc("argon2id", "v=19", "m=19456,t=2,p=1")}`],
    ["nothing", ""],
  ])("refuses %s", (_reason, text) => {
    expect(parsePasswordHash(text)).toBeNull();
  });
});

describe("the policy", () => {
  it("is what hashPassword makes, and the dummy hash of an unknown email is at its cost", async () => {
    const made = parsePasswordHash(await hashPassword("correct horse"))!;
    expect(matchesPolicy(made)).toBe(true);
    expect(made).toEqual(PASSWORD_HASH_POLICY);
    expect(matchesPolicy(parsePasswordHash(DUMMY_HASH)!)).toBe(true);
    expect(describePolicy()).toBe("argon2id v=19 m=19456,t=2,p=1");
  });

  it("takes a hash from outside only when every parameter is exactly its own", () => {
    const own = parsePasswordHash(phc("argon2id", "v=19", "m=19456,t=2,p=1"))!;
    expect(matchesPolicy(own)).toBe(true);
    for (const other of [
      { memoryCost: 1_048_576 },
      { memoryCost: 65_536, timeCost: 3 },
      { timeCost: 10 },
      { parallelism: 2 },
      { memoryCost: 8 }, // cheaper is refused too: weaker than the owner expects
      { algorithm: "argon2i" as const },
      { version: 16 as const },
      { hashLength: 64 },
    ]) {
      expect(matchesPolicy({ ...own, ...other }), JSON.stringify(other)).toBe(false);
    }
  });

  it("names what costs more than it allows, and lets cheaper hashes verify", () => {
    const own = parsePasswordHash(phc("argon2id", "v=19", "m=19456,t=2,p=1"))!;
    expect(costBeyondPolicy({ ...own, memoryCost: 1_048_576, timeCost: 10 })).toEqual(["memoryCost", "timeCost"]);
    expect(costBeyondPolicy({ ...own, parallelism: 4 })).toEqual(["parallelism"]);
    expect(costBeyondPolicy({ ...own, memoryCost: 4096, timeCost: 1 })).toEqual([]);
  });

  it("is what an import file's hash must parse as: an argon2 PHC string", () => {
    const entry = (passwordHash: string) =>
      StatusPageEntry.safeParse({ key: "p", name: "P", slug: "p-page", visibility: "PRIVATE", passwordHash });
    expect(entry(phc("argon2id", "v=19", "m=1048576,t=10,p=1")).success).toBe(true); // well formed, however costly
    const refused = entry(phc("argon2id", "v=19", "m=19456,t=2,p=1,keyid=x"));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ["passwordHash"], message: /argon2 hash in PHC form/ });
    // Another argon2 variant is well formed: the import takes the page, locked (setup-import-proofs).
    expect(entry(phc("argon2i", "v=19", "m=19456,t=2,p=1")).success).toBe(true);
    expect(entry(phc("argon2x", "v=19", "m=19456,t=2,p=1")).success).toBe(false);
  });
});

describe("verifyPassword", () => {
  it("verifies the right password of a hash at the policy", async () => {
    const logger = recordingLogger();
    const stored = await hashPassword("correct horse");
    expect(await verifyPassword(stored, "correct horse", logger)).toBe(true);
    expect(await verifyPassword(stored, "wrong horse", logger)).toBe(false);
    expect(logger.lines).toEqual([]);
  });

  it("refuses, without computing it, a hash costlier than the policy even for the right password, and logs no hash", async () => {
    // One pass more than the policy, so the test stays cheap; the attack used m=1048576,t=10.
    const costly = hashSync("correct horse", { ...ARGON2_OPTIONS, timeCost: 3 });
    const logger = recordingLogger();
    let ran = 0;
    const run = <T>(job: () => Promise<T>) => {
      ran += 1;
      return job();
    };
    expect(await verifyPassword(costly, "correct horse", logger, run)).toBe(false);
    expect(ran).toBe(0);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain("costlier than this instance's policy");
    expect(logger.lines[0]).toContain('"timeCost":3');
    expect(logger.lines[0]).not.toContain(costly.split("$").at(-1)!);
    expect(logger.lines[0]).not.toContain(costly.split("$").at(-2)!);

    const hugeButNeverRun = phc("argon2id", "v=19", "m=1048576,t=10,p=1");
    expect(await verifyPassword(hugeButNeverRun, "anything", logger, run)).toBe(false);
    expect(ran).toBe(0);
    expect(await verifyPassword("not a hash", "anything", logger, run)).toBe(false);
    expect(logger.lines[2]).toContain("not an argon2 PHC string");
    expect(logger.lines[2]).not.toContain('not a hash"');
  });
});
