/**
 * Whether the caller may see a thing, asked in one place and once per request.
 *
 * A page calls several procedures about one monitor (the monitor page calls seven);
 * each used to re-read the monitor `WHERE id AND userId` on its own, written three
 * ways. Now each service asks `scope.own.monitor(id)`, which reads it once and hands
 * every later procedure of the same request the same answer (`OwnershipMemo`, one per
 * request, held by the tRPC context). Someone else's id and an unknown id are the same
 * NOT_FOUND, so nobody learns what exists.
 *
 * Only reads share the memo: a mutation asks the primary afresh (it must not act on what
 * an earlier call of its request saw), and empties the memo when it is done, so a read
 * after it in the same request sees the change. Inside `inOneTransaction` the checks read
 * the transaction, unmemoised (they must see what it made).
 *
 * Teams will change who may see what (workspaces, roles); this is the one place to change.
 */
import type { Db } from "../../../core/db/client.ts";
import type { Prisma } from "../../../core/db/generated/client.ts";
import { NotFoundError } from "./errors.server.ts";

/** The answers already given in one request, by thing and id (a rejected lookup is forgotten). */
export type OwnershipMemo = Map<string, Promise<unknown>>;

export function newOwnershipMemo(): OwnershipMemo {
  return new Map();
}

/** A monitor with its channels: what its page, its settings and its edit form show. */
export type OwnedMonitor = Prisma.MonitorGetPayload<{ include: { channels: true } }>;
export type OwnedPage = Prisma.StatusPageGetPayload<object>;
export type OwnedChannel = Prisma.NotificationChannelGetPayload<object>;

const INCIDENT_INCLUDE = { monitor: { select: { id: true, name: true, url: true, userId: true } } } as const;
/** An incident with the few fields of its monitor that an acknowledgement names. */
export type OwnedIncident = Prisma.IncidentGetPayload<{ include: typeof INCIDENT_INCLUDE }>;

export interface Ownership {
  /** The caller's monitor, or NOT_FOUND. */
  monitor(id: string): Promise<OwnedMonitor>;
  /** All of them the caller's, or NOT_FOUND and nothing (repeated ids count once). */
  monitors(ids: readonly string[]): Promise<void>;
  /** The caller's status page, or NOT_FOUND. */
  page(id: string): Promise<OwnedPage>;
  /** The caller's alert channel, or NOT_FOUND. */
  channel(id: string): Promise<OwnedChannel>;
  /** An incident of one of the caller's monitors, or NOT_FOUND. */
  incident(id: string): Promise<OwnedIncident>;
}

/** Where the checks read: the request's read routing for queries, the primary or a transaction for changes. */
export type OwnershipReader = <T>(read: (db: Db) => Promise<T>) => Promise<T>;

function found<T>(row: T | null, message: string): T {
  if (row === null) throw new NotFoundError(message);
  return row;
}

/**
 * The checks for `userId`, reading through `read`, remembered in `memo` (pass a new memo
 * for answers nobody else in the request may share).
 */
export function ownershipOf(
  userId: string,
  read: OwnershipReader,
  memo: OwnershipMemo = newOwnershipMemo(),
): Ownership {
  function once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const known = memo.get(key) as Promise<T> | undefined;
    if (known) return known;
    const answer = load();
    memo.set(key, answer);
    // A failure (not found, a lost connection) is not remembered: the next call asks again.
    answer.catch(() => memo.delete(key));
    return answer;
  }
  return {
    monitor: (id) =>
      once(`monitor:${id}`, async () =>
        found(
          await read((db) => db.monitor.findFirst({ where: { id, userId }, include: { channels: true } })),
          "Monitor not found",
        ),
      ),
    async monitors(ids) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return;
      const owned = await read((db) => db.monitor.count({ where: { id: { in: unique }, userId } }));
      if (owned !== unique.length) throw new NotFoundError("Monitor not found");
    },
    page: (id) =>
      once(`page:${id}`, async () =>
        found(await read((db) => db.statusPage.findFirst({ where: { id, userId } })), "Status page not found"),
      ),
    channel: (id) =>
      once(`channel:${id}`, async () =>
        found(await read((db) => db.notificationChannel.findFirst({ where: { id, userId } })), "Channel not found"),
      ),
    incident: (id) =>
      once(`incident:${id}`, async () =>
        found(
          await read((db) => db.incident.findFirst({ where: { id, monitor: { userId } }, include: INCIDENT_INCLUDE })),
          "Incident not found",
        ),
      ),
  };
}
