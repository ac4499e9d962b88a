/**
 * How many live streams may be open at once: per user (a dashboard tab each; far more
 * than anyone opens) and per process (each holds a socket and a subscriber). Without a
 * cap one API token could open streams until the process ran out of sockets or memory
 * (a thousand were accepted). A stream takes a slot before it starts and gives it back
 * when it ends; the next one past a cap is refused (429), never queued.
 */
export interface StreamSlotLimits {
  perUser: number;
  perProcess: number;
}

export type SlotRefusal = "user" | "process";

export interface StreamSlots {
  /** A slot for one of `userId`'s streams (its release is idempotent), or which cap is reached. */
  take(userId: string): { release: () => void } | { refused: SlotRefusal };
  open(): number;
}

export function createStreamSlots(limits: StreamSlotLimits): StreamSlots {
  const perUser = new Map<string, number>();
  let total = 0;
  return {
    take(userId) {
      const mine = perUser.get(userId) ?? 0;
      if (mine >= limits.perUser) return { refused: "user" };
      if (total >= limits.perProcess) return { refused: "process" };
      perUser.set(userId, mine + 1);
      total += 1;
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          total -= 1;
          const left = (perUser.get(userId) ?? 1) - 1;
          if (left > 0) perUser.set(userId, left);
          else perUser.delete(userId);
        },
      };
    },
    open: () => total,
  };
}
