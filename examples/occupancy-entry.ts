/** Bundle entry: runs the occupancy demo on an engine with a global `print` (XS host, Espruino). */
import { runOccupancyDemo } from './occupancy.js';

declare const print: (s: string) => void;
runOccupancyDemo(print, 6000, 500);
