/**
 * The account-lane flood, reproduced on the BUILT server: a signed-in user loops on every
 * procedure that runs argon2 for an owner — changing the password, changing the email
 * (each checks the current password) and setting a private page's password — as fast as
 * the server answers. Before the fix each call went straight to the lane sign-ins use,
 * with no per-user limit, so the lane filled and another user's sign-in waited or was
 * refused. Now each of those calls counts against the user's `ownerPassword` limit
 * before any hash, owners hash in a lane of their own, and sign-in keeps its capacity.
 */
import { afterAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../app/server/services/crypto.server.ts";
import { LIMITS } from "../../app/server/services/process/rate-limits.server.ts";
import { answerOf, builtApi, builtDb, credentialsOf, postForm, type Answer } from "../support/built-client.ts";
import { callerFor } from "../support/caller.ts";
import { createUser, unique } from "../support/factories.ts";

const db = builtDb();
afterAll(() => db.$disconnect());

const PASSWORD = "the flooder's own password";

/** A verified user with a password, signed in (a session cookie and an API token). */
async function userWithPassword(password: string) {
  const user = await createUser(db);
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  return { user, ...(await credentialsOf(db, user.id)) };
}

/** Each call of the flood; all run argon2 (wrong current passwords still cost a verify). */
const CALLS_PER_PROCEDURE = 40;

describe("an owner flooding password work (built server)", () => {
  it("is refused with 429 and Retry-After past its own limit, while another user's sign-in succeeds", async () => {
    const flooder = await userWithPassword(PASSWORD);
    const page = await callerFor(db, { user: flooder.user }).statusPage.create({
      name: "Flood",
      slug: unique("flood").toLowerCase(),
    });
    const victimPassword = "the victim's good password";
    const victim = await userWithPassword(victimPassword);

    const api = builtApi({ token: flooder.token, ip: "198.51.100.201" });
    const flood: Promise<Answer>[] = [];
    for (let n = 0; n < CALLS_PER_PROCEDURE; n += 1) {
      flood.push(
        answerOf(api.account.changePassword.mutate({ currentPassword: "a wrong guess", newPassword: "x".repeat(12) })),
        answerOf(api.account.changeEmail.mutate({ email: `${unique("n")}@example.test`, currentPassword: "wrong" })),
        answerOf(api.statusPage.setAccess.mutate({ id: page.id, visibility: "PRIVATE", password: `pw-${n}-long` })),
      );
    }
    // Once the flood is being refused (before the fix: the shared lane is full), the
    // victim signs in from elsewhere, while the rest of the flood is still in flight.
    // (Or, should nothing ever be refused, once the whole flood has been answered.)
    const refusedOnce = flood.map((call) => call.then((answer) => answer.status === 429 || new Promise(() => {})));
    await Promise.race([...refusedOnce, Promise.all(flood)]);
    const signIn = await postForm(
      "/login",
      { email: victim.user.email, password: victimPassword },
      {
        ip: "198.51.100.202",
      },
    );
    const answers = await Promise.all(flood);

    expect(signIn.status, signIn.message.slice(0, 300)).toBe(302);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(Number(answer.retryAfter), `Retry-After: ${answer.retryAfter}`).toBeGreaterThanOrEqual(1);
      expect(answer.data).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    }
    // No more calls got to argon2 than the user's limit allows (the rest were refused first).
    const hashed = answers.filter((answer) => answer.status !== 429);
    expect(hashed.length).toBeLessThanOrEqual(LIMITS.ownerPassword.user!.points);
    expect(answers.every((answer) => answer.status < 500)).toBe(true);
  });
});
