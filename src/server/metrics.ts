/** A small Prometheus registry: counters, gauges and histograms with labels, in the text exposition format. */

type Labels = Record<string, string>;

// Label sets repeat (a route, a method, a status): their rendered keys are kept.
const keyCache = new Map<string, string>();
const key = (labels: Labels) => {
  let id = "";
  for (const k in labels) id += `${k}\u0000${labels[k]}\u0001`;
  let out = keyCache.get(id);
  if (out === undefined) {
    out = renderKey(labels);
    if (keyCache.size < 10_000) keyCache.set(id, out);
  }
  return out;
};

const renderKey = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
    .join(",");

interface Metric {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  render(): string[];
}

export class Counter implements Metric {
  readonly type = "counter";
  private values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ""} ${v}`);
  }
}

export class Gauge implements Metric {
  readonly type = "gauge";
  private values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    private collect?: () => number,
  ) {}
  set(labels: Labels, value: number): void {
    this.values.set(key(labels), value);
  }
  /** Forgets every label set: for gauges read afresh at each scrape, where a state may have emptied. */
  reset(): void {
    this.values.clear();
  }
  render(): string[] {
    if (this.collect) return [`${this.name} ${this.collect()}`];
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ""} ${v}`);
  }
}

export class Histogram implements Metric {
  readonly type = "histogram";
  private series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  ) {}
  observe(labels: Labels, value: number): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]) s.buckets[i]++;
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const out: string[] = [];
    for (const [k, s] of this.series) {
      const sep = k ? "," : "";
      this.bounds.forEach((b, i) => out.push(`${this.name}_bucket{${k}${sep}le="${b}"} ${s.buckets[i]}`));
      out.push(
        `${this.name}_bucket{${k}${sep}le="+Inf"} ${s.count}`,
        `${this.name}_sum${k ? `{${k}}` : ""} ${s.sum}`,
        `${this.name}_count${k ? `{${k}}` : ""} ${s.count}`,
      );
    }
    return out;
  }
}

/** The metrics one server process exposes at `/metrics`. */
export class Metrics {
  private metrics: Metric[] = [];
  readonly httpRequests = this.register(
    new Counter("pledge_http_requests_total", "HTTP requests by method, route and status."),
  );
  readonly httpDuration = this.register(
    new Histogram("pledge_http_request_duration_seconds", "HTTP request duration by method and route."),
  );
  readonly declaration = this.register(
    new Gauge("pledge_declaration_info", "The declaration being served (value 1), by version."),
  );
  readonly auditEntries = this.register(new Gauge("pledge_audit_entries", "Entries in the audit log."));
  readonly tasks = this.register(
    new Gauge(
      "pledge_request_tasks",
      "Unfinished request tasks in the store (every server and worker), by kind and " +
        "state: pending, running, waiting, review, manual, failed.",
    ),
  );
  readonly tasksDue = this.register(
    new Gauge("pledge_request_tasks_due", "The backlog: request tasks due to run now and not yet claimed."),
  );
  readonly retentionOldest = this.register(
    new Gauge(
      "pledge_retention_oldest_age_seconds",
      "After the last sweep: the age of the oldest row a rule covers in a dataset " +
        "(kept and held rows included), by binding, rule and dataset.",
    ),
  );
  readonly retentionLimit = this.register(
    new Gauge(
      "pledge_retention_limit_seconds",
      "The limit of each rule bound to a dataset, by binding, rule and dataset.",
    ),
  );
  readonly retentionRemaining = this.register(
    new Gauge(
      "pledge_retention_due_rows_remaining",
      "After the last sweep: due rows left (kept for a law or held), by binding.",
    ),
  );
  readonly retentionRows = this.register(
    new Gauge(
      "pledge_retention_rows_swept_total",
      "Rows changed by retention sweeps in every server, by binding and outcome (deleted, masked, blocked, held).",
    ),
  );
  readonly governance = this.register(
    new Gauge(
      "pledge_governance_items",
      "What the governance registers hold now, by item: breach clocks overdue and " +
        "due soon, open incidents, access requests awaiting a decision, recordings and " +
        "copies past their date, open requests from authorities, agreements ending " +
        "within 30 days.",
    ),
  );
  readonly retentionLastSweep = this.register(
    new Gauge("pledge_retention_last_sweep_timestamp_seconds", "When each binding's last sweep finished."),
  );
  readonly taskFailures = this.register(
    new Counter(
      "pledge_request_task_failures_total",
      "Failed tries of request tasks in this process's worker, by kind, system and whether they were the last.",
    ),
  );

  constructor() {
    const start = Date.now() / 1000;
    this.register(
      new Gauge("process_start_time_seconds", "Start time of the process since the Unix epoch.", () => start),
    );
    this.register(
      new Gauge("process_resident_memory_bytes", "Resident memory size in bytes.", () => process.memoryUsage().rss),
    );
    this.register(new Gauge("nodejs_heap_used_bytes", "V8 heap used in bytes.", () => process.memoryUsage().heapUsed));
  }

  register<T extends Metric>(m: T): T {
    this.metrics.push(m);
    return m;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  render(): string {
    return (
      this.metrics
        .map((m) => [`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`, ...m.render()].join("\n"))
        .join("\n") + `\n`
    );
  }
}
