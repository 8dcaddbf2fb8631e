/**
 * Home Assistant's documented MQTT discovery fields, per entity type, for
 * checking discovery payloads in tests (the thermostat, the vibration
 * monitor, fleet members). Home Assistant ignores unknown keys silently, so
 * a misspelt key would only show as a missing feature: this check refuses
 * them. Sources: https://www.home-assistant.io/integrations/mqtt/ (discovery,
 * abbreviations, device and origin blocks) and the platform pages
 * climate.mqtt, sensor.mqtt, binary_sensor.mqtt, light.mqtt (default
 * schema), switch.mqtt, button.mqtt; abbreviations as in Home Assistant's
 * homeassistant/components/mqtt/abbreviations.py.
 *
 *   const problems = checkDiscovery('climate', JSON.parse(payload));   // [] when fine
 */

type Kind = 'string' | 'template' | 'topic' | 'command_topic' | 'number' | 'integer' | 'boolean' | 'list' | 'map' | 'any';

/** Fields every MQTT entity takes. */
const COMMON: { [k: string]: Kind } = {
  availability: 'list', availability_mode: 'string', availability_template: 'template', availability_topic: 'topic', device: 'map',
  enabled_by_default: 'boolean', encoding: 'string', entity_category: 'string', entity_picture: 'string', icon: 'string',
  json_attributes_template: 'template', json_attributes_topic: 'topic', name: 'any', object_id: 'string', default_entity_id: 'string',
  origin: 'map', payload_available: 'string', payload_not_available: 'string', platform: 'string', qos: 'integer', unique_id: 'string',
};

const PLATFORM: { [component: string]: { fields: { [k: string]: Kind }; required: string[] } } = {
  climate: {
    required: [],
    fields: {
      action_template: 'template', action_topic: 'topic', current_humidity_template: 'template', current_humidity_topic: 'topic',
      current_temperature_template: 'template', current_temperature_topic: 'topic', fan_mode_command_template: 'template',
      fan_mode_command_topic: 'command_topic', fan_mode_state_template: 'template', fan_mode_state_topic: 'topic', fan_modes: 'list', initial: 'number',
      max_humidity: 'number', max_temp: 'number', min_humidity: 'number', min_temp: 'number', mode_command_template: 'template',
      mode_command_topic: 'command_topic', mode_state_template: 'template', mode_state_topic: 'topic', modes: 'list', optimistic: 'boolean',
      payload_off: 'string', payload_on: 'string', power_command_template: 'template', power_command_topic: 'command_topic', precision: 'number',
      preset_mode_command_template: 'template', preset_mode_command_topic: 'command_topic', preset_mode_state_topic: 'topic',
      preset_mode_value_template: 'template', preset_modes: 'list', retain: 'boolean', swing_mode_command_template: 'template',
      swing_mode_command_topic: 'command_topic', swing_mode_state_template: 'template', swing_mode_state_topic: 'topic', swing_modes: 'list',
      target_humidity_command_template: 'template', target_humidity_command_topic: 'command_topic', target_humidity_state_template: 'template',
      target_humidity_state_topic: 'topic', temperature_command_template: 'template', temperature_command_topic: 'command_topic',
      temperature_high_command_template: 'template', temperature_high_command_topic: 'command_topic', temperature_high_state_template: 'template',
      temperature_high_state_topic: 'topic', temperature_low_command_template: 'template', temperature_low_command_topic: 'command_topic',
      temperature_low_state_template: 'template', temperature_low_state_topic: 'topic', temperature_state_template: 'template',
      temperature_state_topic: 'topic', temperature_unit: 'string', temp_step: 'number', value_template: 'template',
    },
  },
  sensor: {
    required: ['state_topic'],
    fields: {
      device_class: 'string', expire_after: 'integer', force_update: 'boolean', last_reset_value_template: 'template', options: 'list',
      state_class: 'string', state_topic: 'topic', suggested_display_precision: 'integer', unit_of_measurement: 'string', value_template: 'template',
    },
  },
  binary_sensor: {
    required: ['state_topic'],
    fields: {
      device_class: 'string', expire_after: 'integer', force_update: 'boolean', off_delay: 'integer', payload_off: 'string', payload_on: 'string',
      state_topic: 'topic', value_template: 'template',
    },
  },
  light: {
    required: ['command_topic'],
    fields: {
      brightness_command_template: 'template', brightness_command_topic: 'command_topic', brightness_scale: 'integer', brightness_state_topic: 'topic',
      brightness_value_template: 'template', color_mode_state_topic: 'topic', color_mode_value_template: 'template', command_topic: 'command_topic',
      effect_command_template: 'template', effect_command_topic: 'command_topic', effect_list: 'list', effect_state_topic: 'topic',
      effect_value_template: 'template', on_command_type: 'string', optimistic: 'boolean', payload_off: 'string', payload_on: 'string',
      retain: 'boolean', schema: 'string', state_topic: 'topic', state_value_template: 'template', supported_color_modes: 'list',
    },
  },
  button: {
    required: ['command_topic'],
    fields: { command_template: 'template', command_topic: 'command_topic', device_class: 'string', payload_press: 'string', retain: 'boolean' },
  },
  switch: {
    required: [],
    fields: {
      command_template: 'template', command_topic: 'command_topic', device_class: 'string', optimistic: 'boolean', payload_off: 'string',
      payload_on: 'string', retain: 'boolean', state_off: 'string', state_on: 'string', state_topic: 'topic', value_template: 'template',
    },
  },
};

const DEVICE: { [k: string]: Kind } = {
  configuration_url: 'string', connections: 'list', hw_version: 'string', identifiers: 'any', manufacturer: 'string', model: 'string',
  model_id: 'string', name: 'string', serial_number: 'string', suggested_area: 'string', sw_version: 'string', via_device: 'string',
};
const ORIGIN: { [k: string]: Kind } = { name: 'string', sw_version: 'string', support_url: 'string' };
const AVAILABILITY: { [k: string]: Kind } = { topic: 'topic', payload_available: 'string', payload_not_available: 'string', value_template: 'template' };

/** Enumerations the documentation gives. */
const ENUMS: { [k: string]: string[] } = {
  'climate.modes': ['auto', 'off', 'cool', 'heat', 'dry', 'fan_only', 'heat_cool'],
  'climate.temperature_unit': ['C', 'F'],
  'sensor.state_class': ['measurement', 'measurement_angle', 'total', 'total_increasing'],
  'sensor.device_class': [
    'apparent_power', 'aqi', 'area', 'atmospheric_pressure', 'battery', 'blood_glucose_concentration', 'carbon_dioxide', 'carbon_monoxide', 'current',
    'data_rate', 'data_size', 'date', 'distance', 'duration', 'energy', 'energy_distance', 'energy_storage', 'enum', 'frequency', 'gas', 'humidity',
    'illuminance', 'irradiance', 'moisture', 'monetary', 'nitrogen_dioxide', 'nitrogen_monoxide', 'nitrous_oxide', 'ozone', 'ph', 'pm1', 'pm25', 'pm10',
    'power', 'power_factor', 'precipitation', 'precipitation_intensity', 'pressure', 'reactive_power', 'signal_strength', 'sound_pressure', 'speed',
    'sulphur_dioxide', 'temperature', 'timestamp', 'volatile_organic_compounds', 'volatile_organic_compounds_parts', 'voltage', 'volume',
    'volume_flow_rate', 'volume_storage', 'water', 'weight', 'wind_direction', 'wind_speed',
  ],
  'binary_sensor.device_class': [
    'battery', 'battery_charging', 'carbon_monoxide', 'cold', 'connectivity', 'door', 'garage_door', 'gas', 'heat', 'light', 'lock', 'moisture',
    'motion', 'moving', 'occupancy', 'opening', 'plug', 'power', 'presence', 'problem', 'running', 'safety', 'smoke', 'sound', 'tamper', 'update',
    'vibration', 'window',
  ],
  'switch.device_class': ['outlet', 'switch'],
  'button.device_class': ['identify', 'restart', 'update'],
  'light.schema': ['basic', 'default', 'json', 'template'],
  '*.entity_category': ['config', 'diagnostic'],
  '*.availability_mode': ['all', 'any', 'latest'],
};

/** The unit each device class documents (the first is Home Assistant's native unit). */
const UNITS: { [deviceClass: string]: string[] } = { temperature: ['°C', '°F', 'K'], humidity: ['%'], illuminance: ['lx'], carbon_dioxide: ['ppm'] };

/** Home Assistant's documented abbreviations (short → full) for the keys above. */
export const HA_ABBREVIATIONS: { [short: string]: string } = {
  act_t: 'action_topic', act_tpl: 'action_template', avty: 'availability', avty_mode: 'availability_mode', avty_t: 'availability_topic',
  avty_tpl: 'availability_template', cmd_t: 'command_topic', cmd_tpl: 'command_template', curr_temp_t: 'current_temperature_topic',
  curr_temp_tpl: 'current_temperature_template', dev: 'device', dev_cla: 'device_class', e: 'encoding', en: 'enabled_by_default',
  ent_cat: 'entity_category', exp_aft: 'expire_after', frc_upd: 'force_update', ic: 'icon', init: 'initial', json_attr_t: 'json_attributes_topic',
  json_attr_tpl: 'json_attributes_template', max_temp: 'max_temp', min_temp: 'min_temp', mode_cmd_t: 'mode_command_topic',
  mode_cmd_tpl: 'mode_command_template', mode_stat_t: 'mode_state_topic', mode_stat_tpl: 'mode_state_template', modes: 'modes', name: 'name',
  obj_id: 'object_id', off_dly: 'off_delay', opt: 'optimistic', pl_avail: 'payload_available', pl_not_avail: 'payload_not_available',
  pl_off: 'payload_off', pl_on: 'payload_on', ret: 'retain', stat_cla: 'state_class', stat_off: 'state_off', stat_on: 'state_on',
  stat_t: 'state_topic', stat_tpl: 'state_template', stat_val_tpl: 'state_value_template', t: 'topic', temp_cmd_t: 'temperature_command_topic',
  temp_cmd_tpl: 'temperature_command_template', temp_stat_t: 'temperature_state_topic', temp_stat_tpl: 'temperature_state_template',
  temp_unit: 'temperature_unit', uniq_id: 'unique_id', unit_of_meas: 'unit_of_measurement', val_tpl: 'value_template',
};
/** Device-block abbreviations. */
export const HA_DEVICE_ABBREVIATIONS: { [short: string]: string } = {
  cns: 'connections', cu: 'configuration_url', ids: 'identifiers', name: 'name', mf: 'manufacturer', mdl: 'model', hw: 'hw_version',
  sw: 'sw_version', sa: 'suggested_area',
};

function expand(o: { [k: string]: unknown }, table: { [short: string]: string }): { [k: string]: unknown } {
  const out: { [k: string]: unknown } = {};
  for (const k of Object.keys(o)) out[table[k] || k] = o[k];
  return out;
}

function checkValue(where: string, kind: Kind, v: unknown, problems: string[]): void {
  const bad = (what: string) => problems.push(where + ': ' + what + ', got ' + JSON.stringify(v));
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') bad('expected a string');
      break;
    case 'template':
      if (typeof v !== 'string' || v.indexOf('{{') < 0 || v.indexOf('}}') < 0) bad('expected a template');
      break;
    case 'topic':
    case 'command_topic':
      if (typeof v !== 'string' || v.length === 0 || v.length > 65535) bad('expected a topic');
      else if (kind === 'command_topic' && (v.indexOf('+') >= 0 || v.indexOf('#') >= 0)) bad('a command topic cannot hold wildcards');
      break;
    case 'number':
      if (typeof v !== 'number' || v !== v) bad('expected a number');
      break;
    case 'integer':
      if (typeof v !== 'number' || Math.floor(v) !== v) bad('expected an integer');
      break;
    case 'boolean':
      if (typeof v !== 'boolean') bad('expected true or false');
      break;
    case 'list':
      if (!Array.isArray(v)) bad('expected a list');
      break;
    case 'map':
      if (v === null || typeof v !== 'object' || Array.isArray(v)) bad('expected a map');
      break;
  }
}

/**
 * What is wrong with a discovery payload for `component` (abbreviated keys
 * are expanded first): unknown keys, missing required ones, wrong types,
 * values outside documented enumerations, a device block without
 * identifiers or connections, an origin without a name. [] when fine.
 */
export function checkDiscovery(component: string, payload: { [k: string]: unknown }): string[] {
  return checkExpanded(component, payload).problems;
}

/** The payload with abbreviations and "~" expanded, and what is wrong with it. */
export function checkExpanded(component: string, payload: { [k: string]: unknown }): { config: { [k: string]: unknown }; problems: string[] } {
  const p = PLATFORM[component];
  if (!p) return { config: payload, problems: ['unknown component ' + component] };
  const problems: string[] = [];
  const c = expand(payload, HA_ABBREVIATIONS);
  // "~" is the base topic, expanded at the start or end of top-level keys ending in "_topic"
  if (c['~'] !== undefined) {
    const base = c['~'];
    delete c['~'];
    if (typeof base !== 'string' || base.length === 0) problems.push('~ must be a topic');
    else
      for (const k of Object.keys(c)) {
        const v = c[k];
        if (typeof v !== 'string' || k.slice(-6) !== '_topic') continue;
        if (v.charAt(0) === '~') c[k] = base + v.slice(1);
        else if (v.charAt(v.length - 1) === '~') c[k] = v.slice(0, -1) + base;
      }
  }
  for (const k of Object.keys(c)) {
    const kind = p.fields[k] || COMMON[k];
    if (!kind) {
      problems.push(component + ': ' + k + ' is not a documented field');
      continue;
    }
    checkValue(component + '.' + k, kind, c[k], problems);
    const e = ENUMS[component + '.' + k] || ENUMS['*.' + k];
    if (e) {
      const values = Array.isArray(c[k]) ? (c[k] as unknown[]) : [c[k]];
      for (const v of values) if (e.indexOf(v as string) < 0) problems.push(component + '.' + k + ': ' + JSON.stringify(v) + ' is not one of ' + e.join(', '));
    }
  }
  for (const r of p.required) if (c[r] === undefined) problems.push(component + ': required field ' + r + ' is missing');
  if (component === 'climate' && c.precision !== undefined && [0.1, 0.5, 1].indexOf(c.precision as number) < 0) problems.push('climate.precision must be 0.1, 0.5 or 1.0');
  if (c.availability !== undefined && Array.isArray(c.availability)) {
    if (c.availability_topic !== undefined) problems.push('availability and availability_topic cannot be used together');
    for (const a of c.availability as { [k: string]: unknown }[]) {
      const x = expand(a, HA_ABBREVIATIONS);
      if (typeof x.topic !== 'string') problems.push('availability entry without a topic');
      for (const k of Object.keys(x)) {
        if (!AVAILABILITY[k]) problems.push('availability: ' + k + ' is not a documented field');
        else checkValue('availability.' + k, AVAILABILITY[k], x[k], problems);
      }
    }
  }
  if (c.device !== undefined) {
    const d = expand(c.device as { [k: string]: unknown }, HA_DEVICE_ABBREVIATIONS);
    if (d.identifiers === undefined && d.connections === undefined) problems.push('device: needs identifiers or connections');
    if (c.unique_id === undefined) problems.push('device: only works with a unique_id');
    for (const k of Object.keys(d)) {
      if (!DEVICE[k]) problems.push('device: ' + k + ' is not a documented field');
      else checkValue('device.' + k, DEVICE[k], d[k], problems);
    }
  }
  if (c.origin !== undefined) {
    const o = c.origin as { [k: string]: unknown };
    if (typeof o.name !== 'string') problems.push('origin: name is required');
    for (const k of Object.keys(o)) {
      if (!ORIGIN[k]) problems.push('origin: ' + k + ' is not a documented field');
      else checkValue('origin.' + k, ORIGIN[k], o[k], problems);
    }
  }
  const units = typeof c.device_class === 'string' ? UNITS[c.device_class] : undefined;
  if (units && c.unit_of_measurement !== undefined && units.indexOf(c.unit_of_measurement as string) < 0)
    problems.push(component + ': unit ' + JSON.stringify(c.unit_of_measurement) + ' does not fit device class ' + c.device_class + ' (' + units.join(', ') + ')');
  return { config: c, problems: problems };
}

/** Values Home Assistant accepts as a climate's action (the hvac_action). */
export const HA_CLIMATE_ACTIONS = ['off', 'preheating', 'heating', 'cooling', 'drying', 'idle', 'fan', 'defrosting'];
