#!/usr/bin/env node
// Generates the piecewise-cubic sigmoid table of src/fixed.ts and measures the
// error of sigmoid and tanh (tanh x = 2σ(2x) − 1) over every Q16.16 input:
//
//   node bench/gen-sigmoid-table.mjs          prints the table and the maximum error
//
// 56 segments of width 1/4 covering [0, 14) (σ rounds to 1 from 12 on, tanh
// from 7 on); on each, the cubic interpolating σ at the four
// Chebyshev nodes (close to minimax), coefficients rounded to Q28. The kernel
// evaluates it by Horner in int32 arithmetic (src/fixed.ts sigmoid28), which this
// script mirrors; test/fixed.test.ts repeats the exhaustive error check.

const SEGMENTS = 56; // [0, 14) in quarters
const H = 0.25;
const CB = 28; // coefficient and result precision (Q28)
const sig = (x) => 1 / (1 + Math.exp(-x));

function solve4(A, b) {
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < 4; c++) {
    let p = c;
    for (let r = c + 1; r < 4; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < 4; r++)
      if (r !== c) {
        const f = M[r][c] / M[c][c];
        for (let k = c; k < 5; k++) M[r][k] -= f * M[c][k];
      }
  }
  return M.map((r, i) => r[4] / r[i]);
}

export function table() {
  const out = [];
  const nodes = [0, 1, 2, 3].map((k) => 0.5 + 0.5 * Math.cos(((2 * k + 1) * Math.PI) / 8));
  for (let s = 0; s < SEGMENTS; s++) {
    const c = solve4(nodes.map((t) => [1, t, t * t, t * t * t]), nodes.map((t) => sig(s * H + t * H)));
    for (const v of c) out.push(Math.round(v * 2 ** CB));
  }
  return out;
}

/** σ(q/65536)·2^28 for 0 ≤ q < 14·65536, exactly as the kernel computes it. */
function eval28(T, q) {
  const o = (q >> 14) * 4;
  const t = (q & 16383) << 1; // Q15
  const mulT = (acc) => (acc >> 15) * t + (((acc & 0x7fff) * t) >> 15);
  let acc = T[o + 3];
  acc = T[o + 2] + mulT(acc);
  acc = T[o + 1] + mulT(acc);
  return T[o] + mulT(acc);
}

if (process.argv[1] && process.argv[1].endsWith('gen-sigmoid-table.mjs')) {
  const T = table();
  let max = 0;
  for (let q = 0; q < 14 * 65536; q++) {
    const v = q >= 12 * 65536 ? 65536 : (eval28(T, q) + 2048) >> 12;
    const e = Math.abs(v - sig(q / 65536) * 65536);
    if (e > max) max = e;
  }
  let maxT = 0;
  for (let q = 0; q < 8 * 65536; q++) {
    const v = 2 * q >= 14 * 65536 ? 65536 : (2 * eval28(T, 2 * q) - 268435456 + 2048) >> 12;
    const e = Math.abs(v - Math.tanh(q / 65536) * 65536);
    if (e > maxT) maxT = e;
  }
  const lines = [];
  for (let i = 0; i < T.length; i += 8) lines.push('  ' + T.slice(i, i + 8).join(', ') + ',');
  console.log('// ' + SEGMENTS + ' segments; max error sigmoid ' + max.toFixed(4) + ' LSB, tanh ' + maxT.toFixed(4) + ' LSB');
  console.log('const SIGMOID_T = new Int32Array([\n' + lines.join('\n') + '\n]);');
}
