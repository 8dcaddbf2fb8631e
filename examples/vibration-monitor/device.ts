/**
 * The vibration monitor as a Home Assistant device over MQTT, through the
 * shared integration module (integrations/homeassistant.ts, mqtt.ts): the
 * same file on Node, Moddable and Espruino; only the MQTT connector and the
 * sensor driver differ per runtime.
 *
 * Entities (one device): a `binary_sensor` "Vibration problem" (device class
 * `problem`: ON = anomaly), a `sensor` "Vibration similarity" (0–100 %), a
 * diagnostic `sensor` with the mode (learning / monitoring), and two
 * buttons: "Relearn normal" and "Finish learning". Availability is the
 * status topic, "online" on connect and every heartbeat, "offline" as the
 * last will.
 *
 * It sends only state: the state message when the alarm changes, at the
 * similarity interval and on a mode change; nothing else. `bytes` counts
 * every MQTT PUBLISH packet it sends, exactly as encoded on the wire.
 */
import { HaMessage, HomeAssistant } from '../../integrations/homeassistant.js';
import { MqttLink } from '../../integrations/mqtt.js';
import { publishPacket } from '../../integrations/mqtt-packets.js';
import { Mode, MonitorEvents, MonitorSettings, VibrationMonitor } from './monitor.js';
import { ModelStore } from '../../src/storage.js';

/** Adds the monitor's entities to `ha`. */
export function monitorEntities(ha: HomeAssistant): HomeAssistant {
  return ha
    .binarySensor('problem', { name: 'Vibration problem', key: 'problem', deviceClass: 'problem' })
    .sensor('similarity', { name: 'Vibration similarity', key: 'similarity', unit: '%', precision: 0, icon: 'mdi:sine-wave' })
    .add('sensor', 'mode', { name: 'Monitor mode', state_topic: ha.stateTopic, value_template: '{{ value_json.mode }}', icon: 'mdi:school', entity_category: 'diagnostic' })
    .add('button', 'relearn', { name: 'Relearn normal', command_topic: ha.commandTopic('relearn'), payload_press: 'PRESS', entity_category: 'config' })
    .add('button', 'finish', { name: 'Finish learning', command_topic: ha.commandTopic('finish'), payload_press: 'PRESS', entity_category: 'config' });
}

/** Where messages go: an MQTT link, or (benchmarks, tests without a broker) any function. */
export type Sender = (m: HaMessage) => boolean;

/** The monitor, its Home Assistant presence and the link. */
export class MonitorDevice implements MonitorEvents {
  readonly ha: HomeAssistant;
  readonly vm: VibrationMonitor;
  /** Bytes of MQTT PUBLISH packets sent. */
  bytes: number;
  /** PUBLISH packets sent. */
  messages: number;
  /** A line for people (state changes, commands). */
  log: (s: string) => void;
  private readonly send: Sender;
  private lastSimilarity: number;
  private lastPress: number;

  /**
   * @param send where to publish (e.g. `(m) => link.publish(m)`); see {@link attach} for a link
   */
  constructor(ha: HomeAssistant, settings: MonitorSettings, store: ModelStore | null, send: Sender) {
    this.ha = monitorEntities(ha);
    this.send = send;
    this.bytes = 0;
    this.messages = 0;
    this.lastSimilarity = 100;
    this.lastPress = -Infinity;
    this.log = function () {};
    this.vm = new VibrationMonitor(settings, store, this);
  }

  /** Wires an MqttLink: announce on every (re)connection, commands in. */
  attach(link: MqttLink): void {
    const self = this;
    link.onOnline = function () {
      self.announce();
      const subs = self.ha.subscriptions();
      for (let i = 0; i < subs.length; i++) link.subscribe(subs[i]);
    };
    link.onMessage = function (topic: string, payload: string) {
      self.message(topic, payload);
    };
  }

  private publish(m: HaMessage): void {
    if (!this.send(m)) return; // offline: the state is sent again on reconnection
    this.messages++;
    this.bytes += publishPacket(m.topic, m.payload, m.retain).length;
  }

  /** Discovery, birth and the current state (on every connection; Home Assistant restarted). */
  announce(): void {
    const d = this.ha.discovery();
    for (let i = 0; i < d.length; i++) this.publish(d[i]);
    this.publish(this.ha.online());
    this.publishState();
  }

  /** The state message: problem, similarity, mode. */
  stateValues(): { [k: string]: number | string | boolean } {
    return { problem: this.vm.anomaly, similarity: this.lastSimilarity, mode: this.vm.mode };
  }

  private publishState(): void {
    this.publish(this.ha.stateMessage(this.stateValues()));
  }

  /** A message on a subscribed topic: the buttons, or Home Assistant coming back online. */
  message(topic: string, payload: string): void {
    if (topic === this.ha.statusTopic) {
      if (payload === 'online') this.announce();
      return;
    }
    const c = this.ha.command(topic, payload);
    if (c === null) return;
    if (c.object === 'relearn') {
      this.log('command: relearn');
      this.vm.relearn();
    } else if (c.object === 'finish') {
      this.log(this.vm.finishLearning() ? 'command: learning finished' : 'command: finish learning refused (' + (this.vm.mode === 'learning' ? 'too little learned yet' : 'not learning') + ')');
    }
  }

  /**
   * The board's button: while learning, ends the learning phase; while
   * monitoring, starts a new one. Presses within 0.25 s of the last one are
   * contact bounce (else one press would finish learning and relearn at once).
   */
  button(): void {
    if (this.vm.samples - this.lastPress < this.vm.settings.rate / 4) return;
    this.lastPress = this.vm.samples;
    if (this.vm.mode === 'learning') this.log(this.vm.finishLearning() ? 'button: learning finished' : 'button: too little learned yet');
    else {
      this.log('button: relearn');
      this.vm.relearn();
    }
  }

  // ---- MonitorEvents ----

  mode(mode: Mode, seconds: number): void {
    this.log(seconds.toFixed(1) + ' s: ' + mode);
    if (mode === 'learning') this.lastSimilarity = 100;
    this.publishState();
  }

  state(anomaly: boolean, similarity: number, seconds: number): void {
    this.lastSimilarity = similarity;
    this.log(seconds.toFixed(1) + ' s: ' + (anomaly ? 'ANOMALY' : 'OK') + ' (similarity ' + similarity + ')');
    this.publishState();
  }

  similarity(similarity: number, seconds: number): void {
    this.lastSimilarity = similarity;
    this.publishState();
  }

  heartbeat(seconds: number): void {
    this.publish(this.ha.online());
  }
}
