/**
 * One tenant's worth of everything, for the isolation walker: every kind of object a
 * user owns (monitors with tags, a heartbeat and its pings, API tokens, a GitHub
 * connection, alert channels and their deliveries, incidents, an acknowledgement, status
 * pages with a custom domain, subscribers, incident updates, announcements, one-off and
 * recurring maintenance), each carrying a secret that must never reach anyone else.
 *
 * `unseenByOwner` is the walker's precondition: every check that another user sees
 * nothing is only worth something if the owner, asking the same question, does see the
 * thing. A check whose thing is missing for the owner would pass whatever the code did.
 */
import type { Db } from "../../core/db/client.ts";
import { createApiToken } from "../../app/server/services/auth/api-tokens.server.ts";
import { callerFor, ownerScope } from "./caller.ts";
import { unique } from "./factories.ts";

type Caller = ReturnType<typeof callerFor>;

export interface TenantIds {
  monitor: string;
  heartbeat: string;
  apiToken: string;
  connection: string;
  channel: string;
  delivery: string;
  statusPage: string;
  domain: string;
  subscriber: string;
  incident: string;
  acknowledgedIncident: string;
  incidentUpdate: string;
  announcement: string;
  maintenance: string;
  recurring: string;
}

export interface Tenant {
  userId: string;
  ids: TenantIds;
  /** Text only this tenant's things carry: none of it may reach anyone else. */
  secrets: string[];
  /** Labelled values each owner check must find (the tag, the acknowledger, the domain). */
  marks: { tag: string; acknowledgedBy: string; domain: string; ping: string; updateMessage: string };
  pushUrl: string;
}

/** Seeds one of everything for `user`; `label` keeps two tenants' text apart. */
export async function seedTenant(db: Db, user: { id: string; email: string }, label: string): Promise<Tenant> {
  const api = callerFor(db, { user: { ...user, emailVerified: true } as never });
  const mark = (what: string) => `${label}-secret-${what}`;
  const monitor = await api.monitor.create({
    url: `http://127.0.0.1:9/${mark("path")}`,
    name: mark("monitor"),
    headers: [{ name: "Authorization", value: `Bearer ${mark("header")}` }],
    tags: [mark("tag")],
  });
  const heartbeat = await api.monitor.create({ type: "HEARTBEAT", periodSeconds: 3600, name: mark("heartbeat") });
  const pushToken = heartbeat.pushUrl!.split("/api/push/")[1]!;
  await callerFor(db).heartbeat.ping({ token: pushToken, msg: mark("ping") });
  const token = await createApiToken(ownerScope(db, user.id), { name: mark("api-token") });
  const connection = await db.account.create({
    data: { userId: user.id, provider: "github", providerAccountId: unique("gh") },
  });
  const channel = await api.notification.create({
    type: "SLACK",
    name: mark("channel"),
    target: `http://127.0.0.1:9/services/${mark("slack-token")}`,
  });
  await api.monitor.update({ id: monitor.id, channelIds: [channel.id] });
  const statusPage = await api.statusPage.create({ name: mark("page"), slug: unique(label).toLowerCase() });
  await api.statusPage.setMonitors({
    id: statusPage.id,
    monitors: [{ monitorId: monitor.id, displayName: mark("service") }],
  });
  const domain = `${unique("s").toLowerCase()}.${label}.test`;
  await api.statusPage.setDomain({ id: statusPage.id, domain });
  const subscriber = await db.subscriber.create({
    data: {
      statusPageId: statusPage.id,
      email: `${mark("subscriber")}@example.test`,
      confirmTokenHash: unique("confirm"),
      unsubscribeTokenHash: unique("unsubscribe"),
      confirmedAt: new Date(),
    },
  });
  const acknowledgedIncident = await db.incident.create({
    data: {
      monitorId: monitor.id,
      cause: "timeout",
      causeDetail: mark("old-error"),
      startedAt: new Date(Date.now() - 7_200_000),
      resolvedAt: new Date(Date.now() - 3_600_000),
      durationSeconds: 3600,
      acknowledgedAt: new Date(Date.now() - 7_000_000),
      acknowledgedBy: mark("acknowledger"),
    },
  });
  // Open, not acknowledged: what others try to acknowledge, update and read.
  const incident = await db.incident.create({
    data: {
      monitorId: monitor.id,
      openKey: monitor.id,
      cause: "timeout",
      causeDetail: mark("error"),
      startedAt: new Date(),
    },
  });
  const incidentUpdate = await db.incidentUpdate.create({
    data: { incidentId: acknowledgedIncident.id, status: "RESOLVED", message: mark("incident-update") },
  });
  const delivery = await db.notificationDelivery.create({
    data: {
      channelId: channel.id,
      monitorId: monitor.id,
      incidentId: incident.id,
      event: "incident.opened",
      payload: {},
      status: "FAILED",
      attempts: 3,
      lastError: mark("delivery-error"),
    },
  });
  const announcement = await api.statusPage.postAnnouncement({
    id: statusPage.id,
    kind: "INCIDENT",
    title: mark("announcement"),
    message: mark("announcement-text"),
  });
  const recurring = await api.maintenance.createRecurring({
    title: mark("recurring"),
    schedule: "0 3 * * 0",
    timeZone: "Europe/Berlin",
    durationMinutes: 30,
    monitorIds: [monitor.id],
  });
  const maintenance = await api.maintenance.create({
    title: mark("maintenance"),
    startsAt: new Date(Date.now() + 3_600_000),
    endsAt: new Date(Date.now() + 7_200_000),
    monitorIds: [monitor.id],
  });
  return {
    userId: user.id,
    ids: {
      monitor: monitor.id,
      heartbeat: heartbeat.id,
      apiToken: token.id,
      connection: connection.id,
      channel: channel.id,
      delivery: delivery.id,
      statusPage: statusPage.id,
      domain,
      subscriber: subscriber.id,
      incident: incident.id,
      acknowledgedIncident: acknowledgedIncident.id,
      incidentUpdate: incidentUpdate.id,
      announcement: announcement.id,
      maintenance: maintenance.id,
      recurring: recurring.id,
    },
    secrets: [
      user.email,
      ...[
        "path",
        "monitor",
        "header",
        "tag",
        "heartbeat",
        "ping",
        "api-token",
        "channel",
        "slack-token",
        "page",
        "service",
        "subscriber",
        "old-error",
        "acknowledger",
        "error",
        "incident-update",
        "delivery-error",
        "announcement",
        "recurring",
        "maintenance",
      ].map(mark),
      token.token,
      pushToken,
    ],
    marks: {
      tag: mark("tag"),
      acknowledgedBy: mark("acknowledger"),
      domain,
      ping: mark("ping"),
      updateMessage: mark("incident-update"),
    },
    pushUrl: heartbeat.pushUrl!,
  };
}

/**
 * What the owner must see, one entry per question the walker asks: the lists (which
 * another user asks too, and must get none of this from), and the reads that take an id
 * (which another user is refused). Each names the seeded things its answer must hold.
 */
export interface OwnerCheck {
  name: string;
  /** A list (no id in the question): another user asks it too, and must get none of it. */
  list?: true;
  ask: (api: Caller, tenant: Tenant) => Promise<unknown>;
  holds: (t: Tenant) => string[];
}

export const OWNER_SEES: OwnerCheck[] = [
  {
    name: "monitor.list",
    list: true,
    ask: (api) => api.monitor.list(),
    holds: (t) => [t.ids.monitor, t.ids.heartbeat],
  },
  {
    name: "monitor.overview",
    list: true,
    ask: (api) => api.monitor.overview({}),
    holds: (t) => [t.ids.monitor, t.marks.tag],
  },
  {
    name: "account.apiTokens.list",
    list: true,
    ask: (api) => api.account.apiTokens.list(),
    holds: (t) => [t.ids.apiToken],
  },
  { name: "account.me", list: true, ask: (api) => api.account.me(), holds: (t) => [t.ids.connection] },
  { name: "notification.list", list: true, ask: (api) => api.notification.list(), holds: (t) => [t.ids.channel] },
  {
    name: "notification.deliveries",
    list: true,
    ask: (api) => api.notification.deliveries({}),
    holds: (t) => [t.ids.delivery],
  },
  { name: "statusPage.list", list: true, ask: (api) => api.statusPage.list(), holds: (t) => [t.ids.statusPage] },
  { name: "maintenance.list", list: true, ask: (api) => api.maintenance.list(), holds: (t) => [t.ids.maintenance] },
  {
    name: "maintenance.recurring",
    list: true,
    ask: (api) => api.maintenance.recurring(),
    holds: (t) => [t.ids.recurring],
  },
  {
    name: "account.export",
    list: true,
    ask: (api) => api.account.export({ includeSecrets: true }),
    holds: (t) => [t.ids.monitor, t.ids.channel, t.ids.statusPage, t.ids.maintenance, t.marks.tag],
  },
  // Reads by id: what another user calling them with these ids would be refused.
  {
    name: "monitor.byId",
    ask: (api, t) => api.monitor.byId({ id: t.ids.monitor }),
    holds: (t) => [t.ids.monitor, t.marks.tag],
  },
  { name: "monitor.pings", ask: (api, t) => api.monitor.pings({ id: t.ids.heartbeat }), holds: (t) => [t.marks.ping] },
  {
    name: "monitor.incidents",
    ask: (api, t) => api.monitor.incidents({ id: t.ids.monitor }),
    holds: (t) => [t.ids.incident, t.ids.acknowledgedIncident, t.marks.acknowledgedBy],
  },
  {
    name: "notification.deliveries (by channel)",
    ask: (api, t) => api.notification.deliveries({ channelId: t.ids.channel }),
    holds: (t) => [t.ids.delivery],
  },
  {
    name: "notification.deliveries (by monitor)",
    ask: (api, t) => api.notification.deliveries({ monitorId: t.ids.monitor }),
    holds: (t) => [t.ids.delivery],
  },
  {
    name: "statusPage.byId",
    ask: (api, t) => api.statusPage.byId({ id: t.ids.statusPage }),
    holds: (t) => [t.ids.statusPage, t.marks.domain],
  },
  {
    name: "statusPage.byId (subscribers)",
    ask: async (api, t) => (await api.statusPage.byId({ id: t.ids.statusPage })).subscribers,
    holds: () => ['"confirmed":1'],
  },
  {
    name: "statusPage.incidents",
    ask: (api, t) => api.statusPage.incidents({ id: t.ids.statusPage }),
    holds: (t) => [t.ids.acknowledgedIncident, t.marks.updateMessage],
  },
  {
    name: "statusPage.announcements",
    ask: (api, t) => api.statusPage.announcements({ id: t.ids.statusPage }),
    holds: (t) => [t.ids.announcement],
  },
];

/**
 * The walker's precondition: the names of the owner's questions whose answer lacks a
 * seeded thing (empty when every "another user sees nothing" has something to miss).
 */
export async function unseenByOwner(api: Caller, tenant: Tenant): Promise<string[]> {
  const unseen: string[] = [];
  for (const check of OWNER_SEES) {
    let answer: string;
    try {
      answer = JSON.stringify(await check.ask(api, tenant), (_key, value: unknown) =>
        typeof value === "bigint" ? value.toString() : value,
      );
    } catch {
      unseen.push(check.name);
      continue;
    }
    if (check.holds(tenant).some((thing) => !answer.includes(thing))) unseen.push(check.name);
  }
  return unseen;
}
