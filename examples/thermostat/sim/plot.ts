/**
 * SVG plots of one simulated week: room temperature, what the occupants
 * wanted (while home), the thermostat's setpoint, and bands for occupancy
 * (up / asleep), the heater and the light. Plain SVG text, no dependencies.
 */
import { ASLEEP, AWAKE } from './household.js';
import { Trace } from './world.js';

const W = 1200;
const TOP = 28;
const PLOT_H = 250;
const BAND_H = 14;
const LEFT = 44;
const RIGHT = 12;
const T_MIN = 12;
const T_MAX = 24;
const STEP = 10; // minutes per point
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function x(minute: number): number {
  return LEFT + ((W - LEFT - RIGHT) * minute) / 10080;
}

function y(t: number): number {
  const v = t < T_MIN ? T_MIN : t > T_MAX ? T_MAX : t;
  return TOP + PLOT_H - ((v - T_MIN) / (T_MAX - T_MIN)) * PLOT_H;
}

function f(v: number): string {
  return (Math.floor(v * 10 + 0.5) / 10).toFixed(1);
}

/** A polyline of `series` every STEP minutes, broken where the value is NaN. */
function line(series: Float64Array, color: string, width: number, dash?: string): string {
  let out = '';
  let pts: string[] = [];
  const flush = () => {
    if (pts.length > 1)
      out += '<polyline fill="none" stroke="' + color + '" stroke-width="' + width + '"' + (dash ? ' stroke-dasharray="' + dash + '"' : '') + ' points="' + pts.join(' ') + '"/>\n';
    pts = [];
  };
  for (let m = 0; m < 10080; m += STEP) {
    const v = series[m];
    if (v !== v) {
      flush();
      continue;
    }
    pts.push(Math.floor(x(m) + 0.5) + ',' + f(y(v)));
  }
  flush();
  return out;
}

/** Rectangles where `on(m)` holds for most of each 10 minutes, in a band at height `top`. */
function band(on: (m: number) => boolean, top: number, color: string): string {
  let out = '';
  let start = -1;
  for (let m = 0; m <= 10080; m += STEP) {
    let n = 0;
    for (let k = m; k < m + STEP && k < 10080; k++) if (on(k)) n++;
    const v = m < 10080 && 2 * n >= STEP;
    if (v && start < 0) start = m;
    if (!v && start >= 0) {
      out += '<rect x="' + f(x(start)) + '" y="' + top + '" width="' + f(x(m) - x(start)) + '" height="' + BAND_H + '" fill="' + color + '"/>\n';
      start = -1;
    }
  }
  return out;
}

/** The week of `trace` as an SVG document titled `title`. */
export function weekSvg(trace: Trace, title: string): string {
  const bands = TOP + PLOT_H + 22;
  const H = bands + 3 * (BAND_H + 6) + 30;
  let s = '<svg xmlns="http://www.w3.org/2000/svg" width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + ' ' + H + '" font-family="sans-serif" font-size="12">\n';
  s += '<rect width="' + W + '" height="' + H + '" fill="white"/>\n';
  s += '<text x="' + LEFT + '" y="18" font-size="14" font-weight="bold">' + title.replace(/&/g, '&amp;').replace(/</g, '&lt;') + '</text>\n';
  // grid: every 2 °C, every day
  for (let t = T_MIN; t <= T_MAX; t += 2) {
    s += '<line x1="' + LEFT + '" x2="' + (W - RIGHT) + '" y1="' + f(y(t)) + '" y2="' + f(y(t)) + '" stroke="#e4e4e4"/>\n';
    s += '<text x="' + (LEFT - 6) + '" y="' + f(y(t) + 4) + '" text-anchor="end" fill="#555">' + t + '°</text>\n';
  }
  for (let d = 0; d <= 7; d++) {
    s += '<line x1="' + f(x(d * 1440)) + '" x2="' + f(x(d * 1440)) + '" y1="' + TOP + '" y2="' + (H - 26) + '" stroke="#c8c8c8"/>\n';
    if (d < 7) s += '<text x="' + f(x(d * 1440 + 720)) + '" y="' + (H - 10) + '" text-anchor="middle" fill="#333">' + DAYS[d] + '</text>\n';
  }
  s += line(trace.want, '#2a9d3a', 3);
  s += line(trace.setpoint, '#e07b00', 1.5, '5,3');
  s += line(trace.temp, '#1f5fbf', 1.5);
  const labels = ['up', 'asleep', 'heater', 'light'];
  const rows = [
    band((m) => trace.state[m] === AWAKE, bands, '#4c8c4a'),
    band((m) => trace.state[m] === ASLEEP, bands, '#9cc59a'),
    band((m) => trace.heater[m] === 1, bands + BAND_H + 6, '#d2452f'),
    band((m) => trace.light[m] === 1, bands + 2 * (BAND_H + 6), '#e8c228'),
  ];
  s += rows.join('');
  s += '<text x="' + (LEFT - 6) + '" y="' + (bands + 11) + '" text-anchor="end" fill="#333">home</text>\n';
  s += '<text x="' + (LEFT - 6) + '" y="' + (bands + BAND_H + 17) + '" text-anchor="end" fill="#333">' + labels[2] + '</text>\n';
  s += '<text x="' + (LEFT - 6) + '" y="' + (bands + 2 * BAND_H + 23) + '" text-anchor="end" fill="#333">' + labels[3] + '</text>\n';
  // legend
  const legend: [string, string][] = [['#1f5fbf', 'room temperature'], ['#2a9d3a', 'wanted (while home)'], ['#e07b00', 'setpoint'], ['#4c8c4a', 'up'], ['#9cc59a', 'asleep']];
  let lx = W - RIGHT - 620;
  for (let i = 0; i < legend.length; i++) {
    s += '<rect x="' + lx + '" y="8" width="14" height="10" fill="' + legend[i][0] + '"/><text x="' + (lx + 18) + '" y="17">' + legend[i][1] + '</text>\n';
    lx += 18 + legend[i][1].length * 7 + 14;
  }
  return s + '</svg>\n';
}
