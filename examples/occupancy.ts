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

/** One synthetic reading: a simulated office with occupants on weekdays 8–18 h. */
export class RoomSimulator {
  private readonly rng: Random;
  private minute = 0;
  private co2 = 420;
  private temp = 20;
  readonly x = new Float64Array(6);
  constructor(seed: number) {
    this.rng = new Random(seed);
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
    const busy = day < 5 && hour >= 8 && hour < 18;
    const occupied = busy ? (this.rng.nextInt(10) < 8 ? 1 : 0) : this.rng.nextInt(50) === 0 ? 1 : 0;
    // CO2 and temperature drift toward an occupancy-dependent level, as in a real room.
    this.co2 += ((occupied ? 900 : 420) - this.co2) * 0.3 + this.noise(40);
    this.temp += ((occupied ? 22.5 : 19.5) - this.temp) * 0.2 + this.noise(0.3);
    const x = this.x;
    x[0] = this.temp;
    x[1] = 45 + (occupied ? 5 : 0) + this.noise(6);
    x[2] = this.co2;
    x[3] = occupied ? 300 + this.noise(150) : hour > 7 && hour < 19 ? 60 + this.noise(50) : this.noise(4) + 2;
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
