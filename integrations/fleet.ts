/**
 * Fleet learning over MQTT: devices publish what they learned (the model
 * blob, never the data), a coordinator merges the members' models with
 * `merge` (src/merge.ts) and publishes the global model, every device adopts
 * it and goes on learning. Transport-free: both ends take a `send` function
 * and are fed the messages of their subscriptions, so the same code runs
 * behind MqttLink (integrations/mqtt.ts) on a host or a device, and in tests.
 *
 * Topics (docs/fleet.md):
 *   microlearn/<fleet>/<device>/model   device → coordinator, retained
 *   microlearn/<fleet>/<device>/status  coordinator → device, retained
 *   microlearn/<fleet>/global           coordinator → devices, retained
 *
 * Payloads are JSON text (MQTT links here carry strings) with the blob in
 * base64. String operations only, no regular expression: Espruino's differ.
 */
import { MicrolearnError, fail } from '../src/errors.js';
import type { Model, ModelClass } from '../src/learner.js';
import { loadModel } from '../src/load.js';
import { ModelType } from '../src/format.js';
import { merge, mergesStatistics } from '../src/merge.js';

/** One MQTT message to publish (the shape `MqttLink.publish` takes). */
export interface FleetMessage {
  topic: string;
  payload: string;
  retain: boolean;
}
export type FleetSend = (m: FleetMessage) => void;

/** Timers of the runtime (as `MqttTimers`). */
export interface FleetTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// ---- names, topics, base64 ---------------------------------------------------

/** Throws E_OPTION unless `name` can be one MQTT topic level: 1..64 characters, none of / + # or control characters. */
export function checkName(what: string, name: string): void {
  if (typeof name !== 'string' || name.length < 1 || name.length > 64) fail('E_OPTION', what + ' must be a string of 1..64 characters');
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c === 35 || c === 43 || c === 47 || c === 127) fail('E_OPTION', what + ' ' + JSON.stringify(name) + ' may not contain spaces, control characters, /, + or #');
  }
}

/** The topics of one fleet. */
export function fleetTopics(fleet: string): { model(device: string): string; status(device: string): string; global: string; models: string } {
  checkName('fleet name', fleet);
  const root = 'microlearn/' + fleet + '/';
  return {
    model: function (d: string) {
      return root + d + '/model';
    },
    status: function (d: string) {
      return root + d + '/status';
    },
    global: root + 'global',
    models: root + '+/model',
  };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding. */
export function toBase64(b: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    s += B64.charAt(v >> 18) + B64.charAt((v >> 12) & 63) + B64.charAt((v >> 6) & 63) + B64.charAt(v & 63);
  }
  if (i < b.length) {
    const v = (b[i] << 16) | (i + 1 < b.length ? b[i + 1] << 8 : 0);
    s += B64.charAt(v >> 18) + B64.charAt((v >> 12) & 63) + (i + 1 < b.length ? B64.charAt((v >> 6) & 63) : '=') + '=';
  }
  return s;
}

/** Decodes standard padded base64; throws E_CORRUPT on anything else. */
export function fromBase64(s: string): Uint8Array {
  if (typeof s !== 'string' || s.length % 4 !== 0) fail('E_CORRUPT', 'model is not base64');
  const pad = s.length > 0 && s.charAt(s.length - 1) === '=' ? (s.charAt(s.length - 2) === '=' ? 2 : 1) : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let v = 0;
    for (let j = 0; j < 4; j++) {
      const ch = s.charAt(i + j);
      let d = B64.indexOf(ch);
      if (ch === '=' && i + 4 === s.length && j >= 4 - pad) d = 0;
      else if (d < 0 || ch === '=') fail('E_CORRUPT', 'model is not base64');
      v = v * 64 + d;
    }
    out[o++] = v >> 16;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

// ---- messages ------------------------------------------------------------------

/** What a device publishes on its model topic. */
export interface ModelReport {
  /** Increases with every report of this device (stale or replayed reports are refused). */
  seq: number;
  /** The global round the model started from (0 before any global model). */
  round: number;
  /** Samples learned since adopting that round: the model's weight in the merge. */
  samples: number;
  /** The model's `toBytes()`. */
  model: Uint8Array;
}

/** What the coordinator publishes on the global topic. */
export interface GlobalReport {
  round: number;
  /** Samples merged into this round (Σ of the reports' samples). */
  samples: number;
  /** The devices merged into this round. */
  devices: string[];
  model: Uint8Array;
}

function isCount(v: unknown): boolean {
  return typeof v === 'number' && Math.floor(v) === v && v >= 0 && v <= 4294967295;
}

function parseJson(payload: string, what: string): { [k: string]: unknown } {
  let o: unknown;
  try {
    o = JSON.parse(payload);
  } catch (e) {
    return fail('E_CORRUPT', what + ' is not JSON');
  }
  if (o === null || typeof o !== 'object') fail('E_CORRUPT', what + ' is not a JSON object');
  return o as { [k: string]: unknown };
}

export function encodeReport(r: ModelReport): string {
  return JSON.stringify({ seq: r.seq, round: r.round, samples: r.samples, model: toBase64(r.model) });
}

/** Parses a model report; E_CORRUPT with the reason when it is not one. */
export function parseReport(payload: string): ModelReport {
  const o = parseJson(payload, 'report');
  if (!isCount(o.seq) || !isCount(o.round) || !isCount(o.samples)) fail('E_CORRUPT', 'report needs integer seq, round and samples (0..2^32-1)');
  return { seq: o.seq as number, round: o.round as number, samples: o.samples as number, model: fromBase64(o.model as string) };
}

export function encodeGlobal(g: GlobalReport): string {
  return JSON.stringify({ round: g.round, samples: g.samples, devices: g.devices, model: toBase64(g.model) });
}

export function parseGlobal(payload: string): GlobalReport {
  const o = parseJson(payload, 'global model');
  if (!isCount(o.round) || !isCount(o.samples)) fail('E_CORRUPT', 'global model needs integer round and samples');
  const d = o.devices;
  if (d === null || typeof d !== 'object' || typeof (d as string[]).length !== 'number') fail('E_CORRUPT', 'global model needs a devices list');
  return { round: o.round as number, samples: o.samples as number, devices: d as string[], model: fromBase64(o.model as string) };
}

/** The coordinator's answer to one report, retained on the device's status topic. */
export interface FleetStatus {
  seq: number;
  ok: boolean;
  /** The round of the current global model. */
  round: number;
  /** Why the report was refused ('' when ok): a MicrolearnError's message. */
  error: string;
}

export function parseStatus(payload: string): FleetStatus {
  const o = parseJson(payload, 'status');
  if (!isCount(o.seq) || !isCount(o.round) || typeof o.ok !== 'boolean') fail('E_CORRUPT', 'bad status');
  return { seq: o.seq as number, ok: o.ok as boolean, round: o.round as number, error: typeof o.error === 'string' ? o.error : '' };
}

function messageOf(e: unknown): string {
  return e instanceof MicrolearnError ? e.message : 'E_CORRUPT: ' + String(e && (e as Error).message ? (e as Error).message : e);
}

// ---- models in parts: what averages, what pools statistics ----------------------

/** The steps of a Pipeline, or null for any other model (no import of Pipeline: a bundle without one carries none). */
function stepsOf(m: Model): ReadonlyArray<Model> | null {
  const c = (m as unknown as { constructor?: { modelType?: unknown } }).constructor;
  return c !== undefined && c.modelType === ModelType.Pipeline ? (m as unknown as { steps: ReadonlyArray<Model> }).steps : null;
}

/** True when the model, or one of a Pipeline's steps, pools statistics. */
function hasStatistics(m: Model): boolean {
  const steps = stepsOf(m);
  if (steps === null) return mergesStatistics(m);
  for (let i = 0; i < steps.length; i++) if (mergesStatistics(steps[i])) return true;
  return false;
}

/**
 * A model built part by part like `template`: a Pipeline step by step (a new
 * Pipeline of the steps `pick` returns), any other model as its one part.
 * `pick(part, statistics)` gets `part`, which takes a model to its part being
 * built, and whether that part pools statistics. `models` (all the models
 * `pick` will take parts of) must be pipelines of as many steps as `template`.
 */
function byParts(template: Model, models: ReadonlyArray<Model>, pick: (part: (m: Model) => Model, statistics: boolean) => Model): Model {
  const steps = stepsOf(template);
  if (steps === null) return pick(function (m) { return m; }, mergesStatistics(template));
  for (let k = 0; k < models.length; k++) {
    const o = stepsOf(models[k]);
    if (o === null) fail('E_TYPE', 'model ' + k + ' is not a Pipeline, the fleet\'s model is');
    if (o.length !== steps.length) fail('E_SHAPE', 'model ' + k + ' has another number of steps (' + o.length + ', the fleet\'s has ' + steps.length + ')');
  }
  const out: Model[] = [];
  for (let s = 0; s < steps.length; s++) {
    try {
      out.push(pick(function (m) { return (stepsOf(m) as ReadonlyArray<Model>)[s]; }, mergesStatistics(steps[s])));
    } catch (e) {
      if (e instanceof MicrolearnError) throw new MicrolearnError(e.code, 'step ' + s + ': ' + e.message.slice(e.code.length + 2));
      throw e;
    }
  }
  return new (template.constructor as new (steps: Model[]) => Model)(out);
}

/**
 * The fleet's merge. The parts that average (the SGD models) are the FedAvg
 * of this round's `reports`, weighted by their `samples`; the parts that pool
 * statistics (scalers, GaussianNB, GaussianScorer, KMeans, …: `mergeKind`
 * 'statistics') merge `owns`, every member's latest report, which holds
 * statistics of that device's own data only: each reading is counted once,
 * however many rounds its device took part in. A Pipeline goes step by step.
 */
export function fleetMerge(reports: ReadonlyArray<Model>, samples: ReadonlyArray<number>, owns: ReadonlyArray<Model>): Model {
  return byParts(reports[0], reports.concat(owns), function (part, statistics) {
    return statistics ? merge(owns.map(part)) : merge(reports.map(part), samples);
  });
}

// ---- coordinator ------------------------------------------------------------------

export interface CoordinatorOptions {
  fleet: string;
  /** The devices allowed to take part (their MQTT user names and topic levels). Reports of anyone else are ignored. */
  members: ReadonlyArray<string>;
  /** The model classes reports may hold (load checks blobs against them). */
  classes: ReadonlyArray<ModelClass>;
  /** The model the fleet starts from, published as round 0 (without it, the first valid report fixes type and shape). */
  initial?: Model;
  /** Merge as soon as this many members have reported in the current round (default: all members). */
  quorum?: number;
  /** Merge whatever has arrived this long after the first report of a round (ms; default 0: wait for the quorum). Needs timers. */
  deadlineMs?: number;
}

interface Pending {
  model: Model;
  samples: number;
}

/**
 * Merges the members' models round by round (fleetMerge: this round's
 * reports for what averages, every member's latest report for what pools
 * statistics). A report is refused, with the
 * reason on the device's status topic, when its sequence number is not above
 * the last one, it starts from another round than the current global model,
 * its blob is corrupt, or its model is of another type or shape than the
 * fleet's. A device that disappears does not stall the fleet: with
 * `deadlineMs`, a round closes with whoever reported.
 */
export class FleetCoordinator {
  readonly fleet: string;
  readonly members: ReadonlyArray<string>;
  /** The current global model (null before round 0 exists). */
  global: Model | null;
  round: number;
  readonly counts = { accepted: 0, refused: 0, ignored: 0, merges: 0 };
  /** Called after each merge. */
  onMerge: ((round: number, devices: string[], samples: number) => void) | null = null;
  /** Called for each report: accepted or refused (with the reason), or ignored (not a member). */
  onReport: ((device: string, outcome: 'accepted' | 'refused' | 'ignored', reason: string) => void) | null = null;
  private readonly topics: ReturnType<typeof fleetTopics>;
  private readonly send: FleetSend;
  private readonly classes: ReadonlyArray<ModelClass>;
  private readonly quorum: number;
  private readonly deadlineMs: number;
  private readonly timers: FleetTimers | null;
  private timer: unknown = null;
  private readonly lastSeq: { [device: string]: number } = {};
  private readonly lastPayload: { [device: string]: string } = {};
  private pending: { [device: string]: Pending } = {};
  private nPending = 0;
  /** Every member's latest accepted report of any round, for a model with statistics: their own statistics. */
  private readonly latest: { [device: string]: Model } = {};

  constructor(options: CoordinatorOptions, send: FleetSend, timers?: FleetTimers) {
    const o = options;
    this.topics = fleetTopics(o.fleet);
    this.fleet = o.fleet;
    if (!o.members || typeof o.members.length !== 'number' || o.members.length < 1) fail('E_OPTION', 'a fleet needs a member list');
    for (let i = 0; i < o.members.length; i++) checkName('device name', o.members[i]);
    this.members = o.members.slice();
    if (!o.classes || o.classes.length < 1) fail('E_OPTION', 'the coordinator needs the model classes it may load');
    this.classes = o.classes;
    this.quorum = o.quorum === undefined ? this.members.length : o.quorum;
    if (!(this.quorum >= 1 && this.quorum <= this.members.length) || Math.floor(this.quorum) !== this.quorum) fail('E_OPTION', 'quorum must be an integer 1..' + this.members.length);
    this.deadlineMs = o.deadlineMs === undefined ? 0 : o.deadlineMs;
    this.timers = timers || null;
    if (this.deadlineMs > 0 && this.timers === null) fail('E_OPTION', 'deadlineMs needs timers');
    this.send = send;
    this.global = o.initial === undefined ? null : o.initial;
    this.round = 0;
  }

  /** The topic filter to subscribe to. */
  subscriptions(): string[] {
    return [this.topics.models];
  }

  /** Publishes the current global model (call on every (re)connection). */
  announce(): void {
    if (this.global === null) return;
    this.send({ topic: this.topics.global, payload: encodeGlobal({ round: this.round, samples: 0, devices: [], model: this.global.toBytes() }), retain: true });
  }

  private isMember(d: string): boolean {
    for (let i = 0; i < this.members.length; i++) if (this.members[i] === d) return true;
    return false;
  }

  /** The device of a model topic of this fleet, or '' for any other topic. */
  private deviceOf(topic: string): string {
    const root = 'microlearn/' + this.fleet + '/';
    if (typeof topic !== 'string' || topic.indexOf(root) !== 0 || topic.length < root.length + 7) return '';
    const rest = topic.slice(root.length);
    const d = rest.slice(0, rest.length - 6);
    return rest.slice(rest.length - 6) === '/model' && d.length > 0 && d.indexOf('/') < 0 ? d : '';
  }

  /** Handles one message of the subscriptions. */
  receive(topic: string, payload: string): void {
    const device = this.deviceOf(topic);
    if (device === '' || !this.isMember(device)) {
      this.counts.ignored++;
      if (this.onReport) this.onReport(device || topic, 'ignored', 'not a member of fleet ' + this.fleet);
      return;
    }
    if (this.lastPayload[device] === payload) return; // the retained copy of a report already handled
    let seq = -1;
    try {
      const r = parseReport(payload);
      seq = r.seq;
      const last = this.lastSeq[device];
      if (last !== undefined && r.seq <= last) fail('E_STATE', 'stale report: sequence ' + r.seq + ' is not above ' + last);
      this.lastSeq[device] = r.seq;
      if (r.round !== this.round) fail('E_STATE', 'the report starts from round ' + r.round + ', the global model is round ' + this.round + ': adopt it first');
      const m = loadModel(r.model, this.classes) as Model;
      // the same class and options as the fleet's model, or merge says why not
      if (this.global !== null) fleetMerge([this.global, m], [1, 1], [this.global, m]);
      else this.global = m;
      if (this.pending[device] === undefined) this.nPending++;
      this.pending[device] = { model: m, samples: r.samples };
      if (hasStatistics(m)) this.latest[device] = m; // only statistics need the reports of earlier rounds
    } catch (e) {
      this.lastPayload[device] = payload;
      this.counts.refused++;
      const why = messageOf(e);
      this.status(device, seq < 0 ? 0 : seq, false, why);
      if (this.onReport) this.onReport(device, 'refused', why);
      return;
    }
    this.lastPayload[device] = payload;
    this.counts.accepted++;
    this.status(device, seq, true, '');
    if (this.onReport) this.onReport(device, 'accepted', '');
    if (this.nPending >= this.quorum) this.mergeNow();
    else if (this.nPending === 1 && this.deadlineMs > 0 && this.timers !== null) {
      const self = this;
      this.timer = this.timers.setTimeout(function () {
        self.timer = null;
        self.mergeNow();
      }, this.deadlineMs);
    }
  }

  private status(device: string, seq: number, ok: boolean, error: string): void {
    this.send({ topic: this.topics.status(device), payload: JSON.stringify({ seq: seq, ok: ok, round: this.round, error: error }), retain: true });
  }

  /** Members that have reported in the current round. */
  reported(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.members.length; i++) if (this.pending[this.members[i]] !== undefined) out.push(this.members[i]);
    return out;
  }

  /**
   * Merges the reports of the current round (weighted by their samples; the
   * statistics from every member's latest report), publishes the global
   * model as the next round, and returns true; false when nothing with
   * samples was reported.
   */
  mergeNow(): boolean {
    if (this.timer !== null && this.timers !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const devices = this.reported();
    const models: Model[] = [];
    const weights: number[] = [];
    let samples = 0;
    for (let i = 0; i < devices.length; i++) {
      const p = this.pending[devices[i]];
      models.push(p.model);
      weights.push(p.samples);
      samples += p.samples;
    }
    if (samples === 0) return false;
    const owns: Model[] = [];
    for (let i = 0; i < this.members.length; i++) if (this.latest[this.members[i]] !== undefined) owns.push(this.latest[this.members[i]]);
    this.global = fleetMerge(models, weights, owns);
    this.round++;
    this.pending = {};
    this.nPending = 0;
    this.counts.merges++;
    this.send({ topic: this.topics.global, payload: encodeGlobal({ round: this.round, samples: samples, devices: devices, model: this.global.toBytes() }), retain: true });
    if (this.onMerge) this.onMerge(this.round, devices, samples);
    return true;
  }
}

// ---- device ---------------------------------------------------------------------

/** A model a device trains. */
export interface FleetModel extends Model {
  learnOne(x: ArrayLike<number>, y?: number): void;
}

export interface DeviceOptions<M extends FleetModel> {
  fleet: string;
  /** This device's name: its MQTT user name and topic level. */
  device: string;
  /** The model classes the global model may hold. */
  classes: ReadonlyArray<ModelClass>;
  /** The local model (all devices of a fleet start from the same options; an MLP from the same seed). */
  model: M;
  /**
   * Personalisation, 0..1 (default 0): adopting a global model, keep this
   * share of the local one (the adopted model is merge([global, local]) with
   * weights 1 − mix and mix, in 1/65536 steps). 0 adopts the global model as
   * is. Only the parts that average mix; statistics are the fleet's.
   */
  mix?: number;
}

/**
 * One member of a fleet: counts what it learns since adopting a global
 * model, reports its model, adopts each new global model. A model that pools
 * statistics (a scaler, GaussianScorer, … or a Pipeline with one) is also
 * learned into `own`, a copy that holds this device's data only: its report
 * carries those statistics, so the coordinator counts each reading once
 * (the adopted model would carry the fleet's). Its sequence
 * number survives a restart through its retained status (the coordinator's
 * last answer), which it reads back on subscribing.
 */
export class FleetDevice<M extends FleetModel> {
  readonly fleet: string;
  readonly device: string;
  model: M;
  /** The round of the global model last adopted (0 before any). */
  round = 0;
  /** Samples learned since then. */
  samples = 0;
  /** Sequence number of the last report. */
  seq = 0;
  /** True once a global model has been adopted. */
  adopted = false;
  /** The coordinator's last answer, or null. */
  lastStatus: FleetStatus | null = null;
  /** Why the last global model was not adopted ('' if it was). */
  lastError = '';
  /**
   * The statistics of this device's own data (a copy of the model given,
   * learning every sample), or null when the model has none. Save it with
   * the model: after a restart without it, the fleet loses this device's
   * earlier readings from its statistics at the next report.
   */
  own: M | null;
  onAdopt: ((round: number) => void) | null = null;
  private readonly topics: ReturnType<typeof fleetTopics>;
  private readonly send: FleetSend;
  private readonly classes: ReadonlyArray<ModelClass>;
  private readonly mixW: number;
  /** `own` is a Pipeline whose final step has no statistics: only its transformers learn. */
  private readonly ownSteps: boolean;

  constructor(options: DeviceOptions<M>, send: FleetSend) {
    this.topics = fleetTopics(options.fleet);
    checkName('device name', options.device);
    this.fleet = options.fleet;
    this.device = options.device;
    this.classes = options.classes;
    this.model = options.model;
    this.own = hasStatistics(this.model) ? (loadModel(this.model.toBytes(), this.classes) as unknown as M) : null;
    const steps = stepsOf(this.model);
    this.ownSteps = this.own !== null && steps !== null && !mergesStatistics(steps[steps.length - 1]);
    const mix = options.mix === undefined ? 0 : options.mix;
    if (typeof mix !== 'number' || !(mix >= 0 && mix <= 1)) fail('E_OPTION', 'mix must be a number in 0..1');
    this.mixW = Math.floor(mix * 65536 + 0.5);
    this.send = send;
  }

  subscriptions(): string[] {
    return [this.topics.global, this.topics.status(this.device)];
  }

  /** Learns one sample and counts it. */
  learnOne(x: ArrayLike<number>, y?: number): void {
    this.model.learnOne(x, y);
    const own = this.own;
    // Only the statistics of `own` are reported: a Pipeline whose final step
    // averages (SGD) needs only its transformers learned.
    if (own !== null) {
      if (this.ownSteps) (own as unknown as { learnTransformersOne(x: ArrayLike<number>): void }).learnTransformersOne(x);
      else own.learnOne(x, y);
    }
    this.samples++;
  }

  /** What a report holds: the model, with the statistics of `own` in place of the adopted ones. */
  reportModel(): Model {
    const own = this.own;
    const model = this.model;
    if (own === null) return model;
    return byParts(model, [own], function (part, statistics) {
      return statistics ? part(own) : part(model);
    });
  }

  /** Publishes the model with the samples learned since the last adopted round. */
  report(): void {
    this.seq++;
    this.send({ topic: this.topics.model(this.device), payload: encodeReport({ seq: this.seq, round: this.round, samples: this.samples, model: this.reportModel().toBytes() }), retain: true });
  }

  /** Handles one message of the subscriptions. */
  receive(topic: string, payload: string): void {
    if (topic === this.topics.status(this.device)) {
      try {
        const s = parseStatus(payload);
        this.lastStatus = s;
        if (s.seq > this.seq) this.seq = s.seq; // after a restart, go on above the last report the coordinator saw
      } catch (e) {
        this.lastError = messageOf(e);
      }
      return;
    }
    if (topic !== this.topics.global) return;
    try {
      const g = parseGlobal(payload);
      if (this.adopted && g.round <= this.round) return; // nothing new (a retained copy)
      const m = loadModel(g.model, this.classes) as unknown as M;
      const local = this.model;
      const w = this.mixW;
      fleetMerge([m, local], [1, 1], [m, local]); // same class and options as ours, or say why not
      this.model = w === 0 ? m : (byParts(m, [local], function (part, statistics) {
        return statistics ? part(m) : merge([part(m), part(local)], [65536 - w, w]);
      }) as M);
      this.round = g.round;
      this.adopted = true;
      this.samples = 0;
      this.lastError = '';
      if (this.onAdopt) this.onAdopt(g.round);
    } catch (e) {
      this.lastError = messageOf(e);
    }
  }
}
