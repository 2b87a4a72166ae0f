import type { CounterTopics } from './topics.ts';
import type { DeviceInfo } from './types.ts';

/** Home Assistant announces its own restart here; we answer by re-sending discovery and state. */
export const HA_STATUS_TOPIC = 'homeassistant/status';

interface Entity {
  readonly component: 'sensor' | 'binary_sensor';
  readonly objectId: string;
  readonly name: string;
  readonly topic: 'status' | 'health' | 'metrics';
  readonly template: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

const ENTITIES: readonly Entity[] = [
  {
    component: 'binary_sensor',
    objectId: 'problem',
    name: 'Problem',
    topic: 'status',
    template: "{{ 'ON' if value_json.state == 'alert' else 'OFF' }}",
    extra: { device_class: 'problem' },
  },
  { component: 'sensor', objectId: 'paper', name: 'Printer paper', topic: 'health', template: '{{ value_json.printer.paper }}' },
  { component: 'sensor', objectId: 'reader', name: 'Card reader', topic: 'health', template: '{{ value_json.reader.status }}' },
  { component: 'sensor', objectId: 'outbox', name: 'Outbox depth', topic: 'health', template: '{{ value_json.outbox.depth }}', extra: { state_class: 'measurement' } },
  { component: 'sensor', objectId: 'queue', name: 'Queue waiting', topic: 'metrics', template: '{{ value_json.queueWaiting }}', extra: { state_class: 'measurement' } },
  { component: 'sensor', objectId: 'berhasil', name: 'Berhasil today', topic: 'metrics', template: '{{ value_json.berhasil }}', extra: { state_class: 'total' } },
  { component: 'sensor', objectId: 'gagal', name: 'Gagal today', topic: 'metrics', template: '{{ value_json.gagal }}', extra: { state_class: 'total' } },
];

/**
 * Retained Home Assistant MQTT discovery configs (domain brief §4): one device per counter, its
 * availability driven by our `status` topic so a `lost` counter greys out in HA.
 */
export function discoveryMessages(
  topics: CounterTopics,
  site: string,
  device: string,
  info: DeviceInfo,
): { topic: string; payload: string }[] {
  const nodeId = `ektp_${site}_${device}`;
  return ENTITIES.map((e) => ({
    topic: `homeassistant/${e.component}/${nodeId}/${e.objectId}/config`,
    payload: JSON.stringify({
      name: e.name,
      unique_id: `${nodeId}_${e.objectId}`,
      state_topic: topics.topic(e.topic),
      value_template: e.template,
      availability_topic: topics.topic('status'),
      availability_template: "{{ 'online' if value_json.state in ['ready', 'alert'] else 'offline' }}",
      payload_available: 'online',
      payload_not_available: 'offline',
      device: {
        identifiers: [nodeId],
        name: `e-KTP counter ${site}/${device}`,
        manufacturer: 'ektp-counter-agent',
        model: info.hwModel ?? 'counter',
        sw_version: info.swVersion,
      },
      ...e.extra,
    }),
  }));
}
