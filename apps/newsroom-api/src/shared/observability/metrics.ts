import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The API's Prometheus metrics, in a registry of its own (tests build many apps in one process). */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'newsroom_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'newsroom_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly appends = new Counter({
    name: 'newsroom_event_appends_total',
    help: 'Successful appends to story streams, and the events they wrote',
    labelNames: ['command'] as const,
    registers: [this.registry],
  });

  readonly appendedEvents = new Counter({
    name: 'newsroom_events_appended_total',
    help: 'Events appended to story streams, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly conflicts = new Counter({
    name: 'newsroom_append_conflicts_total',
    help: 'Appends refused because the stream moved on (expected-revision conflicts), by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly idempotentReplays = new Counter({
    name: 'newsroom_idempotent_replays_total',
    help: 'Requests answered from a stored Idempotency-Key response',
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'newsroom_' });
  }
}
