/**
 * A DNS record check: resolve a name for one record type through the system's resolvers
 * (DNS_SERVERS when set) or the monitor's own resolver — an address the target policy
 * approved, checked again here before any query leaves. UP when the name answers (and
 * the answer is the expected one); DOWN with NXDOMAIN, no records, a timeout, or the
 * old and new answers when it changed. Never an exception.
 */
import { performance } from "node:perf_hooks";
import { Resolver } from "node:dns/promises";
import type { CheckOutcome } from "./outcome.ts";
import { parseResolver } from "../../../core/monitor-types/dns.ts";
import type { DnsProbeRequest } from "../../../core/monitor-types/probe-request.ts";
import { approveTarget, TargetRefusedError, type TargetPolicy } from "../../../core/net/target-policy.ts";
import { answersMatch, describeAnswer, normaliseAnswer, type DnsRecordType } from "../../../core/domain/dns-answer.ts";
import type { ErrorClass } from "../../../core/domain/error-class.ts";

export interface DnsCheckDependencies {
  policy: TargetPolicy;
  /** The runner's resolvers (DNS_SERVERS: "ip" or "ip:port"), for monitors without their own; empty: the system's. */
  servers: string[];
}

async function query(resolver: Resolver, hostname: string, type: DnsRecordType): Promise<unknown[]> {
  switch (type) {
    case "A":
      return resolver.resolve4(hostname);
    case "AAAA":
      return resolver.resolve6(hostname);
    case "CNAME":
      return resolver.resolveCname(hostname);
    case "MX":
      return resolver.resolveMx(hostname);
    case "TXT":
      return resolver.resolveTxt(hostname);
    case "NS":
      return resolver.resolveNs(hostname);
    case "CAA":
      return resolver.resolveCaa(hostname);
  }
}

export async function runDnsCheck(request: DnsProbeRequest, deps: DnsCheckDependencies): Promise<CheckOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const outcome = (errorClass: ErrorClass | null, error: string | null): CheckOutcome => ({
    status: errorClass ? "DOWN" : "UP",
    statusCode: null,
    responseTimeMs: elapsed(),
    timings: { dnsMs: elapsed(), connectMs: null, tlsMs: null, ttfbMs: null, downloadMs: null },
    tlsExpiresAt: null,
    errorClass,
    error,
    snapshot: null,
  });
  const resolver = new Resolver({ timeout: request.timeoutMs, tries: 1 });
  try {
    if (request.resolver) {
      // Stored before resolvers were checked this closely: refused here, never handed to c-ares.
      const parsed = parseResolver(request.resolver);
      if (!parsed) return outcome("dns", `the resolver ${request.resolver} is not an IP address with a port 1–65535`);
      const { ip, server } = parsed;
      await approveTarget(ip, deps.policy, () => Promise.reject(new Error("a resolver is an IP address")));
      resolver.setServers([server]);
    } else if (deps.servers.length > 0) {
      resolver.setServers(deps.servers);
    }
    const deadline = new Promise<never>((_, reject) =>
      setTimeout(() => reject(Object.assign(new Error("deadline"), { code: "ETIMEOUT" })), request.timeoutMs).unref(),
    );
    const records = await Promise.race([query(resolver, request.hostname, request.recordType), deadline]);
    const answer = normaliseAnswer(request.recordType, records);
    if (answer.length === 0) return outcome("dns", `${request.hostname} has no ${request.recordType} records`);
    if (request.expectedValue !== null && !answersMatch(request.recordType, request.expectedValue, answer)) {
      return outcome(
        "assertion",
        `${request.recordType} changed from ${request.expectedValue} to ${describeAnswer(answer)}`,
      );
    }
    return outcome(null, null);
  } catch (error) {
    if (error instanceof TargetRefusedError) return outcome("blocked", error.message);
    const code = (error as { code?: string }).code;
    switch (code) {
      case "ENOTFOUND":
        return outcome("dns", `${request.hostname} does not exist (NXDOMAIN)`);
      case "ENODATA":
        return outcome("dns", `${request.hostname} has no ${request.recordType} records`);
      case "ETIMEOUT":
        return outcome("timeout", `the resolver gave no answer within ${request.timeoutMs} ms`);
      case "ECONNREFUSED":
        return outcome("refused", "the resolver refused the query");
      case "ESERVFAIL":
        return outcome("dns", `the resolver failed to answer for ${request.hostname} (SERVFAIL)`);
      case "EREFUSED":
        return outcome("dns", `the resolver refused to answer for ${request.hostname} (REFUSED)`);
      default:
        return outcome("dns", `DNS: ${(error as Error).message}`);
    }
  } finally {
    resolver.cancel();
  }
}
