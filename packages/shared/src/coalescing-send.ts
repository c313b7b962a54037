/** The most items one request carries, unless one caller's group alone is larger (it goes whole). */
const defaultMaxBatch = 500;

/**
 * Sends groups of items in the order they are given with one request in flight at a time, as few requests as
 * possible: groups given while a request is in flight wait and go together in the next one, and each caller's
 * promise settles with the request that carried its group (a failed request fails the groups it carried, not the
 * others). At low rates a group goes at once, alone; at hundreds a second, one round trip carries many callers'
 * records, where one request at a time (so a retried request cannot overtake a later one) had capped a producer
 * at one caller per round trip. A group is never split, so its records stay in one request, in order.
 */
export function coalescingSend<T>(
  send: (items: T[]) => Promise<unknown>,
  maxBatch = defaultMaxBatch,
): (group: readonly T[]) => Promise<void> {
  let waiting: { group: readonly T[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let sending = false;
  const drain = async () => {
    sending = true;
    while (waiting.length > 0) {
      let size = 0;
      let taken = 0;
      for (const entry of waiting) {
        if (taken > 0 && size + entry.group.length > maxBatch) break;
        size += entry.group.length;
        taken += 1;
      }
      const batch = waiting.slice(0, taken);
      waiting = waiting.slice(taken);
      try {
        await send(batch.flatMap((entry) => entry.group));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    sending = false;
  };
  return (group) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ group, resolve, reject });
      if (!sending) void drain();
    });
}
