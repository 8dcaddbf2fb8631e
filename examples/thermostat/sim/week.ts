/**
 * One simulated week of a household with our thermostat, printing the hash
 * (CRC-32 and length) of every model it learned and the week's figures, so
 * that engines can be compared line by line: Node, XS (targets/xs), the
 * Espruino bundle under the Espruino gate, a Moddable x-cli-lin build.
 */
import { ModelStore, MemoryStorage } from '../../../src/storage.js';
import { blobHash } from '../../../src/crc32.js';
import { HOUSEHOLDS } from './household.js';
import { Ours } from './bench.js';
import { simulate } from './world.js';
import { MODEL_NAMES } from '../thermostat.js';
import { Presence } from '../presence.js';

function hex8(v: number): string {
  let s = (v >>> 0).toString(16);
  while (s.length < 8) s = '0' + s;
  return s;
}

/** The blob's hash with positions mixed in (blobHash: a plain CRC cannot see inside a Pipeline's steps), and its length. */
function hash(b: Uint8Array): string {
  return hex8(blobHash(b)) + '/' + b.length;
}

/** Runs `weeks` week(s) of household `index` (seed 1) and prints one line per model and one of figures. */
export function runWeek(print: (s: string) => void, index: number, weeks: number): void {
  const h = HOUSEHOLDS[index];
  const store = new ModelStore(new MemoryStorage());
  const ours = new Ours({ store: store });
  const r = simulate(h, ours, { weeks: weeks, seed: 1 });
  ours.t.save();
  for (let i = 0; i < MODEL_NAMES.length; i++) {
    const b = store.read(MODEL_NAMES[i]);
    print('thermostat ' + MODEL_NAMES[i] + ' ' + (b ? hash(b) : 'none'));
  }
  // a fleet's merge of the learned occupancy table with another flat's (labels of a fixed pattern): by counts, and a 1:3 mix
  const other = new Presence();
  for (let s = 0; s < 336; s++) other.learnSlot(s, (s * 7) % 3);
  const byCount = Presence.merge([ours.t.presence, other]);
  const mixed = Presence.merge([other, ours.t.presence], [1, 3]);
  print('thermostat presence-merge ' + hash(byCount.toBytes()) + ' ' + hash(mixed.toBytes()));
  let changes = 0;
  let comfort = 0;
  let occupied = 0;
  let wh = 0;
  let light = 0;
  for (let i = 0; i < r.weeks.length; i++) {
    changes += r.weeks[i].manualChanges;
    comfort += r.weeks[i].comfortMinutes;
    occupied += r.weeks[i].occupiedMinutes;
    wh += r.weeks[i].energyKWh;
    light += r.weeks[i].lightCorrections;
  }
  print('thermostat week ' + h.name + ': changes ' + changes + ', comfort ' + comfort + '/' + occupied + ' min, heating ' + Math.floor(wh * 1000) + ' Wh, light corrections ' + light);
}
