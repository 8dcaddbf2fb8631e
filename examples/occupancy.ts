/**
 * A room sensor learns when the room is occupied, one reading at a time, on
 * the device: temperature, humidity, CO2 (ppm) and light (lux) in raw units,
 * plus the time of day. Runs unchanged on XS, Espruino and Node; `print` is
 * whatever the engine provides.
 */
import { Random } from '../src/random.js';
import { backend } from '../src/kernels.js';
import { StandardScaler } from '../src/preprocessing.js';
import { Pipeline } from '../src/pipeline.js';
import { LogisticRegression } from '../algorithms/linear.js';

/** How one room differs from the default office (the fleet benchmark's non-IID rooms). */
export interface Room {
  /** Office hours on weekdays, [open, close) in hours (default 8, 18). */
  open?: number;
  close?: number;
  /** CO2 level (ppm) the room tends to when occupied (default 900). */
  co2?: number;
  /** Mean lamp light (lux) when occupied (default 300). */
  lux?: number;
  /** Temperature when empty and occupied (°C, default 19.5 and 22.5). */
  cold?: number;
  warm?: number;
}

/** One synthetic reading: a simulated office with occupants on weekdays 8–18 h (or as `room` says). */
export class RoomSimulator {
  private readonly rng: Random;
  private minute = 0;
  private co2 = 420;
  private temp = 20;
  private readonly open: number;
  private readonly close: number;
  private readonly co2Busy: number;
  private readonly lux: number;
  private readonly cold: number;
  private readonly warm: number;
  readonly x = new Float64Array(6);
  constructor(seed: number, room?: Room) {
    this.rng = new Random(seed);
    const r = room || {};
    this.open = r.open === undefined ? 8 : r.open;
    this.close = r.close === undefined ? 18 : r.close;
    this.co2Busy = r.co2 === undefined ? 900 : r.co2;
    this.lux = r.lux === undefined ? 300 : r.lux;
    this.cold = r.cold === undefined ? 19.5 : r.cold;
    this.warm = r.warm === undefined ? 22.5 : r.warm;
  }
  private noise(scale: number): number {
    let s = 0;
    for (let i = 0; i < 4; i++) s += this.rng.nextU32() / 4294967296;
    return (s - 2) * scale;
  }
  /** Advances 10 minutes; fills `x` and returns 1 if the room is occupied. */
  next(): number {
    this.minute += 10;
    const day = Math.floor(this.minute / 1440) % 7;
    const hour = (this.minute % 1440) / 60;
    const busy = day < 5 && hour >= this.open && hour < this.close;
    const occupied = busy ? (this.rng.nextInt(10) < 8 ? 1 : 0) : this.rng.nextInt(50) === 0 ? 1 : 0;
    // CO2 and temperature drift toward an occupancy-dependent level, as in a real room.
    this.co2 += ((occupied ? this.co2Busy : 420) - this.co2) * 0.3 + this.noise(40);
    this.temp += ((occupied ? this.warm : this.cold) - this.temp) * 0.2 + this.noise(0.3);
    const x = this.x;
    x[0] = this.temp;
    x[1] = 45 + (occupied ? 5 : 0) + this.noise(6);
    x[2] = this.co2;
    x[3] = occupied ? this.lux + this.noise(150) : hour > 7 && hour < 19 ? 60 + this.noise(50) : this.noise(4) + 2;
    x[4] = hour / 24;
    x[5] = day < 5 ? 1 : 0;
    return occupied;
  }
}

/** Trains prequentially and prints progress; returns the final accuracy. */
export function runOccupancyDemo(print: (s: string) => void, samples: number, every: number): number {
  const model = new Pipeline([new StandardScaler({ nFeatures: 6 }), new LogisticRegression({ nFeatures: 6, learningRate: 0.05 })]);
  const room = new RoomSimulator(2026);
  print('kernels: ' + backend() + '; model: StandardScaler → LogisticRegression, 6 raw sensor features');
  print('state: ' + model.stateBytes + ' bytes of RAM');
  print('   samples   accuracy (last ' + every + ')   accuracy (all)');
  let right = 0;
  let rightWindow = 0;
  for (let i = 1; i <= samples; i++) {
    const y = room.next();
    if (model.predictOne(room.x) === y) {
      right++;
      rightWindow++;
    }
    model.learnOne(room.x, y);
    if (i % every === 0) {
      print(pad(String(i), 10) + pad(pct(rightWindow / every), 22) + pad(pct(right / i), 17));
      rightWindow = 0;
    }
  }
  const bytes = model.toBytes();
  print('saved model: ' + bytes.length + ' bytes (toBytes, with header and CRC-32)');
  return right / samples;
}

function pct(v: number): string {
  return (Math.floor(v * 1000 + 0.5) / 10).toFixed(1) + ' %';
}

function pad(s: string, n: number): string {
  while (s.length < n) s = ' ' + s;
  return s;
}
