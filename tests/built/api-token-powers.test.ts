/**
 * What an API token may not do, on the BUILT server: a leaked token must not mint more
 * tokens (they would outlive revoking it), and a password change or reset ends every
 * token. Creating tokens needs a signed-in session.
 */
import { afterAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../app/server/services/crypto.server.ts";
import { answerOf, builtApi, builtDb, credentialsOf } from "../support/built-client.ts";
import { createUser } from "../support/factories.ts";

const db = builtDb();
afterAll(() => db.$disconnect());

const PASSWORD = "the owner's first password";

async function member() {
  const user = await createUser(db);
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(PASSWORD) } });
  return { user, ...(await credentialsOf(db, user.id)) };
}

describe("API tokens (built server)", () => {
  it("a request authenticated by an API token cannot create one: 403, and nothing is made", async () => {
    const who = await member();
    const script = builtApi({ token: who.token, ip: "198.51.100.220" });
    const refused = await answerOf(script.account.apiTokens.create.mutate({ name: "minted by a token" }));
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(/API token cannot create API tokens/);
    expect(await db.apiToken.count({ where: { userId: who.user.id } })).toBe(1);
    // Its listing shows names and prefixes, never a token.
    const listed = await script.account.apiTokens.list.query();
    expect(JSON.stringify(listed)).not.toContain(who.token);
    // The signed-in session may.
    const browser = builtApi({ cookie: who.cookie, ip: "198.51.100.220" });
    expect(await answerOf(browser.account.apiTokens.create.mutate({ name: "from the page" }))).toMatchObject({
      status: 200,
    });
  });

  it("a password change revokes the account's API tokens: the token then answers 401", async () => {
    const who = await member();
    const script = builtApi({ token: who.token, ip: "198.51.100.221" });
    expect((await answerOf(script.monitor.list.query())).status).toBe(200);
    const browser = builtApi({ cookie: who.cookie, ip: "198.51.100.221" });
    const changed = await answerOf(
      browser.account.changePassword.mutate({ currentPassword: PASSWORD, newPassword: "the owner's new password" }),
    );
    expect(changed.status, changed.message).toBe(200);
    expect((await answerOf(script.monitor.list.query())).status).toBe(401);
    expect((await answerOf(browser.monitor.list.query())).status).toBe(200);
  });
});
