/** Bundle entry: one simulated week (household THERMOSTAT_HOUSEHOLD, default 0) printed through the engine's print(). */
import { runWeek } from './week.js';

declare const print: (s: string) => void;
declare const THERMOSTAT_HOUSEHOLD: number | undefined;
declare const THERMOSTAT_WEEKS: number | undefined;

runWeek(
  function (s: string) {
    print(s);
  },
  typeof THERMOSTAT_HOUSEHOLD === 'number' ? THERMOSTAT_HOUSEHOLD : 0,
  typeof THERMOSTAT_WEEKS === 'number' ? THERMOSTAT_WEEKS : 1,
);
