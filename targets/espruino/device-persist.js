// Persistence check run on Espruino (and, for the expected output, on Node with a
// fake Storage). Plain ES5: Espruino runs it as is. The caller defines PHASE
// first: 1 trains and saves, 2 (a later boot, same flash) loads, then damages
// slots on purpose and checks what the store does.
var ml = require('microlearn');
var S = require('Storage');
var store = new ml.ModelStore(new ml.EspruinoStorage(S));

/** CRC of a model blob without its stored CRC (the CRC of data plus its own CRC is a constant). */
function hex(b) {
  return ('0000000' + ml.crc32(b, 0, b.length - 4).toString(16)).slice(-8) + '/' + b.length;
}

function trained(steps) {
  var r = new ml.Random(7);
  var m = new ml.LogisticRegression({ nFeatures: 4, learningRate: 0.05, l2: 0.001 });
  var x = new Float64Array(4);
  for (var i = 0; i < steps; i++) {
    for (var j = 0; j < 4; j++) x[j] = r.nextInt(2001) / 1000 - 1;
    m.learnOne(x, x[0] + 0.5 * x[1] - x[3] > 0 ? 1 : 0);
  }
  return m;
}

function slots() {
  var s = store.inspect('lr');
  return s[0].state + ':' + s[0].seq + ' ' + s[1].state + ':' + s[1].seq;
}

if (PHASE === 1) {
  S.erase('lr.0');
  S.erase('lr.1');
  print('persist save ' + store.save('lr', trained(100)) + ' ' + hex(trained(100).toBytes()));
  print('persist save ' + store.save('lr', trained(300)) + ' ' + hex(trained(300).toBytes()));
  print('persist slots ' + slots());
} else {
  var m = store.load('lr', ml.load);
  print('persist loaded ' + hex(m.toBytes()) + ' predicts ' + m.predictOne([0.5, 0, 0, -0.5]));
  // A torn save: the newest slot cut short. The older model must come back, the torn slot reported.
  // (copied to RAM first: readArrayBuffer maps the flash that the write replaces)
  var mapped = new Uint8Array(S.readArrayBuffer('lr.1'));
  var torn = new Uint8Array(40);
  torn.set(mapped.subarray(0, 40));
  var reports = [];
  var store2 = new ml.ModelStore(new ml.EspruinoStorage(S), { onCorrupt: function (k, why) { reports.push(k + ' ' + why); } });
  S.write('lr.1', torn);
  print('persist after-cut ' + hex(store2.read('lr')) + ' reported ' + reports.join(';'));
  // Both slots bad: nothing is loaded, E_CORRUPT is thrown.
  var bad = new Uint8Array(S.readArrayBuffer('lr.0'));
  var copy = new Uint8Array(bad.length);
  copy.set(bad);
  copy[30] ^= 1;
  S.write('lr.0', copy);
  try {
    store.load('lr', ml.load);
    print('persist both-bad LOADED (wrong)');
  } catch (e) {
    print('persist both-bad ' + e.code);
  }
  // And a save over the wreck works.
  print('persist resave ' + store.save('lr', trained(50)) + ' ' + hex(store.read('lr')) + ' ' + slots());
}
