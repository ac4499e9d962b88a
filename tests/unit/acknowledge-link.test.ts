/**
 * The acknowledge link's rules (issue 25, item 10), pure: what the signature covers and
 * when a correctly signed link stops working.
 */
import { describe, expect, it } from "vitest";
import {
  ACKNOWLEDGE_LINK_TTL_SECONDS,
  acknowledgeLinkVerdict,
  acknowledgeUrl,
  validAcknowledgeSignature,
} from "../../core/outbox/acknowledge-link.ts";

const key = Buffer.alloc(32, 7);
const now = new Date("2026-12-07T12:00:00Z");
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const ago = (ms: number) => new Date(now.getTime() - ms);
const DAY = 86_400_000;

function parsed(url: string) {
  const link = new URL(url);
  return {
    id: link.pathname.split("/")[2]!,
    channel: link.searchParams.get("channel")!,
    exp: Number(link.searchParams.get("exp")),
    sig: link.searchParams.get("sig")!,
  };
}

describe("the signed link", () => {
  it("carries its expiry, 7 days after the mail, inside what is signed", () => {
    const link = parsed(acknowledgeUrl("https://uptime.example.test/", key, "inc1", "chan1", now));
    expect(link.exp).toBe(seconds(now) + ACKNOWLEDGE_LINK_TTL_SECONDS);
    expect(ACKNOWLEDGE_LINK_TTL_SECONDS).toBe(7 * 24 * 3600);
    expect(validAcknowledgeSignature(key, link)).toBe(true);
    expect(validAcknowledgeSignature(key, { ...link, exp: link.exp + 1 })).toBe(false);
    expect(validAcknowledgeSignature(key, { ...link, exp: undefined })).toBe(false);
    expect(validAcknowledgeSignature(key, { ...link, channel: "chan2" })).toBe(false);
    expect(validAcknowledgeSignature(Buffer.alloc(32, 8), link)).toBe(false);
    // A signature of another length is refused, not an error.
    expect(validAcknowledgeSignature(key, { ...link, sig: link.sig.slice(1) })).toBe(false);
    expect(validAcknowledgeSignature(key, { ...link, sig: "" })).toBe(false);
  });

  it("is the app's address without its trailing slash, then the incident's path", () => {
    for (const appUrl of ["https://uptime.example.test", "https://uptime.example.test/"]) {
      const url = acknowledgeUrl(appUrl, key, "inc/1", "chan1", now);
      expect(url.startsWith("https://uptime.example.test/incidents/inc%2F1/acknowledge?channel=chan1&exp=")).toBe(true);
    }
  });
});

describe("acknowledgeLinkVerdict", () => {
  const open = { startedAt: ago(DAY), resolvedAt: null };
  const exp = seconds(now) + 3600;

  it.each([
    [
      "an open incident, the link in date, its channel there",
      { exp, incident: open, channelAlertsMonitor: true },
      null,
    ],
    [
      "the incident over",
      { exp, incident: { ...open, resolvedAt: ago(60_000) }, channelAlertsMonitor: true },
      "closed",
    ],
    ["past its expiry", { exp: seconds(now) - 1, incident: open, channelAlertsMonitor: true }, "expired"],
    ["exactly at its expiry", { exp: seconds(now), incident: open, channelAlertsMonitor: true }, "expired"],
    ["its channel gone", { exp, incident: open, channelAlertsMonitor: false }, "channelRemoved"],
    // Links mailed before expiries: the incident's start stands in for the signing time.
    [
      "an old link, incident 6 days old",
      { exp: undefined, incident: { ...open, startedAt: ago(6 * DAY) }, channelAlertsMonitor: true },
      null,
    ],
    [
      "an old link, incident 8 days old",
      { exp: undefined, incident: { ...open, startedAt: ago(8 * DAY) }, channelAlertsMonitor: true },
      "expired",
    ],
    [
      "an old link, incident over",
      { exp: undefined, incident: { ...open, resolvedAt: now }, channelAlertsMonitor: true },
      "closed",
    ],
    ["an old link, channel gone", { exp: undefined, incident: open, channelAlertsMonitor: false }, "channelRemoved"],
  ] as const)("%s", (_label, input, verdict) => {
    expect(acknowledgeLinkVerdict({ ...input, now })).toBe(verdict);
  });
});
