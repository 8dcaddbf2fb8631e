/**
 * What the apps' MQTT tests share: an MQTT.js client that records what the
 * broker delivers, and an app's host program run as a user runs it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import mqtt from 'mqtt';

export interface Msg {
  topic: string;
  payload: string;
  retain: boolean;
}

/** An MQTT.js client that records everything it receives. */
export class Observer {
  readonly client: mqtt.MqttClient;
  readonly messages: Msg[] = [];
  constructor(url: string, opts: mqtt.IClientOptions = {}) {
    this.client = mqtt.connect(url, Object.assign({ reconnectPeriod: 0, clientId: 'observer-' + Math.floor(Math.random() * 1e9) }, opts));
    this.client.on('message', (topic, payload, packet) => this.messages.push({ topic, payload: payload.toString(), retain: packet.retain }));
  }
  ready(topics: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.once('error', reject);
      this.client.once('connect', () => this.client.subscribe(topics, { qos: 0 }, (e) => (e ? reject(e) : resolve())));
    });
  }
  last(topic: string): Msg | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i].topic === topic) return this.messages[i];
    return undefined;
  }
  publish(topic: string, payload: string): void {
    this.client.publish(topic, payload);
  }
  end(): Promise<void> {
    return new Promise((resolve) => this.client.end(true, {}, () => resolve()));
  }
}

/** An app's host program (`node build/examples/<app>/main.js ARGS`, what its npm script starts after the build). */
export class AppProcess {
  readonly child: ChildProcess;
  out = '';
  err = '';
  exited = false;
  code: number | null = null;
  constructor(main: string, args: string[]) {
    this.child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d) => (this.out += d));
    this.child.stderr!.on('data', (d) => (this.err += d));
    this.child.on('exit', (c) => {
      this.exited = true;
      this.code = c;
    });
  }
  kill(signal: NodeJS.Signals): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
  text(): string {
    return 'stdout:\n' + this.out.slice(-3000) + '\nstderr:\n' + this.err.slice(-3000);
  }
}
