/**
 * Argon2 work in bounded lanes (issue 25): a lane runs a few hashes at once, queues a few
 * more, and refuses the next with a 429-shaped error rather than letting it wait; page
 * unlocks and sign-ins never share a lane.
 */
import pLimit from "p-limit";
import { describe, expect, it } from "vitest";
import { isServiceError, RateLimitedError } from "../../app/server/services/errors.server.ts";
import { hashPassword } from "../../app/server/services/crypto.server.ts";
import {
  boundedLane,
  createPasswordWork,
  PASSWORD_LANES,
  PasswordWorkBusyError,
} from "../../app/server/services/process/password-work.server.ts";

/** A job that runs until the test lets it finish. */
function heldJob() {
  let finish!: () => void;
  let started = false;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    job: () => {
      started = true;
      return done.then(() => "done");
    },
    started: () => started,
    finish: () => finish(),
  };
}

describe("a bounded lane", () => {
  it("runs `concurrency` jobs, queues `waiting` more, and refuses the next at once with its Retry-After", async () => {
    const lane = boundedLane({ concurrency: 2, waiting: 1, retryAfterSeconds: 3 });
    const jobs = Array.from({ length: 3 }, heldJob);
    const admitted = jobs.map((held) => lane(held.job));
    await Promise.resolve();
    expect(jobs.map((held) => held.started())).toEqual([true, true, false]);

    const refused = await lane(() => Promise.resolve("never")).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toBeInstanceOf(PasswordWorkBusyError);
    expect(refused).toMatchObject({ retryAfterSeconds: 3, message: /Try again in 3 seconds/ });

    jobs[0]!.finish();
    await admitted[0];
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(jobs[2]!.started()).toBe(true);
    // A place came free: the next job is queued again, not refused.
    const next = lane(() => Promise.resolve("ran"));
    jobs[1]!.finish();
    jobs[2]!.finish();
    expect(await Promise.all([...admitted, next])).toEqual(["done", "done", "done", "ran"]);
  });

  it("lanes sharing a slot run one job at a time between them, each refusing only past its own queue", async () => {
    const slot = pLimit(1);
    const owner = boundedLane({ concurrency: 1, waiting: 1, retryAfterSeconds: 5 }, { shared: slot });
    const unlocks = boundedLane({ concurrency: 1, waiting: 0, retryAfterSeconds: 2 }, { shared: slot });
    const first = heldJob();
    const second = heldJob();
    const ownerRun = owner(first.job);
    const unlockRun = unlocks(second.job);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([first.started(), second.started()]).toEqual([true, false]);
    // The owner lane still has its own queue place; the unlock lane is full.
    const queued = owner(() => Promise.resolve("queued"));
    await expect(unlocks(() => Promise.resolve("never"))).rejects.toMatchObject({ retryAfterSeconds: 2 });
    first.finish();
    await ownerRun;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(second.started()).toBe(true);
    second.finish();
    expect(await Promise.all([unlockRun, queued])).toEqual(["done", "queued"]);
  });

  it("frees its place when a job fails", async () => {
    const lane = boundedLane({ concurrency: 1, waiting: 0, retryAfterSeconds: 1 });
    await expect(lane(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await lane(() => Promise.resolve("after"))).toBe("after");
  });
});

describe("password work", () => {
  it("reserves for sign-in: a flood of unlocks is refused past its lane while an account's check goes through", async () => {
    const work = createPasswordWork({
      logger: { warn: () => undefined },
      lanes: { ...PASSWORD_LANES, unlocks: { concurrency: 1, waiting: 1, retryAfterSeconds: 2 } },
    });
    const stored = await hashPassword("correct horse");
    const unlocks = Array.from({ length: 10 }, () =>
      work.verify("unlocks", stored, "a guess").then(
        (ok) => (ok ? "opened" : "wrong"),
        (error: unknown) => (isServiceError(error, "RATE_LIMITED") ? `429 after ${error.retryAfterSeconds}s` : "error"),
      ),
    );
    const signIn = work.verify("signIn", stored, "correct horse");
    expect(await signIn).toBe(true);
    const answers = await Promise.all(unlocks);
    expect(answers.filter((answer) => answer === "wrong")).toHaveLength(2);
    expect(answers.filter((answer) => answer === "429 after 2s")).toHaveLength(8);
  });

  it("keeps sign-in apart from owners: an owner flood is refused past its lane while a sign-in goes through", async () => {
    const work = createPasswordWork({
      logger: { warn: () => undefined },
      lanes: { ...PASSWORD_LANES, owner: { concurrency: 1, waiting: 1, retryAfterSeconds: 5 } },
    });
    const stored = await hashPassword("correct horse");
    const owners = Array.from({ length: 10 }, () =>
      work.hash("owner", "a new password").then(
        () => "hashed",
        (error: unknown) => (isServiceError(error, "RATE_LIMITED") ? `429 after ${error.retryAfterSeconds}s` : "error"),
      ),
    );
    expect(await work.verify("signIn", stored, "correct horse")).toBe(true);
    const answers = await Promise.all(owners);
    expect(answers.filter((answer) => answer === "hashed")).toHaveLength(2);
    expect(answers.filter((answer) => answer === "429 after 5s")).toHaveLength(8);
  });

  it("hashes at the policy in either lane", async () => {
    const work = createPasswordWork({ logger: { warn: () => undefined } });
    const made = await work.hash("signIn", "correct horse");
    expect(made).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await work.verify("unlocks", made, "correct horse")).toBe(true);
  });
});
