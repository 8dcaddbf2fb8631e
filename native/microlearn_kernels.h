/*
 * microlearn_kernels.h — the microlearn kernels in C99.
 *
 * These are bit-exact twins of the TypeScript reference kernels in
 * src/kernels.ts (the numeric contract is written up in docs/fixed-point.md).
 * For every input they return and store exactly the bits the TypeScript code
 * does, so a model trained with either gives the same bytes.
 *
 * Values are Q16.16 fixed point held in int32_t (v means v / 65536). Wide
 * weights and the Welford mean carry 16 extra fraction bits in a parallel
 * uint16_t array (the value is w + f / 65536 in units of 2^-16); the Welford
 * variance is Q32.32, an int32_t integer part and a uint32_t fraction.
 *
 * Rules shared by every kernel:
 *  - Sums of products are exact: each 64-bit product is split into its high
 *    and low 32-bit halves and the halves are summed separately, so no sum
 *    overflows for any length below 2^32.
 *  - "round" means round half up, floor(x + 1/2), and every division or shift
 *    of a negative number rounds toward minus infinity (floor), never toward 0.
 *  - Results that do not fit in int32 saturate to ML_Q_MAX / ML_Q_MIN.
 *  - Loops run in increasing index order and read each element right before
 *    it is used, as the TypeScript code does, so that overlapping arrays
 *    (say y and x of axpy in the same buffer) give the same result on both.
 *    Arrays of different element types must not overlap.
 *
 * Pointers point at the first element used (the TypeScript offsets are
 * applied by the caller); lengths are element counts. No function allocates
 * or depends on anything beyond <stdint.h>/<stddef.h>; none but the input
 * conversions (ml_fromDouble, ml_fromRaw, ml_toRaw) use floating point.
 * The caller guarantees that every pointer covers the elements it names
 * (the XS and Espruino bindings check this before calling).
 */
#ifndef MICROLEARN_KERNELS_H
#define MICROLEARN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest and smallest Q16.16 values. */
#define ML_Q_MAX INT32_MAX
#define ML_Q_MIN INT32_MIN

/** Welford sample counts above this act as this (the statistics then become an exponential moving average). */
#define ML_WELFORD_COUNT_CAP ((int64_t)1 << 19)

/** Σ a[i]·b[i] for i < n: the exact sum, rounded half up to Q16.16, saturated. */
int32_t ml_dot(const int32_t *a, const int32_t *b, uint32_t n);

/**
 * out[r] = sat(ml_dot(w + r·cols, x, cols) + bias[r]) for r < rows, where the
 * dot product is saturated before the bias is added; bias may be NULL (0).
 */
void ml_matvec(const int32_t *w, const int32_t *x, const int32_t *bias, int32_t *out, uint32_t rows, uint32_t cols);

/** out[c] = Σ_r w[r·cols + c]·d[r] (exact, rounded half up, saturated) for c < cols. */
void ml_matTvec(const int32_t *w, const int32_t *d, int32_t *out, uint32_t rows, uint32_t cols);

/** y[i] = sat(y[i] + round(alpha·x[i] / 2^16)) for i < n. */
void ml_axpy(int32_t *y, const int32_t *x, uint32_t n, int32_t alpha);

/**
 * Wide-weight update, |a| ≤ 32767 and −15 ≤ s ≤ 46 (as ml_step and the
 * TypeScript stepRecip make them):
 * the weight (w[i], f[i]) = w[i] + f[i]/2^16 gains δ = round(a·x[i] / 2^s)
 * units of 2^-32 (δ = a·x[i]·2^-s exactly when s < 0). When the integer part
 * leaves int32 the weight saturates: (ML_Q_MAX, 65535) or (ML_Q_MIN, 0).
 */
void ml_axpyWide(int32_t *w, uint16_t *f, const int32_t *x, uint32_t n, int32_t a, int32_t s);

/**
 * The SGD step lr·g (both Q16.16) as a 15-bit mantissa and a shift for
 * ml_axpyWide: with e = lr·g (units of 2^-32), out[1] = s is the largest
 * s ≤ 30 for which out[0] = round(e·2^(s−16)) has |out[0]| ≤ 32767
 * (e·2^(s−16) exactly when s ≥ 16). e = 0 gives (0, 0); when even s = −15
 * does not fit, (±32767, −15).
 */
void ml_step(int32_t lr, int32_t g, int32_t out[2]);

/** The logistic sigmoid of src/fixed.ts (56 cubics on [0, 14), Q28 coefficients), Q16.16 in and out. */
int32_t ml_sigmoid(int32_t x);

/** tanh x = 2·sigmoid(2x) − 1 as src/fixed.ts computes it, Q16.16 in and out. */
int32_t ml_tanh(int32_t x);

/**
 * A real number as Q16.16, as the TypeScript kernel toQ converts it:
 * q = floor(v·65536 + 2^31 + 1/2) − 2^31 in IEEE double arithmetic. Returns 1
 * and stores q, or returns 0 (nothing stored) for NaN, ±Infinity and values
 * outside [−32768, 32768). Floating point (as ml_fromRaw):
 * the bindings call it on the numbers JavaScript passes in.
 */
int ml_fromDouble(double v, int32_t *q);

/**
 * A raw input in the internal units of an input scale (src/range.ts), as the
 * TypeScript kernel toRaw converts it: q = round_half_up(v·2^(s−e)), s = 16
 * for a real number, 0 for Q16.16, 0 ≤ s ≤ 16. Returns 1 and stores q, or
 * returns 0 (nothing stored) when v is not in (−2^31, 2^31), e > 63, or
 * |q| ≥ lim (1 ≤ lim ≤ 2^31). Floating point, like ml_fromDouble.
 */
int ml_fromRaw(double v, uint32_t s, uint32_t e, int64_t lim, int32_t *q);

/**
 * toRaw on a C array: out[i] = ml_fromRaw(x[i], s, e_i, lim) for i < n, e_i
 * = exps[0] when ne == 1, else exps[i] (ne ≥ n). Returns −1, or the index of
 * the first element ml_fromRaw rejects (elements after it are not written).
 */
int32_t ml_toRaw(const double *x, uint32_t n, uint32_t s, const uint8_t *exps, uint32_t ne, int64_t lim, int32_t *out);

/**
 * One SGD step of a linear model (src/kernels.ts sgdLinear) on Q16.16 x:
 * w[0..n-1] weights, w[n] the bias, f their fraction bits;
 * z = sat(dot + w[n]), p = z (link 0) or ml_sigmoid(z) (link 1),
 * g = sat(y − p); when l2 ≠ 0 the weights take ml_step(lr, −l2)·w first;
 * then w += ml_step(lr, g)·x and the bias += the same step.
 */
void ml_sgdLinear(int32_t *w, uint16_t *f, const int32_t *x, uint32_t n, int32_t y, int32_t lr, int32_t l2, int32_t link);

/**
 * A dense layer forward (src/kernels.ts denseForward): z = ml_matvec(w, x,
 * b, rows, cols) (b may be NULL), then a[r] = act(z[r]) with act 0 relu,
 * 1 ml_tanh, 2 ml_sigmoid, 3 linear.
 */
void ml_denseForward(const int32_t *w, const int32_t *x, const int32_t *b, int32_t *z, int32_t *a, uint32_t rows, uint32_t cols, int32_t act);

/**
 * Back-propagation through a dense layer (src/kernels.ts denseBackward):
 * gp = ml_matTvec(w, g, rows, cols), then gp[c] = ml_mul(gp[c], d) with the
 * derivative d of activation act at ap[c] / zp[c] (relu: 1 when zp > 0,
 * else 0; tanh 1 − ap²; sigmoid ap·sat(1 − ap); linear 1, gp unchanged).
 */
void ml_denseBackward(const int32_t *w, const int32_t *g, int32_t *gp, const int32_t *ap, const int32_t *zp, uint32_t rows, uint32_t cols, int32_t act);

/**
 * The step 1/c (c ≥ 1, a running-mean count) as two ml_axpyWide steps, as
 * the TypeScript stepRecip makes them: out = [a1, s1, a2, s2].
 */
void ml_stepRecip(uint32_t c, int32_t out[4]);

/**
 * The nearest of `rows` centroids (c, rows of n) to x in internal units
 * (src/kernels.ts kmeansNearest after its conversion): ml_sqdistMany into
 * dist and ml_argmin at shift 0, else 8, else 16 while the smallest
 * distance saturates. Returns its index, or −1 when it saturates at 16.
 */
int32_t ml_kmeansNearest(const int32_t *c, uint32_t rows, uint32_t n, const int32_t *x, int32_t *dist);

/**
 * One online k-means step (src/kernels.ts kmeansLearn) on x in the model's
 * internal units: c holds k centroids of n (wide: plus cf/2^16), counts
 * their samples. The nearest centroid j (ml_sqdistMany + ml_argmin at shift
 * 0, else 8, else 16 while the smallest distance saturates; work[0..k) holds
 * them) gains one count (saturating at 2^32 − 1) and moves by
 * max(1/count, decay): d = sat(x − round(c_j)) in work[k..k+n), then
 * ml_axpyWide with the two steps of 1/count, or ml_step(decay, 65536) once
 * count·decay ≥ 65536 (0 ≤ decay ≤ 65536). Nothing changes when every
 * distance saturates at shift 16. k ≥ 1; work has k + n elements.
 */
void ml_kmeansLearn(int32_t *c, uint16_t *cf, uint32_t *counts, uint32_t k, uint32_t n, const int32_t *x, int32_t decay, int32_t *work);

/**
 * Rank-1 wide update of a rows×cols matrix: for each row r in order,
 * (a, s) = ml_step(lr, d[r]) and, when a ≠ 0,
 * ml_axpyWide(w + r·cols, f + r·cols, x, cols, a, s).
 */
void ml_gerWide(int32_t *w, uint16_t *f, uint32_t rows, uint32_t cols, const int32_t *d, const int32_t *x, int32_t lr);

/** y[i] = sat(round(alpha·y[i] / 2^16)) for i < n. */
void ml_scale(int32_t *y, uint32_t n, int32_t alpha);

/**
 * Σ t_i² / 2^shift with t_i = sat(a[i] − b[i]), 0 ≤ shift ≤ 16: the exact sum,
 * rounded half up to Q16.16, saturated.
 */
int32_t ml_sqdist(const int32_t *a, const int32_t *b, uint32_t n, int32_t shift);

/** out[r] = ml_sqdist(data + r·cols, x, cols, shift) for r < rows. */
void ml_sqdistMany(const int32_t *data, uint32_t rows, uint32_t cols, const int32_t *x, int32_t shift, int32_t *out);

/**
 * One Welford step on n features: the running mean (Q16.32: mean[i] +
 * meanF[i]/2^16 in Q16.16 units) and population variance (Q32.32: varI[i] +
 * varF[i]/2^32, plus the carried division remainder varR[i] in units of
 * 2^-32/c) are updated with x[i]; count ≥ 1 is the number of samples
 * including this one, and counts above ML_WELFORD_COUNT_CAP act as the cap.
 * With c = min(count, cap), h = floor(c/2), in units of 2^-32:
 *   d1 = x·2^16 − M;  M' = clamp(M + round(d1 / c), −2^47, 2^47 − 1)
 *   d2 = x·2^16 − M';  P = sat(round(d1/2^16)) · sat(round(d2/2^16))
 *   N = P − V + (c > 1 ? R : 0);  q = floor((N + h) / c)
 *   V' = V + q;  R' = N − q·c  (−h ≤ R' < c − h)
 *   V' clamped to [0, 2^63 − 1] (the clamps store (0, 0) and
 *   (ML_Q_MAX, 0xffffffff), and R' = 0).
 */
void ml_welford(int32_t *mean, uint16_t *meanF, int32_t *varI, uint32_t *varF, int32_t *varR, const int32_t *x, uint32_t n, int64_t count);

/** Index of the first smallest a[i], i < n; 0 when n is 0. */
uint32_t ml_argmin(const int32_t *a, uint32_t n);

/** Index of the first largest a[i], i < n; 0 when n is 0. */
uint32_t ml_argmax(const int32_t *a, uint32_t n);

/**
 * Adam step on a rows×cols matrix of wide weights (w, f) for the negative
 * gradient d·xᵀ; with m and mf NULL it is RMSprop (the first moment is the
 * gradient itself). Per element, in row-major order, with G = round(d[r]·x[c]
 * / 2^16) saturated, M = m·2^16 + mf and V = vI·2^32 + vF (units of 2^-32):
 *   M' = b1·m + (65536 − b1)·G + round(b1·mf / 2^16)          (G·2^16 without m)
 *   V' = round((b2·V + (65536 − b2)·G²) / 2^16)
 *   S  = round(√(V'·2^16 / 4^j))·2^j, the smallest j ≥ 0 with V'·2^16/4^j < 2^52
 *        (the radicand floored; S = 0 for V' ≤ 0)
 *   U  = sat(round(M'·2^16 / max(S + e, 1)))
 *   weight += round(a·U / 2^k), saturating like ml_axpyWide
 * 0 ≤ b1, b2 ≤ 65535, 0 ≤ a < 2^21, 0 ≤ k ≤ 62, e ≥ 0 (docs/fixed-point.md).
 */
void ml_gerAdam(int32_t *w, uint16_t *f, int32_t *m, uint16_t *mf, int32_t *vI, uint32_t *vF, uint32_t rows, uint32_t cols,
	const int32_t *d, const int32_t *x, int32_t a, int32_t k, int32_t e, int32_t b1, int32_t b2);

/*
 * Element-level building blocks. Every kernel above is a loop over these, so
 * a binding that cannot hand the kernels a plain pointer (Espruino typed
 * arrays whose storage is not one flat block) can loop over them itself, in
 * the kernel's order, and get the same bits.
 */

/** An exact sum of products: hi·2^32 + lo. Start from { 0, 0 }. */
typedef struct {
	int64_t hi;
	uint64_t lo;
} ml_sum;

/** sum += a·b (exact). */
void ml_sum_product(ml_sum *s, int32_t a, int32_t b);
/** sum += sat(a − b)² (exact). */
void ml_sum_sqdiff(ml_sum *s, int32_t a, int32_t b);
/** sat(round_half_up(sum / 2^(16+shift))), 0 ≤ shift ≤ 16: the result of ml_dot (shift 0) and ml_sqdist. */
int32_t ml_sum_round(const ml_sum *s, int32_t shift);
/** v saturated to int32. */
int32_t ml_sat(int64_t v);
/** One element of ml_axpy: sat(y + round(alpha·x / 2^16)). */
int32_t ml_axpy1(int32_t y, int32_t x, int32_t alpha);
/** One element of ml_scale: sat(round(alpha·y / 2^16)). */
int32_t ml_scale1(int32_t y, int32_t alpha);
/** One element of ml_axpyWide, in place on *w and *f. */
void ml_axpyWide1(int32_t *w, uint16_t *f, int32_t x, int32_t a, int32_t s);
/** One element of ml_welford, in place. */
void ml_welford1(int32_t *mean, uint16_t *meanF, int32_t *varI, uint32_t *varF, int32_t *varR, int32_t x, int64_t count);
/** One element of ml_gerAdam with the gradient g = round(d·x / 2^16) given; m and mf may be NULL (RMSprop). */
void ml_adam1(int32_t *w, uint16_t *f, int32_t *m, uint16_t *mf, int32_t *vI, uint32_t *vF, int32_t g, int32_t a, int32_t k, int32_t e, int32_t b1, int32_t b2);
/** round(a·b / 2^16) saturated (the gradient element of ml_gerAdam). */
int32_t ml_mul(int32_t a, int32_t b);

/*
 * Signal kernels: the per-sample and per-window loops of WindowFeatures
 * (src/window.ts), twins of the TypeScript SignalKernels in src/kernels.ts.
 * Inputs beyond the stated ranges are the caller's error (the bindings check
 * lengths and the power-of-two size; the values come from the kernels
 * themselves).
 */

/** Writes count samples src[i·stride] into ring[0 .. n) from position pos, wrapping; returns the new position. */
uint32_t ml_ringWrite(int32_t *ring, uint32_t n, uint32_t pos, const int32_t *src, uint32_t stride, uint32_t count);

/**
 * Window statistics of ring[0 .. n) (oldest sample at pos, n = 2^bits ≤ 4096):
 * re[k] = (ring[k] − mean)·2^-b rounded (b chosen so the largest deviation is
 * in [2^22, 2^23)), im[k] = 0, and out[0..6] = mean, min, max, b, zero
 * crossings, Σre²/2^(16+bits) rounded, kurtosis (Q16.16). re may be ring.
 * Exact definition: winStats in src/kernels.ts.
 */
void ml_winStats(const int32_t *ring, uint32_t n, uint32_t pos, int32_t bits, int32_t *re, int32_t *im, int32_t out[7]);

/** In-place radix-2 FFT of (re, im), n = 2^bits, halving every stage (X/n); twiddles cos/sin[k] (Q16.16), k < n/2; |inputs| < 2^30. */
void ml_fft(int32_t *re, int32_t *im, uint32_t n, uint32_t bits, const int32_t *cos, const int32_t *sin);

/** Spectral centroid of bins lo .. hi−1 in bins (Q16.16); see centroid in src/kernels.ts. */
int32_t ml_centroid(const int32_t *re, const int32_t *im, uint32_t lo, uint32_t hi);

/** Keeps bins lo .. hi−1 of (re, im) conjugated and rescaled by 2^-s (largest in [2^22, 2^23)), zeroes the rest of 0 .. n; returns s. */
int32_t ml_analytic(int32_t *re, int32_t *im, uint32_t n, uint32_t lo, uint32_t hi);

/** out[i] = round(√(re[i]² + im[i]²)) (operands halved below 2^26 first, the result scaled back), saturated; out may be re or im. */
void ml_magnitude(const int32_t *re, const int32_t *im, uint32_t n, int32_t *out);

#ifdef __cplusplus
}
#endif

#endif /* MICROLEARN_KERNELS_H */
