import { BILLING_CATEGORIES } from '../../fleet/pricing.js';
import type { MetricFamily, MetricSample } from '../metrics.js';
import { entityViews } from './device-view.js';
import { deviceStatuses, money, type WebDeps } from './status-model.js';

const NUMERIC = /^-?\d+(\.\d+)?$/;
const seconds = (ms: number): number => Math.round(ms / 1000);

/**
 * What /metrics exposes: the build, the account and MQTT health, this month's API usage and
 * budget, per-device polling times, every numeric entity value, and counters of commands, wakes
 * and problems since the daemon started. No secret and no token ever appears in a label.
 */
export interface MetricExtras {
  sseClients: number;
  mqttConnected: boolean;
  /** The process's resident memory and JavaScript heap in use, bytes. */
  memory?: { rss: number; heapUsed: number; heapTotal: number; external: number } | undefined;
}

export function metricFamilies(deps: WebDeps, extra: MetricExtras): MetricFamily[] {
  const view = money(deps);
  const state = deps.tokens.state();
  const health = deps.health.report();
  const statuses = deviceStatuses(deps);
  const device = (s: (typeof statuses)[number]): Record<string, string> => ({ kind: s.entry.ref.kind, id: s.entry.ref.id, name: s.entry.identity.name });
  const values: MetricSample[] = [];
  for (const s of statuses) {
    for (const v of entityViews(s.entry, deps.topics)) {
      if (v.payload !== null && NUMERIC.test(v.payload)) values.push({ labels: { ...device(s), entity: v.key }, value: Number(v.payload) });
    }
  }
  const counts = deps.events.counts;
  return [
    {
      name: 'teslahub_info',
      help: 'Build information (always 1).',
      type: 'gauge',
      samples: [{ labels: { version: deps.version, mode: deps.demo ? 'demo' : 'normal' }, value: 1 }],
    },
    { name: 'teslahub_mqtt_connected', help: '1 while connected to the MQTT broker.', type: 'gauge', samples: [{ value: extra.mqttConnected ? 1 : 0 }] },
    { name: 'teslahub_account_connected', help: '1 while a Tesla account is logged in.', type: 'gauge', samples: [{ value: state.kind === 'ok' ? 1 : 0 }] },
    {
      name: 'teslahub_token_expiry_timestamp_seconds',
      help: 'When the current access token expires (it is refreshed before).',
      type: 'gauge',
      samples: state.kind === 'ok' ? [{ value: seconds(state.expiresAt) }] : [],
    },
    {
      name: 'teslahub_health_check_ok',
      help: '1 when the named health check passes.',
      type: 'gauge',
      samples: Object.entries(health.checks).map(([check, result]) => ({ labels: { check }, value: result.ok ? 1 : 0 })),
    },
    {
      name: 'teslahub_api_month_requests',
      help: 'Billed Fleet API requests this calendar month (UTC), by category.',
      type: 'gauge',
      samples: BILLING_CATEGORIES.map((category) => ({ labels: { category }, value: view.counts[category] })),
    },
    {
      name: 'teslahub_api_month_cost_usd',
      help: 'Fleet API cost this calendar month in US dollars, by category.',
      type: 'gauge',
      samples: BILLING_CATEGORIES.map((category) => ({ labels: { category }, value: round(view.usdByCategory[category]) })),
    },
    { name: 'teslahub_api_budget_usd', help: 'The monthly API budget (budget.monthly_usd).', type: 'gauge', samples: [{ value: view.budgetUsd }] },
    {
      name: 'teslahub_api_projected_cost_usd',
      help: "This month's cost projected to the end of the month.",
      type: 'gauge',
      samples: [{ value: round(view.projectedUsd) }],
    },
    {
      name: 'teslahub_budget_mode',
      help: "The budget's polling mode: 1 for the current one.",
      type: 'gauge',
      samples: (['normal', 'slow', 'stop'] as const).map((mode) => ({ labels: { mode }, value: view.mode === mode ? 1 : 0 })),
    },
    {
      name: 'teslahub_devices',
      help: 'Devices in use, by kind.',
      type: 'gauge',
      samples: (['vehicle', 'energy_site', 'wall_connector'] as const).map((kind) => ({
        labels: { kind },
        value: statuses.filter((s) => s.entry.ref.kind === kind).length,
      })),
    },
    {
      name: 'teslahub_device_last_poll_timestamp_seconds',
      help: "When the device's data last arrived.",
      type: 'gauge',
      samples: statuses.flatMap((s) => (s.poll.lastPollAt !== undefined ? [{ labels: device(s), value: seconds(s.poll.lastPollAt) }] : [])),
    },
    {
      name: 'teslahub_vehicle_next_poll_timestamp_seconds',
      help: 'When the polling policy will next call Tesla about the car.',
      type: 'gauge',
      samples: statuses.flatMap((s) => (s.poll.next ? [{ labels: device(s), value: seconds(s.poll.next.at) }] : [])),
    },
    { name: 'teslahub_entity_value', help: 'Numeric entity values, in the units of the MQTT topics.', type: 'gauge', samples: values },
    {
      name: 'teslahub_commands_total',
      help: 'Commands since start, by result.',
      type: 'counter',
      samples: [
        { labels: { result: 'ok' }, value: counts.commandsOk },
        { labels: { result: 'failed' }, value: counts.commandsFailed },
      ],
    },
    { name: 'teslahub_vehicle_wakes_total', help: 'Cars woken for commands since start.', type: 'counter', samples: [{ value: counts.wakes }] },
    { name: 'teslahub_problems_total', help: 'Device problems reported since start.', type: 'counter', samples: [{ value: counts.problems }] },
    { name: 'teslahub_automation_runs_total', help: 'Automation runs since start.', type: 'counter', samples: [{ value: counts.automationRuns }] },
    ...receiverFamilies(deps),
    { name: 'teslahub_web_live_clients', help: 'Open /api/events streams.', type: 'gauge', samples: [{ value: extra.sseClients }] },
    ...(extra.memory
      ? [
          {
            name: 'teslahub_process_resident_memory_bytes',
            help: 'Resident memory of the daemon process.',
            type: 'gauge' as const,
            samples: [{ value: extra.memory.rss }],
          },
          { name: 'teslahub_process_heap_used_bytes', help: 'JavaScript heap in use.', type: 'gauge' as const, samples: [{ value: extra.memory.heapUsed }] },
          {
            name: 'teslahub_process_heap_total_bytes',
            help: 'JavaScript heap reserved.',
            type: 'gauge' as const,
            samples: [{ value: extra.memory.heapTotal }],
          },
          {
            name: 'teslahub_process_external_memory_bytes',
            help: 'Memory outside the JavaScript heap held by its objects (buffers).',
            type: 'gauge' as const,
            samples: [{ value: extra.memory.external }],
          },
        ]
      : []),
  ];
}

/** The built-in Fleet Telemetry receiver: what it refused, by cause, and the cars connected now. */
function receiverFamilies(deps: WebDeps): MetricFamily[] {
  const receiver = deps.streaming?.receiver();
  if (!receiver) return [];
  return [
    {
      name: 'teslahub_telemetry_receiver_listening',
      help: '1 while the built-in Fleet Telemetry receiver listens.',
      type: 'gauge',
      samples: [{ value: receiver.listening ? 1 : 0 }],
    },
    {
      name: 'teslahub_telemetry_connections',
      help: 'Cars connected to the built-in receiver now.',
      type: 'gauge',
      samples: [{ value: receiver.connections.length }],
    },
    {
      name: 'teslahub_telemetry_refused_total',
      help: 'Connections, frames and messages the built-in receiver refused since start, by cause.',
      type: 'counter',
      samples: Object.entries(receiver.refusals).map(([cause, value]) => ({ labels: { cause }, value })),
    },
  ];
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
