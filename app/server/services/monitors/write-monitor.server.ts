/**
 * Creating and editing monitors. Every write keeps the monitor's per-region schedules
 * in step and wakes the runners, so a new or edited monitor is checked within seconds.
 */
import { assertWithinQuota } from "../quotas.server.ts";
import {
  crossFieldErrors,
  MASKED_VALUE,
  MONITOR_DEFAULTS,
  timeoutFor,
  tcpUrl,
  type MonitorSettings,
} from "~/lib/monitors/monitor-input.ts";
import { randomPhaseMs } from "../../../../core/domain/schedule.ts";
import type { Prisma } from "../../../../core/db/generated/client.ts";
import { NotFoundError, ValidationError } from "../errors.server.ts";
import { SCHEDULE_CHANNEL } from "../../../../core/db/channels.ts";
import type { OwnerScope } from "../scope.server.ts";
import { settingsOf, toMonitorView, type MonitorView } from "./monitor-view.server.ts";
import { assertTargetAllowed } from "./target-check.server.ts";

type Tx = Prisma.TransactionClient;

/** Settings that change what a check does: editing one re-checks the monitor now. */
const CHECK_SETTINGS = [
  "url",
  "method",
  "headers",
  "body",
  "expectedStatusCodes",
  "keyword",
  "keywordMode",
  "followRedirects",
  "maxRedirects",
  "timeoutMs",
  "intervalSeconds",
] as const satisfies readonly (keyof MonitorSettings)[];

function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function assertNoCrossFieldErrors(settings: MonitorSettings): void {
  const errors = crossFieldErrors(settings);
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

export async function notifySchedulers(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${SCHEDULE_CHANNEL}, '')`;
}

function columnsOf(settings: MonitorSettings) {
  return {
    url: settings.url,
    name: settings.name,
    method: settings.method,
    requestHeaders: settings.headers,
    requestBody: settings.body,
    expectedStatusCodes: settings.expectedStatusCodes,
    keyword: settings.keyword,
    keywordMode: settings.keywordMode,
    followRedirects: settings.followRedirects,
    maxRedirects: settings.maxRedirects,
    timeoutMs: settings.timeoutMs,
    intervalSeconds: settings.intervalSeconds,
    failureThreshold: settings.failureThreshold,
    recoveryThreshold: settings.recoveryThreshold,
    regions: settings.regions,
    downQuorum: settings.downQuorum,
    tags: settings.tags,
  };
}

/** Channel ids that are all the user's, or NOT_FOUND. */
async function ownedChannelIds(ctx: CreateScope, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const count = await ctx.db.notificationChannel.count({ where: { id: { in: unique }, userId: ctx.userId } });
  if (count !== unique.length) throw new NotFoundError("Channel not found");
  return unique;
}

/** Settings as a create or update names them: any may be left out; a null timeout is the automatic one. */
type SettingsInput = Partial<Omit<MonitorSettings, "timeoutMs">> & { timeoutMs?: number | null };

/** What creating a monitor needs (the seed creates its demo monitors with just this). */
type CreateScope = Pick<OwnerScope, "db" | "userId" | "env" | "resolve">;

/** A TCP port monitor as the API names it: host and port rather than a URL. */
interface TcpCreateInput extends Omit<SettingsInput, "url"> {
  type: "TCP";
  host: string;
  port: number;
  tls?: boolean;
  channelIds?: string[];
}

type CreateInput = (SettingsInput & { type?: "HTTP"; url: string; channelIds?: string[] }) | TcpCreateInput;

/** The stored form of either type: settings with a URL (tcp://host:port for TCP), and the type's own columns. */
function asSettingsInput(input: CreateInput) {
  if (input.type !== "TCP") {
    const { type: _http, ...rest } = input;
    return { rest, kind: { type: "HTTP" as const, tcpTls: false }, targetField: "url" };
  }
  const { type: _tcp, host, port, tls, ...rest } = input;
  return {
    rest: { ...rest, url: tcpUrl({ host, port }) },
    kind: { type: "TCP" as const, tcpTls: tls ?? false },
    targetField: "host",
  };
}

export async function createMonitor(ctx: CreateScope, input: CreateInput): Promise<MonitorView> {
  const { rest: settingsInput, kind, targetField } = asSettingsInput(input);
  const { channelIds: requestedChannels, timeoutMs, ...rest } = settingsInput;
  const merged = { ...MONITOR_DEFAULTS, ...definedOnly(rest) };
  const settings = { ...merged, timeoutMs: timeoutFor(timeoutMs, merged.intervalSeconds) } as MonitorSettings;
  if (settings.headers.some((header) => header.value === MASKED_VALUE)) {
    throw new ValidationError({ headers: ["Enter each header's value"] });
  }
  assertNoCrossFieldErrors(settings);
  await assertWithinQuota(ctx, "monitors");
  await assertTargetAllowed(ctx, settings.url, targetField);
  // Without an explicit choice, new monitors alert the user's default channels.
  const channelIds =
    requestedChannels === undefined
      ? (
          await ctx.db.notificationChannel.findMany({
            where: { userId: ctx.userId, isDefault: true },
            select: { id: true },
          })
        ).map((channel) => channel.id)
      : await ownedChannelIds(ctx, requestedChannels);
  const website = await ctx.db.$transaction(async (tx) => {
    const created = await tx.website.create({
      data: {
        ...columnsOf(settings),
        ...kind,
        userId: ctx.userId,
        phaseMs: randomPhaseMs(settings.intervalSeconds),
      },
    });
    await tx.monitorSchedule.createMany({
      data: settings.regions.map((region) => ({ websiteId: created.id, region })),
    });
    await tx.monitorChannel.createMany({ data: channelIds.map((channelId) => ({ websiteId: created.id, channelId })) });
    await notifySchedulers(tx);
    return tx.website.findUniqueOrThrow({ where: { id: created.id }, include: { channels: true } });
  });
  return toMonitorView(website);
}

/** Header values sent back masked keep their stored value. */
function unmaskHeaders(
  submitted: MonitorSettings["headers"],
  stored: MonitorSettings["headers"],
): MonitorSettings["headers"] {
  return submitted.map((header) => {
    if (header.value !== MASKED_VALUE) return header;
    const previous = stored.find((s) => s.name.toLowerCase() === header.name.toLowerCase());
    if (!previous) throw new ValidationError({ headers: [`Enter a value for the header "${header.name}"`] });
    return { name: header.name, value: previous.value };
  });
}

export async function updateMonitor(
  ctx: OwnerScope,
  input: SettingsInput & { id: string; channelIds?: string[]; host?: string; port?: number; tls?: boolean },
): Promise<MonitorView> {
  const { id, channelIds: requestedChannels, timeoutMs, host, port, tls, ...patch } = input;
  const existing = await ctx.db.website.findFirst({ where: { id, userId: ctx.userId } });
  if (!existing) throw new NotFoundError("Monitor not found");
  const before = settingsOf(existing);
  const changes = definedOnly(patch);
  const tcp = existing.type === "TCP";
  if (!tcp && (host !== undefined || port !== undefined || tls !== undefined)) {
    throw new ValidationError({ host: ["Only TCP monitors have a host and port; this one checks a URL"] });
  }
  if (tcp && changes.url !== undefined) throw new ValidationError({ url: ["A TCP monitor is set by host and port"] });
  if (tcp && (host !== undefined || port !== undefined)) {
    const target = new URL(existing.url);
    changes.url = tcpUrl({ host: host ?? target.hostname.replace(/^\[|\]$/g, ""), port: port ?? Number(target.port) });
  }
  if (changes.headers) changes.headers = unmaskHeaders(changes.headers, before.headers);
  const merged = { ...before, ...changes };
  const after: MonitorSettings = { ...merged, timeoutMs: timeoutFor(timeoutMs, merged.intervalSeconds, before) };
  assertNoCrossFieldErrors(after);
  if (after.url !== before.url) await assertTargetAllowed(ctx, after.url, tcp ? "host" : "url");
  const channelIds = requestedChannels === undefined ? undefined : await ownedChannelIds(ctx, requestedChannels);

  const recheck = CHECK_SETTINGS.some((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  const website = await ctx.db.$transaction(async (tx) => {
    const updated = await tx.website.update({
      where: { id },
      data: {
        ...columnsOf(after),
        ...(tls !== undefined ? { tcpTls: tls } : {}),
        ...(after.intervalSeconds !== before.intervalSeconds ? { phaseMs: randomPhaseMs(after.intervalSeconds) } : {}),
      },
    });
    await tx.monitorSchedule.deleteMany({ where: { websiteId: id, region: { notIn: after.regions } } });
    await tx.monitorSchedule.createMany({
      data: after.regions.map((region) => ({ websiteId: id, region, isActive: updated.isActive })),
      skipDuplicates: true,
    });
    if (recheck) {
      await tx.monitorSchedule.updateMany({
        where: { websiteId: id },
        data: { nextCheckAt: new Date(), leaseUntil: null, leasedSlot: null },
      });
    }
    if (channelIds !== undefined) {
      await tx.monitorChannel.deleteMany({ where: { websiteId: id } });
      await tx.monitorChannel.createMany({ data: channelIds.map((channelId) => ({ websiteId: id, channelId })) });
    }
    await notifySchedulers(tx);
    return tx.website.findUniqueOrThrow({ where: { id: updated.id }, include: { channels: true } });
  });
  return toMonitorView(website);
}
