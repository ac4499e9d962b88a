/**
 * The real DNS path of the target resolver (c-ares), against a DNS server on 127.0.0.1
 * this file runs, whose every answer it chooses per name and record type: both families
 * asked, what a failed lookup is called, the resolver's timeout, tries and bound on
 * lookups in flight, and the hosts file's place in front of DNS. No timings asserted:
 * a slow machine changes when things happen, never what.
 */
import dgram from "node:dgram";
import { once } from "node:events";
import dnsPacket from "dns-packet";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { approveTarget, parseAllowedNetworks, TargetRefusedError } from "../../core/net/target-policy.ts";
import { createTargetResolver } from "../../core/net/target-resolver.ts";

type Behaviour = string[] | "nxdomain" | "nodata" | "servfail" | "silent" | { lateMs: number; answer: string[] };

/** name → record type → what the server does. Unlisted: NXDOMAIN. */
const zone: Record<string, Partial<Record<"A" | "AAAA", Behaviour>>> = {
  "both.example.test": { A: ["127.0.0.1"], AAAA: ["::1"] },
  "v4only.example.test": { A: ["127.0.0.2", "127.0.0.3"], AAAA: "nodata" },
  "empty.example.test": { A: "nodata", AAAA: "nodata" },
  "broken.example.test": { A: "servfail", AAAA: "servfail" },
  "late.example.test": { A: { lateMs: 1_500, answer: ["127.0.0.1"] }, AAAA: { lateMs: 1_500, answer: ["::1"] } },
  localhost: { A: ["127.0.0.7"], AAAA: "nodata" },
};
const silent = (name: string) => name.startsWith("silent");

let server: dgram.Socket;
let dnsServer: string;
const queries: string[] = [];
const asked = (name: string) => queries.filter((query) => query.startsWith(`${name} `)).sort();

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 };

beforeAll(async () => {
  server = dgram.createSocket("udp4");
  server.on("message", (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    queries.push(`${name} ${question.type}`);
    const records = zone[name];
    const behaviour = silent(name)
      ? "silent"
      : records
        ? (records[question.type as "A" | "AAAA"] ?? "nodata")
        : "nxdomain";
    if (behaviour === "silent") return;
    const answer = Array.isArray(behaviour) ? behaviour : typeof behaviour === "object" ? behaviour.answer : [];
    const rcode = behaviour === "nxdomain" ? RCODE.NXDOMAIN : behaviour === "servfail" ? RCODE.SERVFAIL : RCODE.NOERROR;
    const response = dnsPacket.encode({
      type: "response",
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | rcode,
      questions: query.questions,
      answers: answer.map((data) => ({ type: question.type, name: question.name, ttl: 1, data })) as dnsPacket.Answer[],
    });
    const send = () => server.send(response, peer.port, peer.address);
    if (typeof behaviour === "object" && !Array.isArray(behaviour)) setTimeout(send, behaviour.lateMs);
    else send();
  });
  server.bind(0, "127.0.0.1");
  await once(server, "listening");
  dnsServer = `127.0.0.1:${server.address().port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  queries.length = 0;
});

/** A resolver asking only our server, with no names pinned. */
const resolverFor = (options: { timeoutMs?: number; tries?: number; maxConcurrent?: number } = {}) =>
  createTargetResolver({ servers: [dnsServer], hostsFile: "/nonexistent/hosts", timeoutMs: 500, tries: 1, ...options });

// Each lookup here settles well within a second; 20 s turns one that never settles (a bound
// on lookups in flight that never lets it start) into a failure, not a hang.
const NEVER_SETTLES = { timeout: 20_000 };

describe("the target resolver against a DNS server", NEVER_SETTLES, () => {
  it("asks for A and AAAA once each and gives every address, A first", async () => {
    const resolve = resolverFor();
    expect(await resolve("both.example.test")).toEqual(["127.0.0.1", "::1"]);
    expect(asked("both.example.test")).toEqual(["both.example.test A", "both.example.test AAAA"]);
    expect(await resolve("v4only.example.test")).toEqual(["127.0.0.2", "127.0.0.3"]);
  });

  it("asks DNS for every name when there is no hosts file", async () => {
    expect(await resolverFor()("localhost")).toEqual(["127.0.0.7"]);
    expect(asked("localhost")).toEqual(["localhost A", "localhost AAAA"]);
  });

  it.each([
    ["a name that does not exist", "nowhere.example.test", "ENOTFOUND", "nowhere.example.test does not resolve"],
    ["a name without addresses", "empty.example.test", "ENODATA", "empty.example.test does not resolve"],
    ["a server failure", "broken.example.test", "ESERVFAIL", "DNS lookup of broken.example.test failed"],
    ["no answer at all", "silent.example.test", "ETIMEOUT", "DNS lookup of silent.example.test timed out"],
  ])("fails %s with its code", async (_label, name, code, message) => {
    await expect(resolverFor()(name)).rejects.toMatchObject({ code, message });
  });

  it("gives up after its tries (one here: one query per family), not the default", async () => {
    await expect(resolverFor({ tries: 1 })("silent-once.example.test")).rejects.toMatchObject({ code: "ETIMEOUT" });
    expect(asked("silent-once.example.test")).toEqual(["silent-once.example.test A", "silent-once.example.test AAAA"]);
  });

  it("does not wait for an answer slower than its timeout", async () => {
    // Answered 1.5 s after asking: a 200 ms timeout gives up first, whatever the load.
    await expect(resolverFor({ timeoutMs: 200 })("late.example.test")).rejects.toMatchObject({ code: "ETIMEOUT" });
  });

  it("runs at most maxConcurrent lookups at once; the others wait their turn and are then looked up", async () => {
    const resolve = resolverFor({ maxConcurrent: 1 });
    const first = resolve("silent-first.example.test");
    const second = resolve("silent-second.example.test");
    // When the first gives up, the second has not been asked yet: it waited for the slot.
    const secondAskedWhenFirstFailed = await first.then(
      () => null,
      (error: unknown) => [error, asked("silent-second.example.test").length],
    );
    expect(secondAskedWhenFirstFailed).toEqual([expect.objectContaining({ code: "ETIMEOUT" }), 0]);
    await expect(second).rejects.toMatchObject({ code: "ETIMEOUT" });
    expect(asked("silent-second.example.test")).toHaveLength(2);
    // Both slots' turns are over: the next lookup runs.
    expect(await resolve("both.example.test")).toEqual(["127.0.0.1", "::1"]);
  });
});

describe("approveTarget on the real resolver", NEVER_SETTLES, () => {
  it("checks the AAAA answer too: a host whose A record is allowed is refused for its AAAA record", async () => {
    const loopbackV4Only = { allowedNetworks: parseAllowedNetworks("127.0.0.0/8") };
    const error = await approveTarget("both.example.test", loopbackV4Only, resolverFor()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetRefusedError);
    expect(error).toMatchObject({ address: "::1", kind: "a loopback" });
    const loopback = { allowedNetworks: parseAllowedNetworks("127.0.0.0/8,::1/128") };
    await expect(approveTarget("both.example.test", loopback, resolverFor())).resolves.toBe("127.0.0.1");
  });

  it("names a name that does not exist as not resolving", async () => {
    await expect(approveTarget("nowhere.example.test", { allowedNetworks: [] }, resolverFor())).rejects.toThrow(
      "nowhere.example.test does not resolve (DNS ENOTFOUND)",
    );
  });
});
