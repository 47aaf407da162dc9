/**
 * Group commit: concurrent writers hand their rows to one committer, which writes everything that arrived while the
 * previous transaction was committing in a single transaction. Each caller's promise settles only after the
 * transaction holding its rows has committed (or failed), so an acknowledged write is a durable one. With one writer
 * at a time nothing waits: a lone row is committed at once, in a transaction of its own.
 *
 * A batch that fails is retried row by row, so one bad row rejects its own caller and no other.
 */
export class GroupCommit<T> {
  private queue: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private running = false;

  /**
   * @param commit writes the items in one transaction; resolves once it has committed
   * @param maxBatch the most items one transaction holds
   */
  constructor(
    private readonly commit: (items: T[]) => Promise<void>,
    private readonly maxBatch = 256,
  ) {}

  /** Queues an item; resolves once the transaction holding it has committed. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Writers woken in the same turn of the event loop (one batch of HTTP requests) join the first transaction.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          await this.commit(batch.map((b) => b.item));
          for (const b of batch) b.resolve();
        } catch (err) {
          if (batch.length === 1) batch[0].reject(err);
          else for (const b of batch) await this.commit([b.item]).then(b.resolve, b.reject);
        }
      }
    } finally {
      // The loop ends only with the queue empty, and nothing runs between its last check and here: the next item
      // starts a new drain.
      this.running = false;
    }
  }
}

/**
 * Batched look-ups: keys asked for in the same turn of the event loop are read with one query, and each caller gets
 * its own answer. A read made this way sees what had committed when the query ran, as a read of its own would.
 */
export class BatchLookup<K, V> {
  private pending = new Map<K, { resolve: (v: V | undefined) => void; reject: (err: unknown) => void }[]>();

  /**
   * @param read answers many keys at once: a map from each key found to its value
   * @param maxBatch the most keys one query asks for
   */
  constructor(
    private readonly read: (keys: K[]) => Promise<Map<K, V>>,
    private readonly maxBatch = 500,
  ) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) return waiting.push({ resolve, reject });
      if (!this.pending.size) setImmediate(() => void this.flush());
      this.pending.set(key, [{ resolve, reject }]);
    });
  }

  private async flush(): Promise<void> {
    const all = [...this.pending];
    this.pending.clear();
    for (let i = 0; i < all.length; i += this.maxBatch) {
      const part = all.slice(i, i + this.maxBatch);
      try {
        const found = await this.read(part.map(([k]) => k));
        for (const [k, waiting] of part) for (const w of waiting) w.resolve(found.get(k));
      } catch (err) {
        for (const [, waiting] of part) for (const w of waiting) w.reject(err);
      }
    }
  }
}
