/**
 * A deterministic run of the whole device (monitor, Home Assistant state
 * messages, persistence) on the simulated machine, printing one line per
 * event and hashes of everything it produced (also of a fleet merge of its
 * models). The same lines must come out
 * of every engine: Node, XS (TypeScript or native kernels), Moddable and
 * Espruino (test/vibration-monitor.test.ts compares them).
 */
import { blobHash, crc32 } from '../../src/crc32.js';
import { MemoryStorage, ModelStore } from '../../src/storage.js';
import { WindowFeatures } from '../../src/window.js';
import { HomeAssistant } from '../../integrations/homeassistant.js';
import { AnomalyMonitor } from '../../algorithms/anomaly/monitor.js';
import { MONITOR_RECIPE, signalMonitor } from '../../algorithms/anomaly/recipe.js';
import { classesOf } from '../../algorithms/anomaly/evaluate.js';
import { MonitorDevice } from './device.js';
import { Machine, Scenario } from './sim.js';
import { SHORT, SHORT_LEARN } from './scenarios.js';

function hex(v: number): string {
  let s = (v >>> 0).toString(16);
  while (s.length < 8) s = '0' + s;
  return s;
}

function textCrc(s: string, crc: number): number {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return crc32(b, 0, b.length, crc);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs the SHORT scenario at `rate` Hz; prints through `print`. Returns the number of lines. */
export function runMonitor(print: (s: string) => void, rate: number): number {
  let lines = 0;
  const out = (s: string) => {
    print(s);
    lines++;
  };
  const store = new ModelStore(new MemoryStorage());
  const ha = new HomeAssistant({ id: 'vibration-test', name: 'Vibration monitor test', model: 'microlearn vibration monitor', swVersion: '0.1.0' });
  let msgCrc = 0;
  const device = new MonitorDevice(ha, { rate: rate, learnSeconds: SHORT_LEARN, similarityEvery: 10, heartbeatEvery: 30 }, store, function (m) {
    msgCrc = textCrc(m.topic + '\n' + m.payload + (m.retain ? '\nR' : '\nN'), msgCrc);
    return true;
  });
  device.log = out;
  const sc = new Scenario(new Machine({ rate: rate, seed: 11 }), SHORT);
  const block = new Int32Array(32);
  let verdictCrc = 0;
  const v = new Uint8Array(5);
  device.vm.start();
  for (;;) {
    const n = sc.fillQ(block, 32);
    if (n === 0) break;
    const before = device.vm.verdicts;
    device.vm.feed(block, n);
    if (device.vm.verdicts !== before) {
      const s = device.vm.monitor.score;
      v[0] = s & 0xff;
      v[1] = (s >> 8) & 0xff;
      v[2] = (s >> 16) & 0xff;
      v[3] = (s >>> 24) & 0xff;
      v[4] = device.vm.monitor.alarm ? 1 : 0;
      verdictCrc = crc32(v, 0, 5, verdictCrc);
    }
  }
  const atLearn = store.read('vibmon') as Uint8Array; // saved when learning ended
  device.vm.save();
  const saved = store.read('vibmon') as Uint8Array;
  out('verdicts ' + device.vm.verdicts + ' alarms ' + device.vm.alarms + ' hash ' + hex(verdictCrc));
  out('model ' + saved.length + ' bytes hash ' + hex(blobHash(saved)) + ' state ' + device.vm.monitor.stateBytes + ' bytes');
  out('mqtt ' + device.messages + ' messages ' + device.bytes + ' bytes hash ' + hex(msgCrc));
  // a reboot: the saved model comes back and monitoring goes on where it was
  const ha2 = new HomeAssistant({ id: 'vibration-test', name: 'Vibration monitor test' });
  const again = new MonitorDevice(ha2, { rate: rate, learnSeconds: SHORT_LEARN }, store, function () {
    return true;
  });
  again.vm.start();
  const back = again.vm.monitor.toBytes();
  out('reboot ' + again.vm.mode + ' same model ' + sameBytes(back, saved));
  // a fleet coordinator's merge of two reports: the model saved when learning ended and the one adapted since
  const t = signalMonitor(MONITOR_RECIPE, 1, rate);
  const first = AnomalyMonitor.fromBytes(atLearn, classesOf(t), { window: t.window as WindowFeatures, hop: t.hop, alarm: { k: t.alarmFilter.k, n: t.alarmFilter.n } });
  const merged = AnomalyMonitor.merge([first, again.vm.monitor]).toBytes();
  out('merge ' + merged.length + ' bytes hash ' + hex(blobHash(merged)) + ' inputs unchanged ' + (sameBytes(first.toBytes(), atLearn) && sameBytes(again.vm.monitor.toBytes(), saved)));
  return lines;
}
