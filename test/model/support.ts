import { FakeClock } from '../../src/core/fake-clock.js';
import type { EntityDescriptor } from '../../src/model/descriptors.js';
import type { BridgeSource, EnergySiteSource, VehicleConnection, VehicleSource, WallConnectorSource } from '../../src/model/sources.js';
import { type DeviceIdentity, deviceDiscovery, uniqueDeviceId } from '../../src/mqtt/discovery.js';
import { Topics } from '../../src/mqtt/topics.js';
import { Simulator, type ScenarioInput } from '../../src/simulator/index.js';
import { validateDeviceDiscovery } from '../support/ha-discovery-rules.js';
import { Api } from '../simulator/support.js';

/** Noon in Los Angeles on a summer Monday: the demo car is parked at home, the sun is up. */
export const NOON = Date.UTC(2026, 5, 22, 19, 0);

export const TOPICS = new Topics('teslahub', 'homeassistant');
export const ORIGIN = { name: 'teslahub', sw_version: '0.0.0-test', support_url: 'https://example.invalid/teslahub' };

const SECTIONS = encodeURIComponent('charge_state;climate_state;drive_state;vehicle_state;vehicle_config;location_data;gui_settings');

export interface SimWorld {
  sim: Simulator;
  clock: FakeClock;
  api: Api;
  close(): Promise<void>;
}

export async function startWorld(scenario?: ScenarioInput): Promise<SimWorld> {
  const clock = new FakeClock(NOON);
  // Tests send bursts of commands to one car; Tesla's per-minute limits are not what they check.
  const sim = new Simulator({ clock, rateLimits: false, ...(scenario ? { scenario } : {}) });
  await sim.start();
  const api = new Api(sim.url, String(sim.issueTokens().access_token));
  return { sim, clock, api, close: () => sim.stop() };
}

/** vehicle_data with every section the poller asks for, as the car answers it now. */
export async function vehicleSource(world: SimWorld, vin: string, connection: VehicleConnection = 'online'): Promise<VehicleSource> {
  const answer = await world.api.get(`/na/api/1/vehicles/${vin}/vehicle_data?endpoints=${SECTIONS}`);
  if (answer.status !== 200) throw new Error(`vehicle_data answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  const data = answer.body.response as Record<string, unknown>;
  return { kind: 'vehicle', vin, summary: { display_name: data.display_name, vin }, connection, data, dataAt: world.clock.now() };
}

export function emptyVehicle(vin: string): VehicleSource {
  return { kind: 'vehicle', vin, summary: {}, connection: 'unknown', data: undefined, dataAt: undefined };
}

export async function siteSource(world: SimWorld, id: string): Promise<EnergySiteSource> {
  const live = (await world.api.get(`/na/api/1/energy_sites/${id}/live_status`)).body.response as Record<string, unknown>;
  const info = (await world.api.get(`/na/api/1/energy_sites/${id}/site_info`)).body.response as Record<string, unknown>;
  const now = world.clock.now();
  return {
    kind: 'energy_site',
    id,
    summary: {},
    live,
    liveAt: now,
    info,
    infoAt: now,
    totals: undefined,
    batteryControl: { mode: 'normal', until: undefined },
  };
}

export function emptySite(id: string): EnergySiteSource {
  return {
    kind: 'energy_site',
    id,
    summary: {},
    live: undefined,
    liveAt: undefined,
    info: undefined,
    infoAt: undefined,
    totals: undefined,
    batteryControl: { mode: 'normal', until: undefined },
  };
}

/** The site's Wall Connectors as the poller splits them out of live_status and site_info. */
export function wallConnectorSources(site: EnergySiteSource): WallConnectorSource[] {
  const listed = (site.info?.components as { wall_connectors?: Record<string, unknown>[] } | undefined)?.wall_connectors ?? [];
  const live = (site.live?.wall_connectors as Record<string, unknown>[] | undefined) ?? [];
  return listed.map((info) => {
    const din = String(info.din);
    return { kind: 'wall_connector', din, siteId: site.id, live: live.find((entry) => entry.din === din), liveAt: site.liveAt, info };
  });
}

export function bridgeSource(overrides: Partial<BridgeSource> = {}): BridgeSource {
  return {
    kind: 'bridge',
    version: '0.0.0-test',
    spendUsd: 1.234,
    budgetUsd: 10,
    lastPoll: NOON,
    tokenExpiry: NOON + 8 * 3_600_000,
    accountConnected: true,
    ...overrides,
  };
}

export function identity(kind: DeviceIdentity['kind'], id: string, name: string): DeviceIdentity {
  return { kind, topicId: id, hardwareId: id, name };
}

export interface Discovered {
  topic: string;
  payload: Record<string, unknown>;
  components: Record<string, Record<string, unknown>>;
  problems: string[];
}

/** Builds a device's discovery config the way the publisher does and checks it against Home Assistant's rules. */
export function discover<S>(device: DeviceIdentity, table: readonly EntityDescriptor<S>[], source: S): Discovered {
  const payload = deviceDiscovery(device, table, source, { topics: TOPICS, origin: ORIGIN });
  const topic = TOPICS.discovery(uniqueDeviceId(device));
  return { topic, payload, components: payload.components as Record<string, Record<string, unknown>>, problems: validateDeviceDiscovery(topic, payload) };
}
