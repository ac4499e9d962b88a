/**
 * The shipped defaults never trust X-Forwarded-For where the app's port may be reached
 * directly: a trusted header lets any client write its own address and so sidestep every
 * per-address rate limit. The Docker image serves its port directly (`docker run -p`),
 * so it must not turn TRUST_PROXY on; compose may only offer it with its port published
 * on the host's loopback alone, behind the operator's proxy, and defaults it to off.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadEnv } from "../../core/env.ts";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

describe("TRUST_PROXY defaults", () => {
  it("is off when unset, and .env.example ships it off", () => {
    expect(loadEnv({}).TRUST_PROXY).toBe(false);
    expect(read(".env.example")).toMatch(/^TRUST_PROXY=false$/m);
    expect(loadEnv({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(false);
  });

  it("is never set by the Docker image, which serves its port directly", () => {
    expect(read("Dockerfile")).not.toMatch(/TRUST_PROXY/);
  });

  it("compose defaults it off, and publishes the app's port on the host's loopback only", () => {
    const compose = read("compose.yaml");
    const settings = [...compose.matchAll(/^\s*TRUST_PROXY:\s*(.+)$/gm)].map((match) => match[1]!.trim());
    for (const setting of settings) expect(setting).toBe("${TRUST_PROXY:-false}");
    // Each published port of the file: "host-address:host-port:container-port".
    const published = [...compose.matchAll(/^\s*-\s*"?([\d.:[\]a-f]+:\d+:\d+)"?\s*$/gm)].map((match) => match[1]!);
    expect(published.length).toBeGreaterThan(0);
    for (const port of published) expect(port.startsWith("127.0.0.1:"), port).toBe(true);
  });
});
