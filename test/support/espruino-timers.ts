/** Espruino's global timers as MqttTimers, for the Espruino test scripts (test/support/*-espruino-entry.ts). */
export const espruinoTimers = {
  setTimeout: function (fn: () => void, ms: number): unknown {
    return setTimeout(fn, ms);
  },
  clearTimeout: function (h: unknown) {
    clearTimeout(h as any);
  },
};
