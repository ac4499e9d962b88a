/**
 * Locking someone else out, reproduced on the BUILT server: an attacker spends the
 * attempts of a victim's email address — wrong passwords, reset requests, subscriptions
 * — from their own client address until they are refused. Before the fix the limits were
 * per email address alone, so the victim, from their own address, was refused too. Now
 * they are per email address and client address (with a larger ceiling per email), so
 * the attacker locks out only themselves.
 */
import { afterAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../app/server/services/crypto.server.ts";
import { answerOf, builtApi, builtDb, postForm, type Answer } from "../support/built-client.ts";
import { callerFor } from "../support/caller.ts";
import { createUser, unique } from "../support/factories.ts";

const db = builtDb();
afterAll(() => db.$disconnect());

const ATTACKER = "198.51.100.210";
const VICTIM = "203.0.113.210";

/** Calls `attempt` from the attacker's address until it is refused (429); fails if it never is. */
async function spendUntilRefused(attempt: () => Promise<Answer>): Promise<Answer> {
  for (let n = 1; n <= 200; n += 1) {
    const answer = await attempt();
    if (answer.status === 429) return answer;
    expect(answer.status, answer.message.slice(0, 300)).toBeLessThan(500);
  }
  throw new Error("the attacker's attempts were never refused");
}

describe("one address spending another's email attempts (built server)", () => {
  it("login: the attacker is refused, the owner signing in from elsewhere is not", async () => {
    const password = "the owner's real password";
    const owner = await createUser(db);
    await db.user.update({ where: { id: owner.id }, data: { passwordHash: await hashPassword(password) } });

    const refused = await spendUntilRefused(() =>
      postForm("/login", { email: owner.email, password: "a wrong guess" }, { ip: ATTACKER }),
    );
    expect(refused.retryAfter).not.toBeNull();

    const signIn = await postForm("/login", { email: owner.email, password }, { ip: VICTIM });
    expect(signIn.status, signIn.message.slice(0, 300)).toBe(302);
  });

  it("password reset: the attacker is refused, the owner's own request from elsewhere is not", async () => {
    const owner = await createUser(db);
    const attacker = builtApi({ ip: ATTACKER });
    await spendUntilRefused(() => answerOf(attacker.auth.requestPasswordReset.mutate({ email: owner.email })));

    const own = await answerOf(builtApi({ ip: VICTIM }).auth.requestPasswordReset.mutate({ email: owner.email }));
    expect(own.status, own.message).toBe(200);
  });

  it("status page subscription: the attacker is refused, the owner of the address subscribing from elsewhere is not", async () => {
    const pageOwner = await createUser(db);
    const api = callerFor(db, { user: pageOwner });
    const page = await api.statusPage.create({ name: "Lockout", slug: unique("lockout").toLowerCase() });
    await api.statusPage.setPublished({ id: page.id, isPublished: true });
    const email = `${unique("subscriber")}@example.test`;

    const attacker = builtApi({ ip: ATTACKER });
    await spendUntilRefused(() => answerOf(attacker.statusPage.subscribe.mutate({ slug: page.slug, email })));

    const own = await answerOf(builtApi({ ip: VICTIM }).statusPage.subscribe.mutate({ slug: page.slug, email }));
    expect(own.status, own.message).toBe(200);
  });
});
