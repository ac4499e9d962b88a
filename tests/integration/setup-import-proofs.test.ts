/**
 * An import never sets what proves something (issue 25: the server alone chooses proofs).
 * A setup document may name a heartbeat's push token — older exports wrote it, and anyone
 * can write one. It is never taken: a heartbeat the import makes gets a new one from the
 * server, a heartbeat it matches keeps its own.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { SetupDocument } from "../../app/lib/setup/setup-document.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, unique } from "../support/factories.ts";
import { memoryMailer } from "../support/mailbox.ts";

const db = testDb();
afterAll(() => db.$disconnect());

const tokenOf = (pushUrl: string | null) => pushUrl!.split("/api/push/")[1]!;
/** What newPushToken makes: 24 random bytes, base64url. */
const SERVER_TOKEN = /^[A-Za-z0-9_-]{32}$/;

async function account() {
  const mailer = memoryMailer();
  const user = await createUser(db);
  return { user, mailer, api: callerFor(db, { user, mailer }) };
}
type Account = Awaited<ReturnType<typeof account>>;

/** A document as the API takes it; fields it no longer has (older exports, or anyone's) go in as they are. */
const setup = (sections: Record<string, unknown>) =>
  ({ format: "better-uptime/setup", version: 1, includesSecrets: true, ...sections }) as unknown as SetupDocument;

const ping = (token: string) => callerFor(db, { clientIp: unique("ip") }).heartbeat.ping({ token });

async function heartbeatOf(owner: Account, name: string) {
  return (await owner.api.monitor.list()).find((monitor) => monitor.name === name)!;
}

describe("a push token in the file", () => {
  it("another account's token is not taken: its push URL still reaches its own monitor, the importer's monitor gets a new one", async () => {
    const victim = await account();
    const theirs = await victim.api.monitor.create({ type: "HEARTBEAT", periodSeconds: 3600, name: "Nightly backup" });
    const victimToken = tokenOf(theirs.pushUrl);

    const attacker = await account();
    const key = unique("hb");
    const report = await attacker.api.account.import(
      setup({ monitors: [{ key, type: "HEARTBEAT", name: "Copycat", periodSeconds: 3600, pushToken: victimToken }] }),
    );
    const copy = await heartbeatOf(attacker, "Copycat");
    expect(report.created).toEqual([
      expect.objectContaining({
        kind: "monitor",
        note: `its push URL is new (this server chooses it; one in the file is not used): copy it from the monitor's page (/monitors/${copy.id}) and point its job at it`,
      }),
    ]);
    expect(tokenOf(copy.pushUrl)).not.toBe(victimToken);
    expect(tokenOf(copy.pushUrl)).toMatch(SERVER_TOKEN);

    // The victim's job keeps reporting to the victim's monitor, and nothing of it reaches the copy.
    await expect(ping(victimToken)).resolves.toEqual({ ok: true });
    expect(await victim.api.monitor.pings({ id: theirs.id })).toHaveLength(1);
    expect(await attacker.api.monitor.pings({ id: copy.id })).toHaveLength(0);
    await expect(ping(tokenOf(copy.pushUrl))).resolves.toEqual({ ok: true });
    expect(await attacker.api.monitor.pings({ id: copy.id })).toHaveLength(1);
    expect(await victim.api.monitor.pings({ id: theirs.id })).toHaveLength(1);

    // Stated again onto the importer's existing monitor, it changes nothing either.
    const again = await attacker.api.account.import(
      setup({ monitors: [{ key, type: "HEARTBEAT", name: "Copycat", periodSeconds: 3600, pushToken: victimToken }] }),
    );
    expect(again.unchanged).toEqual([expect.objectContaining({ key })]);
    expect((await heartbeatOf(attacker, "Copycat")).pushUrl).toBe(copy.pushUrl);
    expect(await db.website.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({
      userId: victim.user.id,
      pushToken: victimToken,
    });
  });

  it("a token the file chooses (free, or guessable) is never a push URL, on a new monitor or an existing one", async () => {
    const owner = await account();
    const chosen = `chosen-${unique("t").replace(/[^A-Za-z0-9_-]/g, "")}`.padEnd(24, "x");
    const key = unique("hb");
    const entry = { key, type: "HEARTBEAT", name: "Chosen", periodSeconds: 600, pushToken: chosen };
    await owner.api.account.import(setup({ monitors: [entry] }));
    const made = await heartbeatOf(owner, "Chosen");
    expect(tokenOf(made.pushUrl)).toMatch(SERVER_TOKEN);
    // A changed setting with another chosen token: the setting changes, the token does not.
    const report = await owner.api.account.import(
      setup({ monitors: [{ ...entry, periodSeconds: 900, pushToken: `${chosen}-2` }] }),
    );
    expect(report.updated).toEqual([expect.objectContaining({ key })]);
    expect(await heartbeatOf(owner, "Chosen")).toMatchObject({ pushUrl: made.pushUrl });
    for (const token of [chosen, `${chosen}-2`]) {
      await expect(ping(token)).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await db.website.count({ where: { pushToken: { in: [chosen, `${chosen}-2`] } } })).toBe(0);
  });
});
