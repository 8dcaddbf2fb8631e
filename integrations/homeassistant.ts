/**
 * Home Assistant MQTT discovery for microlearn devices: the topic layout,
 * the discovery payloads, availability with a last will, one JSON state
 * topic, and the parsing of commands. Runtime-free (no MQTT client here:
 * see mqtt.ts and the per-runtime adapters), so the same module serves the
 * thermostat, the vibration monitor and fleet members on Node, Moddable and
 * Espruino.
 *
 * Topic layout for a device with id `ID` (base topic `microlearn/ID` unless
 * told otherwise):
 *
 *   homeassistant/<component>/ID/<object>/config   discovery, retained (one per entity)
 *   microlearn/ID/status                           "online" (retained birth) / "offline" (retained last will)
 *   microlearn/ID/state                            one JSON object with every entity's value, retained
 *   microlearn/ID/<object>/<what>/set              commands from Home Assistant (what: temperature, mode, ...; "set" alone for lights and switches)
 *   homeassistant/status                           Home Assistant's own birth: "online" asks for discovery again
 *
 * As ESPHome does: the discovery topic's node is the device id, every
 * entity has a `unique_id` and shares one `device` block (so they group as
 * one device), availability points at the device's status topic, and keys
 * can be abbreviated (`abbreviate: true`: short keys, and "~" for the base
 * topic) to save memory and socket buffer on small devices.
 * Fields follow https://www.home-assistant.io/integrations/mqtt/ and the
 * per-platform pages (climate.mqtt, sensor.mqtt, binary_sensor.mqtt,
 * light.mqtt, switch.mqtt).
 *
 * @example
 * const ha = new HomeAssistant({ id: 'thermostat-1', name: 'Living room thermostat', model: 'learning thermostat' });
 * ha.sensor('temperature', { name: 'Temperature', key: 'temperature', deviceClass: 'temperature', unit: '°C' });
 * for (const m of ha.discovery()) client.publish(m.topic, m.payload, { retain: m.retain });
 * client.publish(ha.stateMessage({ temperature: 21.5 }).topic, ...);
 */

/** A message to publish. */
export interface HaMessage {
  topic: string;
  payload: string;
  retain: boolean;
}

/** The device every entity belongs to. */
export interface HaDevice {
  /** 1..48 characters of A-Z a-z 0-9 _ - : used in topics and unique ids. */
  id: string;
  name: string;
  manufacturer?: string;
  model?: string;
  swVersion?: string;
  hwVersion?: string;
  suggestedArea?: string;
  configurationUrl?: string;
}

export interface HaOptions {
  /** Home Assistant's discovery prefix (default "homeassistant"). */
  discoveryPrefix?: string;
  /** Root of the device's own topics (default "microlearn/<id>"). */
  baseTopic?: string;
  /** Abbreviate configuration keys as Home Assistant allows (default false). */
  abbreviate?: boolean;
}

/** A command from Home Assistant, as {@link HomeAssistant.command} reads it. */
export interface HaCommand {
  /** The entity's object id. */
  object: string;
  /** What to set: "temperature", "mode", ... or "state" for a light or switch. */
  what: string;
  /** The payload as sent (a number as text, a mode name, "ON"/"OFF"). */
  value: string;
}

type Config = { [key: string]: unknown };

/**
 * Home Assistant's abbreviations (homeassistant/components/mqtt/abbreviations.py) for the keys
 * this module writes; keys without one, and the origin block, stay in full.
 */
const ABBREVIATIONS: { [key: string]: string } = {
  action_template: 'act_tpl', action_topic: 'act_t', availability: 'avty', command_topic: 'cmd_t', current_temperature_template: 'curr_temp_tpl',
  current_temperature_topic: 'curr_temp_t', device: 'dev', device_class: 'dev_cla', entity_category: 'ent_cat', icon: 'ic', json_attributes_topic: 'json_attr_t',
  max_temp: 'max_temp',
  min_temp: 'min_temp', mode_command_topic: 'mode_cmd_t', mode_state_template: 'mode_stat_tpl', mode_state_topic: 'mode_stat_t', modes: 'modes',
  name: 'name', payload_available: 'pl_avail', payload_not_available: 'pl_not_avail', payload_off: 'pl_off', payload_on: 'pl_on',
  state_class: 'stat_cla', state_topic: 'stat_t', state_value_template: 'stat_val_tpl', temperature_command_topic: 'temp_cmd_t', temperature_state_template: 'temp_stat_tpl', temperature_state_topic: 'temp_stat_t',
  temperature_unit: 'temp_unit', topic: 't', unique_id: 'uniq_id', unit_of_measurement: 'unit_of_meas', value_template: 'val_tpl',
  configuration_url: 'cu', identifiers: 'ids', manufacturer: 'mf', model: 'mdl', hw_version: 'hw', sw_version: 'sw', suggested_area: 'sa',
};

/** Throws unless `id` is 1..48 characters of A-Z a-z 0-9 _ - (a loop, not a regular expression: Espruino's differ). */
function checkId(what: string, id: string): void {
  let ok = typeof id === 'string' && id.length >= 1 && id.length <= 48;
  for (let i = 0; ok && i < id.length; i++) {
    const c = id.charCodeAt(i);
    ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
  }
  if (!ok) throw new Error(what + ' must be 1..48 characters of A-Z a-z 0-9 _ -, got ' + JSON.stringify(id));
}

interface Entity {
  component: string;
  object: string;
  config: Config;
}

/** A microlearn device's presence in Home Assistant. */
export class HomeAssistant {
  readonly device: HaDevice;
  readonly discoveryPrefix: string;
  readonly base: string;
  /** "online" / "offline" (the last will). */
  readonly availabilityTopic: string;
  /** One retained JSON object with every entity's value. */
  readonly stateTopic: string;
  /** Home Assistant's birth topic: "online" there means it restarted and wants discovery again. */
  readonly statusTopic: string;
  readonly abbreviate: boolean;
  private readonly entities: Entity[] = [];

  constructor(device: HaDevice, options?: HaOptions) {
    checkId('device id', device && device.id);
    if (typeof device.name !== 'string' || device.name.length === 0) throw new Error('the device needs a name');
    const o = options || {};
    this.device = device;
    this.discoveryPrefix = o.discoveryPrefix || 'homeassistant';
    this.base = o.baseTopic || 'microlearn/' + device.id;
    this.availabilityTopic = this.base + '/status';
    this.stateTopic = this.base + '/state';
    this.statusTopic = this.discoveryPrefix + '/status';
    this.abbreviate = o.abbreviate === true;
  }

  /**
   * Adds an entity of `component` ("climate", "sensor", ...) with object id
   * `object` and Home Assistant configuration keys in full; the name,
   * unique_id, device, origin and availability are filled in.
   */
  add(component: string, object: string, config: Config): this {
    checkId('object id', object);
    for (let i = 0; i < this.entities.length; i++)
      if (this.entities[i].object === object) throw new Error('object id ' + object + ' is already used on this device');
    this.entities.push({ component: component, object: object, config: config });
    return this;
  }

  /** The topic Home Assistant publishes `what` commands of entity `object` on. */
  commandTopic(object: string, what?: string): string {
    return this.base + '/' + object + (what ? '/' + what : '') + '/set';
  }

  /**
   * A thermostat: current temperature, target temperature (state and
   * command), mode (state and command), action, from the state keys
   * `temperature`, `setpoint`, `mode`, `action`.
   */
  climate(object: string, o: { name: string; modes: string[]; minTemp: number; maxTemp: number; tempStep: number; precision?: number; icon?: string }): this {
    const c: Config = {
      name: o.name,
      modes: o.modes,
      min_temp: o.minTemp,
      max_temp: o.maxTemp,
      temp_step: o.tempStep,
      temperature_unit: 'C',
      current_temperature_topic: this.stateTopic,
      current_temperature_template: '{{ value_json.temperature }}',
      temperature_state_topic: this.stateTopic,
      temperature_state_template: '{{ value_json.setpoint }}',
      temperature_command_topic: this.commandTopic(object, 'temperature'),
      mode_state_topic: this.stateTopic,
      mode_state_template: '{{ value_json.mode }}',
      mode_command_topic: this.commandTopic(object, 'mode'),
      action_topic: this.stateTopic,
      action_template: '{{ value_json.action }}',
    };
    if (o.precision !== undefined) c.precision = o.precision;
    if (o.icon) c.icon = o.icon;
    return this.add('climate', object, c);
  }

  /**
   * A measurement read from state key `key`. `attributesTopic`: a topic
   * carrying a JSON object shown as the entity's attributes (for what does
   * not fit a state, such as a learned schedule).
   */
  sensor(
    object: string,
    o: { name: string; key: string; deviceClass?: string; unit?: string; stateClass?: string; precision?: number; icon?: string; entityCategory?: string; attributesTopic?: string },
  ): this {
    const c: Config = { name: o.name, state_topic: this.stateTopic, value_template: '{{ value_json.' + o.key + ' }}' };
    if (o.deviceClass) c.device_class = o.deviceClass;
    if (o.unit) c.unit_of_measurement = o.unit;
    if (o.attributesTopic) c.json_attributes_topic = o.attributesTopic;
    c.state_class = o.stateClass || 'measurement';
    if (o.precision !== undefined) c.suggested_display_precision = o.precision;
    if (o.icon) c.icon = o.icon;
    if (o.entityCategory) c.entity_category = o.entityCategory;
    return this.add('sensor', object, c);
  }

  /** An on/off state read from state key `key` ("ON" / "OFF"). */
  binarySensor(object: string, o: { name: string; key: string; deviceClass?: string; icon?: string }): this {
    const c: Config = { name: o.name, state_topic: this.stateTopic, value_template: '{{ value_json.' + o.key + ' }}', payload_on: 'ON', payload_off: 'OFF' };
    if (o.deviceClass) c.device_class = o.deviceClass;
    if (o.icon) c.icon = o.icon;
    return this.add('binary_sensor', object, c);
  }

  /** An on/off light (the basic schema), state from key `key`, commands "ON"/"OFF" on {@link commandTopic}(object). */
  light(object: string, o: { name: string; key: string; icon?: string }): this {
    const c: Config = {
      name: o.name,
      command_topic: this.commandTopic(object),
      state_topic: this.stateTopic,
      state_value_template: '{{ value_json.' + o.key + ' }}',
      payload_on: 'ON',
      payload_off: 'OFF',
    };
    if (o.icon) c.icon = o.icon;
    return this.add('light', object, c);
  }

  /** An on/off switch, state from key `key`, commands "ON"/"OFF" on {@link commandTopic}(object). */
  switch(object: string, o: { name: string; key: string; deviceClass?: string; icon?: string }): this {
    const c: Config = { name: o.name, command_topic: this.commandTopic(object), state_topic: this.stateTopic, value_template: '{{ value_json.' + o.key + ' }}', payload_on: 'ON', payload_off: 'OFF' };
    if (o.deviceClass) c.device_class = o.deviceClass;
    if (o.icon) c.icon = o.icon;
    return this.add('switch', object, c);
  }

  /** The discovery topic of an entity. */
  configTopic(component: string, object: string): string {
    return this.discoveryPrefix + '/' + component + '/' + this.device.id + '/' + object + '/config';
  }

  /** The retained discovery messages, one per entity: publish them on every (re)connection and when Home Assistant says "online". */
  discovery(): HaMessage[] {
    const out: HaMessage[] = [];
    for (let i = 0; i < this.entities.length; i++) {
      const e = this.entities[i];
      const c: Config = {};
      for (const k in e.config) c[k] = e.config[k];
      c.unique_id = this.device.id + '_' + e.object;
      c.availability = [{ topic: this.availabilityTopic, payload_available: 'online', payload_not_available: 'offline' }];
      c.device = this.deviceBlock();
      c.origin = { name: 'microlearn', sw_version: this.device.swVersion || '', support_url: 'https://github.com/microlearn/microlearn' };
      out.push({ topic: this.configTopic(e.component, e.object), payload: JSON.stringify(this.abbreviate ? abbreviated(c, this.base) : c), retain: true });
    }
    return out;
  }

  /** Empty retained configs: Home Assistant removes the entities. */
  removal(): HaMessage[] {
    const out: HaMessage[] = [];
    for (let i = 0; i < this.entities.length; i++) out.push({ topic: this.configTopic(this.entities[i].component, this.entities[i].object), payload: '', retain: true });
    return out;
  }

  /** The last will to register when connecting: "offline", retained. */
  will(): HaMessage {
    return { topic: this.availabilityTopic, payload: 'offline', retain: true };
  }

  /** The birth message to publish once connected: "online", retained. */
  online(): HaMessage {
    return { topic: this.availabilityTopic, payload: 'online', retain: true };
  }

  /** The state message for `values` (numbers, strings; booleans become "ON"/"OFF"), retained. */
  stateMessage(values: { [key: string]: number | string | boolean }): HaMessage {
    const v: { [key: string]: number | string } = {};
    for (const k in values) {
      const x = values[k];
      v[k] = x === true ? 'ON' : x === false ? 'OFF' : x;
    }
    return { topic: this.stateTopic, payload: JSON.stringify(v), retain: true };
  }

  /** Topics to subscribe to: every entity's command topics and Home Assistant's status. */
  subscriptions(): string[] {
    return [this.base + '/+/+/set', this.base + '/+/set', this.statusTopic];
  }

  /** The command a message on one of {@link subscriptions} carries, or null (including Home Assistant's status). */
  command(topic: string, payload: string): HaCommand | null {
    const prefix = this.base + '/';
    if (topic.indexOf(prefix) !== 0 || topic.slice(-4) !== '/set') return null;
    const parts = topic.slice(prefix.length, -4).split('/');
    if (parts.length < 1 || parts.length > 2) return null;
    for (let i = 0; i < this.entities.length; i++) {
      if (this.entities[i].object === parts[0]) return { object: parts[0], what: parts.length === 2 ? parts[1] : 'state', value: payload };
    }
    return null;
  }

  private deviceBlock(): Config {
    const d = this.device;
    const b: Config = { identifiers: ['microlearn_' + d.id], name: d.name, manufacturer: d.manufacturer || 'microlearn' };
    if (d.model) b.model = d.model;
    if (d.swVersion) b.sw_version = d.swVersion;
    if (d.hwVersion) b.hw_version = d.hwVersion;
    if (d.suggestedArea) b.suggested_area = d.suggestedArea;
    if (d.configurationUrl) b.configuration_url = d.configurationUrl;
    return b;
  }
}

/**
 * `c` with Home Assistant's abbreviated keys, nested blocks included (not
 * the origin); with `base`, "~" stands for the base topic at the start of
 * the top-level `*_topic` values (every Home Assistant version expands those).
 */
function abbreviated(c: Config, base?: string): Config {
  const out: Config = {};
  if (base) out['~'] = base;
  for (const k in c) {
    let v = c[k];
    if (k === 'origin') {
      out[k] = v;
      continue;
    }
    if (base && typeof v === 'string' && k.slice(-6) === '_topic' && v.indexOf(base + '/') === 0) v = '~' + v.slice(base.length);
    if (v && typeof v === 'object' && !(v instanceof Array)) v = abbreviated(v as Config);
    else if (v instanceof Array) v = v.map((x) => (x && typeof x === 'object' ? abbreviated(x as Config) : x));
    out[ABBREVIATIONS[k] || k] = v;
  }
  return out;
}

/** Home Assistant's abbreviations the module uses, full name → short (for tools and tests that expand them). */
export function abbreviations(): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const k in ABBREVIATIONS) out[k] = ABBREVIATIONS[k];
  return out;
}
