// Freezes the JavaScript built-ins the way the XS linker does for a Moddable
// app that preloads modules (docs/moddable.md): every built-in constructor,
// prototype and namespace object, and everything reachable from them, is
// frozen before the app's own code runs. The global object itself stays
// extensible, as it does on a device. Run as the first script of an XS
// machine (test/frozen.test.ts); prints one line saying what it froze.
(function () {
  'use strict';
  var seen = new Set();
  function freeze(o) {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || o === globalThis || seen.has(o)) return;
    seen.add(o);
    Object.freeze(o);
    var keys = Reflect.ownKeys(o);
    for (var i = 0; i < keys.length; i++) {
      var d = Object.getOwnPropertyDescriptor(o, keys[i]);
      if ('value' in d) freeze(d.value);
      else {
        freeze(d.get);
        freeze(d.set);
      }
    }
    freeze(Object.getPrototypeOf(o));
  }
  var names = Object.getOwnPropertyNames(globalThis);
  for (var i = 0; i < names.length; i++) {
    var d = Object.getOwnPropertyDescriptor(globalThis, names[i]);
    if ('value' in d) freeze(d.value);
  }
  // Intrinsics no global names: %TypedArray%, the iterator and generator prototypes.
  function* gen() {}
  async function af() {}
  async function* ag() {}
  freeze(Object.getPrototypeOf(Int8Array));
  freeze(Object.getPrototypeOf([][Symbol.iterator]()));
  freeze(Object.getPrototypeOf(new Map()[Symbol.iterator]()));
  freeze(Object.getPrototypeOf(new Set()[Symbol.iterator]()));
  freeze(Object.getPrototypeOf(''[Symbol.iterator]()));
  freeze(Object.getPrototypeOf(/x/[Symbol.matchAll]('')));
  freeze(Object.getPrototypeOf(gen));
  freeze(Object.getPrototypeOf(gen()));
  freeze(Object.getPrototypeOf(af));
  freeze(Object.getPrototypeOf(ag));
  freeze(Object.getPrototypeOf(ag()));
  gen = af = ag = null;
  // The freeze must bite as XS's does: assigning a property that a frozen
  // prototype holds is refused (strict code throws a TypeError).
  var refused = false;
  try {
    var e = Object.create(Error.prototype);
    e.name = 'x';
  } catch (x) {
    refused = x instanceof TypeError;
  }
  if (!refused || !Object.isFrozen(Error.prototype) || !Object.isFrozen(Object.prototype) || !Object.isFrozen(Array))
    throw new Error('freeze-builtins: the built-ins are not frozen');
  print('frozen ' + seen.size + ' built-in objects');
})();
