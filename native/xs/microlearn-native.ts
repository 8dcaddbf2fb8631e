/**
 * The C kernels as a Moddable module. Each function is bound to its host
 * function in native/xs/xs_microlearn.c with the standard-syntax `native()`
 * form, which xsc compiles to the same bytecode as `function f() @ "name"`
 * (that form is not JavaScript, so tsc could not compile it).
 *
 * Importing the module publishes the kernels as globalThis.__microlearnNative,
 * where src/kernels.ts looks when it loads: import this module before
 * microlearn, or call `useKernels(kernels)` afterwards.
 *
 * The manifest must build native/microlearn_kernels.c and
 * native/xs/xs_microlearn.c and include this module.
 */

// Moddable's xs.d.ts declares this global; repeated here so tsc needs no Moddable typings.
declare function native(name: string): (...args: any[]) => any;

export function dot(this: unknown, a: Int32Array, ao: number, b: Int32Array, bo: number, n: number): number {
  return native('xs_microlearn_dot').call(this, a, ao, b, bo, n);
}
export function matvec(this: unknown, w: Int32Array, x: Int32Array, xo: number, bias: Int32Array | null, out: Int32Array, rows: number, cols: number): void {
  return native('xs_microlearn_matvec').call(this, w, x, xo, bias, out, rows, cols);
}
export function matTvec(this: unknown, w: Int32Array, d: Int32Array, out: Int32Array, rows: number, cols: number): void {
  return native('xs_microlearn_matTvec').call(this, w, d, out, rows, cols);
}
export function axpy(this: unknown, y: Int32Array, yo: number, x: Int32Array, xo: number, n: number, alpha: number): void {
  return native('xs_microlearn_axpy').call(this, y, yo, x, xo, n, alpha);
}
export function axpyWide(this: unknown, w: Int32Array, f: Uint16Array, wo: number, x: Int32Array, xo: number, n: number, a: number, s: number): void {
  return native('xs_microlearn_axpyWide').call(this, w, f, wo, x, xo, n, a, s);
}
export function gerWide(this: unknown, w: Int32Array, f: Uint16Array, rows: number, cols: number, d: Int32Array, x: Int32Array, xo: number, lr: number): void {
  return native('xs_microlearn_gerWide').call(this, w, f, rows, cols, d, x, xo, lr);
}
export function scale(this: unknown, y: Int32Array, yo: number, n: number, alpha: number): void {
  return native('xs_microlearn_scale').call(this, y, yo, n, alpha);
}
export function sqdist(this: unknown, a: Int32Array, ao: number, b: Int32Array, bo: number, n: number, shift: number): number {
  return native('xs_microlearn_sqdist').call(this, a, ao, b, bo, n, shift);
}
export function sqdistMany(this: unknown, data: Int32Array, rows: number, cols: number, x: Int32Array, xo: number, shift: number, out: Int32Array): void {
  return native('xs_microlearn_sqdistMany').call(this, data, rows, cols, x, xo, shift, out);
}
export function welford(this: unknown, mean: Int32Array, meanF: Uint16Array, varI: Int32Array, varF: Uint32Array, varR: Int32Array, o: number, x: Int32Array, xo: number, n: number, count: number): void {
  return native('xs_microlearn_welford').call(this, mean, meanF, varI, varF, varR, o, x, xo, n, count);
}
export function argmin(this: unknown, a: Int32Array, ao: number, n: number): number {
  return native('xs_microlearn_argmin').call(this, a, ao, n);
}
export function argmax(this: unknown, a: Int32Array, ao: number, n: number): number {
  return native('xs_microlearn_argmax').call(this, a, ao, n);
}

export function toQ(this: unknown, x: ArrayLike<number>, n: number, out: Int32Array): number {
  return native('xs_microlearn_toQ').call(this, x, n, out);
}
export function sgdLinear(this: unknown, w: Int32Array, f: Uint16Array, x: ArrayLike<number>, xq: Int32Array | null, n: number, y: number, lr: number, l2: number, link: number): number {
  return native('xs_microlearn_sgdLinear').call(this, w, f, x, xq, n, y, lr, l2, link);
}
export function sgdLinearReal(this: unknown, w: Int32Array, f: Uint16Array, x: ArrayLike<number>, xq: Int32Array, n: number, y: number, lr: number, l2: number): number {
  return native('xs_microlearn_sgdLinearReal').call(this, w, f, x, xq, n, y, lr, l2);
}
export function kmeansNearest(this: unknown, c: Int32Array, rows: number, n: number, x: ArrayLike<number>, xq: Int32Array, exps: Uint8Array, lim: number, dist: Int32Array): number {
  return native('xs_microlearn_kmeansNearest').call(this, c, rows, n, x, xq, exps, lim, dist);
}
export function denseForward(
  this: unknown, w: Int32Array, x: Int32Array, xo: number, b: Int32Array | null, z: Int32Array, a: Int32Array, rows: number, cols: number, act: number,
): void {
  return native('xs_microlearn_denseForward').call(this, w, x, xo, b, z, a, rows, cols, act);
}
export function denseBackward(this: unknown, w: Int32Array, g: Int32Array, gp: Int32Array, ap: Int32Array, zp: Int32Array, rows: number, cols: number, act: number): void {
  return native('xs_microlearn_denseBackward').call(this, w, g, gp, ap, zp, rows, cols, act);
}
export function toRaw(this: unknown, x: ArrayLike<number>, n: number, s: number, exps: Uint8Array, lim: number, out: Int32Array): number {
  return native('xs_microlearn_toRaw').call(this, x, n, s, exps, lim, out);
}
export function kmeansLearn(
  this: unknown, c: Int32Array, cf: Uint16Array, counts: Uint32Array, k: number, n: number, x: ArrayLike<number>, xq: Int32Array | null,
  exps: Uint8Array, lim: number, decay: number, work: Int32Array,
): number {
  return native('xs_microlearn_kmeansLearn').call(this, c, cf, counts, k, n, x, xq, exps, lim, decay, work);
}

export function gerAdam(
  this: unknown, w: Int32Array, f: Uint16Array, m: Int32Array | null, mf: Uint16Array | null, vI: Int32Array, vF: Uint32Array,
  rows: number, cols: number, d: Int32Array, x: Int32Array, xo: number, a: number, k: number, e: number, b1: number, b2: number,
): void {
  return native('xs_microlearn_gerAdam').call(this, w, f, m, mf, vI, vF, rows, cols, d, x, xo, a, k, e, b1, b2);
}

export function ringWrite(this: unknown, ring: Int32Array, ro: number, n: number, pos: number, src: Int32Array, so: number, stride: number, count: number): number {
  return native('xs_microlearn_ringWrite').call(this, ring, ro, n, pos, src, so, stride, count);
}
export function winStats(this: unknown, ring: Int32Array, ro: number, n: number, pos: number, bits: number, re: Int32Array, im: Int32Array, out: Int32Array): void {
  return native('xs_microlearn_winStats').call(this, ring, ro, n, pos, bits, re, im, out);
}
export function fft(this: unknown, re: Int32Array, im: Int32Array, n: number, bits: number, cos: Int32Array, sin: Int32Array): void {
  return native('xs_microlearn_fft').call(this, re, im, n, bits, cos, sin);
}
export function centroid(this: unknown, re: Int32Array, im: Int32Array, lo: number, hi: number): number {
  return native('xs_microlearn_centroid').call(this, re, im, lo, hi);
}
export function analytic(this: unknown, re: Int32Array, im: Int32Array, n: number, lo: number, hi: number): number {
  return native('xs_microlearn_analytic').call(this, re, im, n, lo, hi);
}
export function magnitude(this: unknown, re: Int32Array, im: Int32Array, n: number, out: Int32Array): void {
  return native('xs_microlearn_magnitude').call(this, re, im, n, out);
}

/** All kernels by their names in src/kernels.ts, for `useKernels(kernels)`. */
export const kernels = {
  dot, matvec, matTvec, axpy, axpyWide, gerWide, scale, sqdist, sqdistMany, welford, argmin, argmax, toQ, sgdLinear, gerAdam, toRaw, kmeansLearn, sgdLinearReal, denseForward, denseBackward, kmeansNearest,
  ringWrite, winStats, fft, centroid, analytic, magnitude,
};

(globalThis as unknown as { __microlearnNative: typeof kernels }).__microlearnNative = kernels;
