/** The services' alert requests (pure): what each gets, and what text from monitors can never do there. */
import { describe, expect, it } from "vitest";
import type { ChannelRecord, ChannelType } from "../../core/outbox/channel-types.ts";
import { CHANNEL_FIELDS, UpdateChannelInput } from "../../app/lib/notifications/channel-input.ts";
import type { AlertPayload } from "../../core/outbox/events.ts";
import {
  dedupKey,
  renderGoogleChat,
  renderMatrix,
  renderOpsgenie,
  renderPagerDuty,
  renderTeams,
  renderTelegram,
} from "../../core/outbox/render-services.ts";

const ctx = { appUrl: "https://uptime.example.test", deliveryId: "delivery-1" };
const channel = (type: ChannelType, settings: Record<string, string> = {}): ChannelRecord => ({
  id: "c1",
  type,
  target: "https://service.example.test",
  secret: "s3cret",
  signingSecret: null,
  settings,
});
const payload = (event: AlertPayload["event"], name = "Shop"): AlertPayload => ({
  event,
  occurredAt: "2026-12-06T10:00:00.000Z",
  monitor: { id: "m1", name, url: "https://shop.example.test/" },
  incident: {
    id: "i1",
    cause: "status",
    detail: "HTTP 503",
    regions: ["eu"],
    startedAt: "2026-12-06T09:59:00.000Z",
    resolvedAt: null,
    durationSeconds: null,
  },
  tls: null,
  acknowledgement: event === "incident.acknowledged" ? { by: "Ada", at: "2026-12-06T10:01:00.000Z" } : null,
});
const body = (request: { body: string } | null) => JSON.parse(request!.body) as Record<string, unknown>;

describe("text from monitors", () => {
  it("is escaped HTML for Telegram and Matrix, and Matrix mentions nobody", () => {
    const hostile = payload("incident.opened", `<a href="x">@room</a>`);
    expect(body(renderTelegram(channel("TELEGRAM", { chatId: "1" }), hostile, ctx)).text).toContain(
      '&lt;a href="x"&gt;@room&lt;/a&gt;',
    );
    const matrix = body(renderMatrix(channel("MATRIX", { roomId: "!r:x" }), hostile, ctx));
    expect(matrix.formatted_body).not.toContain("<a href");
    expect(matrix["m.mentions"]).toEqual({});
  });

  it("cannot mention everyone in Google Chat or make links in Teams", () => {
    const text = body(renderGoogleChat(channel("GOOGLE_CHAT"), payload("incident.opened", "<users/all>"), ctx)).text;
    expect(text).not.toContain("<users/all>");
    const teams = JSON.stringify(
      body(renderTeams(channel("TEAMS"), payload("incident.opened", "[click](https://evil.test)"), ctx)),
    );
    expect(teams).toContain("\\\\[click\\\\]\\\\(https://evil.test\\\\)");
  });
});

describe("on-call services", () => {
  it("share one dedup key per incident across trigger, acknowledge and resolve", () => {
    const pd = channel("PAGERDUTY");
    const actions = (["incident.opened", "incident.acknowledged", "incident.resolved"] as const).map((event) =>
      body(renderPagerDuty(pd, payload(event), ctx)),
    );
    expect(actions.map((action) => action.event_action)).toEqual(["trigger", "acknowledge", "resolve"]);
    expect(new Set(actions.map((action) => action.dedup_key))).toEqual(new Set([dedupKey(payload("incident.opened"))]));
  });

  it("get no reminders (they escalate on their own)", () => {
    expect(renderPagerDuty(channel("PAGERDUTY"), payload("incident.reminder"), ctx)).toBeNull();
    expect(renderOpsgenie(channel("OPSGENIE"), payload("incident.reminder"), ctx)).toBeNull();
  });

  it("Opsgenie acknowledges and closes by alias", () => {
    const og = channel("OPSGENIE");
    const alias = encodeURIComponent(dedupKey(payload("incident.opened")));
    expect(renderOpsgenie(og, payload("incident.acknowledged"), ctx)!.url).toBe(
      `https://service.example.test/v2/alerts/${alias}/acknowledge?identifierType=alias`,
    );
    expect(body(renderOpsgenie(og, payload("incident.acknowledged"), ctx)).note).toBe("Acknowledged by Ada");
    expect(renderOpsgenie(og, payload("incident.resolved"), ctx)!.url).toContain(`/v2/alerts/${alias}/close`);
  });

  it("a channel missing its setting fails with the reason, not a malformed request", () => {
    expect(() => renderTelegram(channel("TELEGRAM"), payload("test"), ctx)).toThrow(/no chat id/);
  });
});

describe("channel updates", () => {
  it("accept every type's own fields", () => {
    const names = new Set(Object.values(CHANNEL_FIELDS).flatMap((fields) => Object.keys(fields)));
    for (const name of names) expect(Object.keys(UpdateChannelInput.shape)).toContain(name);
  });
});
