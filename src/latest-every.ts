/**
 * Passes reports on at most once every `ms`, the latest kept: a report comes through at once when
 * `ms` have passed since the last one went, else the latest of those meanwhile goes when they have.
 * Progress is reported far more often than it is worth a message or a write.
 */
export function latestEvery<T>(ms: number, send: (report: T) => void): { report(r: T): void; stop(): void } {
  let last = -Infinity;
  let waiting: { report: T } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    last = performance.now();
    const { report } = waiting!;
    waiting = undefined;
    send(report);
  };
  return {
    report(report: T) {
      waiting = { report };
      if (timer) return;
      const wait = last + ms - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    /** Drops a report still waiting. */
    stop() {
      clearTimeout(timer);
      timer = undefined;
      waiting = undefined;
    },
  };
}
