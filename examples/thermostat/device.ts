/**
 * The thermostat as a device: the learning logic (thermostat.ts), a thin
 * hardware layer (sensors in, relay and light out) and, when there is a
 * network, Home Assistant over MQTT. The same file runs on Node (the host
 * simulation), on Moddable and on Espruino; only the hardware object and
 * the MQTT connector differ per runtime.
 *
 * In Home Assistant the device shows as one device with a climate entity
 * (modes auto / heat / off), temperature, humidity and light sensors, an
 * occupancy binary sensor, the light, and a "learned" sensor whose
 * attributes are the JSON summary (schedule and occupancy by weekday and
 * hour, heating rate). Commands from Home Assistant are learning events
 * exactly like the dial and the switch.
 */
import { Readings, Thermostat } from './thermostat.js';
import { AWAY } from './presence.js';
import { HomeAssistant } from '../../integrations/homeassistant.js';
import { MqttLink } from '../../integrations/mqtt.js';

/** What the device needs from the board. */
export interface Hardware {
  /** Fills `r` with this minute's readings (motion: triggers since the last call). */
  read(r: Readings): void;
  /** Drives the heater relay and the light. */
  drive(heater: boolean, light: boolean): void;
}

/** Adds the thermostat's entities to `ha`. */
export function thermostatEntities(ha: HomeAssistant): HomeAssistant {
  return ha
    .climate('thermostat', { name: 'Thermostat', modes: ['auto', 'heat', 'off'], minTemp: 5, maxTemp: 30, tempStep: 0.5, precision: 0.1 })
    .sensor('temperature', { name: 'Temperature', key: 'temperature', deviceClass: 'temperature', unit: '°C', precision: 1 })
    .sensor('humidity', { name: 'Humidity', key: 'humidity', deviceClass: 'humidity', unit: '%', precision: 0 })
    .sensor('illuminance', { name: 'Illuminance', key: 'lux', deviceClass: 'illuminance', unit: 'lx', precision: 0 })
    .binarySensor('occupancy', { name: 'Occupancy', key: 'occupied', deviceClass: 'occupancy' })
    .light('light', { name: 'Light', key: 'light' })
    .sensor('learned', { name: 'Learned heating rate', key: 'heatingRate', unit: 'K/h', precision: 2, icon: 'mdi:school', entityCategory: 'diagnostic', attributesTopic: ha.base + '/summary' });
}

const STATE_EVERY = 5; // minutes between state messages when nothing changed
const SUMMARY_EVERY = 60;

function round1(v: number): number {
  return Math.floor(v * 10 + 0.5) / 10;
}

export class ThermostatDevice {
  readonly t: Thermostat;
  readonly hw: Hardware;
  readonly ha: HomeAssistant | null;
  readonly link: MqttLink | null;
  /** Called with a line for people (commands refused, ...). */
  log: (s: string) => void = function () {};
  private readonly r: Readings = { temperature: NaN, humidity: NaN, lux: 0, motion: 0, co2: -1, outdoor: NaN };
  private minute = 0;
  private lastState = '';
  private lastStateMinute = -1e9;
  private lastSummaryMinute = -1e9;

  constructor(t: Thermostat, hw: Hardware, ha?: HomeAssistant, link?: MqttLink) {
    this.t = t;
    this.hw = hw;
    this.ha = ha || null;
    this.link = link || null;
    if (this.ha !== null && this.link !== null) {
      const self = this;
      const ha2 = this.ha;
      const link2 = this.link;
      link2.onOnline = function () {
        // subscribe first (a command may follow the discovery at once), then discovery, birth and
        // state again on every connection: the broker may have restarted
        const subs = ha2.subscriptions();
        for (let i = 0; i < subs.length; i++) link2.subscribe(subs[i]);
        self.announce();
      };
      link2.onMessage = function (topic: string, payload: string) {
        self.message(topic, payload);
      };
    }
  }

  /** One minute: read, learn and decide, drive, report. */
  step(minute: number, minuteOfWeek: number): void {
    this.minute = minute;
    this.hw.read(this.r);
    this.t.tick(minute, minuteOfWeek, this.r);
    this.r.motion = 0;
    this.hw.drive(this.t.heater, this.t.light);
    this.report(false);
  }

  /** The dial (or a button) on the device. */
  dial(target: number): void {
    this.t.dial(target);
    this.hw.drive(this.t.heater, this.t.light);
    this.report(true);
  }

  /** The light switch on the wall. */
  lightSwitch(on: boolean): void {
    this.t.lightSwitch(on);
    this.hw.drive(this.t.heater, this.t.light);
    this.report(true);
  }

  /** What the state topic carries. */
  state(): { [key: string]: number | string | boolean } {
    const t = this.t;
    return {
      temperature: round1(t.temperature),
      humidity: Math.floor(t.humidity + 0.5),
      lux: Math.floor(t.lux + 0.5),
      setpoint: t.setpoint,
      mode: t.mode,
      action: t.action,
      occupied: t.presence.state !== AWAY,
      light: t.light,
      heatingRate: Math.floor(t.thermal.rate(true, 20, t.outdoor) * 100 + 0.5) / 100,
    };
  }

  /** Handles a message from the broker: a command from Home Assistant, or its status. */
  message(topic: string, payload: string): void {
    const ha = this.ha;
    if (ha === null) return;
    if (topic === ha.statusTopic) {
      if (payload === 'online') this.announce();
      return;
    }
    const c = ha.command(topic, payload);
    if (c === null) return;
    try {
      if (c.object === 'thermostat' && c.what === 'temperature') {
        const v = Number(payload);
        if (payload === '' || v !== v) throw new Error('not a number: ' + JSON.stringify(payload));
        this.t.dial(v);
      } else if (c.object === 'thermostat' && c.what === 'mode') this.t.setMode(payload);
      else if (c.object === 'light' && c.what === 'state') {
        if (payload !== 'ON' && payload !== 'OFF') throw new Error('expected ON or OFF, got ' + JSON.stringify(payload));
        this.t.lightSwitch(payload === 'ON');
      } else return;
    } catch (e) {
      this.log('command on ' + topic + ' refused: ' + String(e && (e as Error).message ? (e as Error).message : e));
    }
    this.hw.drive(this.t.heater, this.t.light);
    this.report(true);
  }

  /** Publishes discovery, "online", the state and the summary. */
  announce(): void {
    const ha = this.ha;
    const link = this.link;
    if (ha === null || link === null) return;
    const d = ha.discovery();
    for (let i = 0; i < d.length; i++) link.publish(d[i]);
    link.publish(ha.online());
    this.lastState = '';
    this.lastSummaryMinute = -1e9;
    this.report(true);
  }

  /** State when it changed (or every 5 minutes), the summary every hour. */
  private report(now: boolean): void {
    const ha = this.ha;
    const link = this.link;
    if (ha === null || link === null || link.status !== 'online') return;
    const m = ha.stateMessage(this.state());
    if (now || m.payload !== this.lastState || this.minute - this.lastStateMinute >= STATE_EVERY) {
      if (link.publish(m)) {
        this.lastState = m.payload;
        this.lastStateMinute = this.minute;
      }
    }
    if (this.minute - this.lastSummaryMinute >= SUMMARY_EVERY) {
      if (link.publish({ topic: ha.base + '/summary', payload: JSON.stringify(this.t.summary()), retain: true })) this.lastSummaryMinute = this.minute;
    }
  }
}
