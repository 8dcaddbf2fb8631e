/*
 * microlearn_kernels.c — C99 twins of the TypeScript kernels in src/kernels.ts.
 * See microlearn_kernels.h for the contract of each function.
 *
 * The TypeScript code keeps every intermediate integer exact (below 2^53 in a
 * double, splitting products into 16-bit halves when needed). Here the same
 * exact values are computed in int64_t; where a value could exceed int64 (a
 * long sum of products) it is kept as a high part in units of 2^32 plus an
 * unsigned low part. The final rounding is then the same function of the same
 * exact number, so the bits agree.
 */
#include "microlearn_kernels.h"

#define TWO47 ((int64_t)1 << 47)

/* floor(x / 2^k) for 0 ≤ k ≤ 62. Written without shifting a negative number
   (implementation-defined in C99); compilers turn it into one arithmetic shift. */
static int64_t fshr(int64_t x, unsigned k)
{
	return x >= 0 ? (int64_t)((uint64_t)x >> k) : ~(int64_t)((uint64_t)~x >> k);
}

/* floor(n / d) for d > 0 (C division truncates toward zero). */
static int64_t floor_div(int64_t n, int64_t d)
{
	int64_t q = n / d;
	if (n % d != 0 && n < 0)
		q--;
	return q;
}

/* n / d rounded half up: floor((2n + d) / 2d), d > 0. */
static int64_t round_div(int64_t n, int64_t d)
{
	return floor_div(2 * n + d, 2 * d);
}

static int32_t sat32(int64_t v)
{
	return v > ML_Q_MAX ? ML_Q_MAX : v < ML_Q_MIN ? ML_Q_MIN : (int32_t)v;
}

/* round(v / 2^16) for a 64-bit product |v| ≤ 2^62. */
static int64_t round16(int64_t v)
{
	return fshr(v + 32768, 16);
}

/*
 * An exact sum as hi·2^32 + lo (ml_sum). Each added product p (|p| ≤ 2^62)
 * contributes floor(p / 2^32) to hi and p mod 2^32 (0..2^32−1) to lo; with
 * fewer than 2^32 terms neither part can overflow.
 */
static void sum_add(ml_sum *s, int64_t p)
{
	s->hi += fshr(p, 32);
	s->lo += (uint32_t)(uint64_t)p;
}

static int64_t sqdiff(int32_t a, int32_t b)
{
	int64_t t = sat32((int64_t)a - b);
	return t * t;
}

/* sat(round_half_up(sum / 2^k)) for 16 ≤ k ≤ 32. */
static int32_t sum_round(ml_sum s, unsigned k)
{
	int64_t hi = s.hi + (int64_t)(s.lo >> 32);
	uint64_t lo = s.lo & 0xffffffffu;
	/* |sum| ≥ 2^63 is far beyond Q16.16 whatever k is. */
	if (hi >= ((int64_t)1 << 31))
		return ML_Q_MAX;
	if (hi < -((int64_t)1 << 31))
		return ML_Q_MIN;
	return sat32(hi * ((int64_t)1 << (32 - k)) + (int64_t)((lo + ((uint64_t)1 << (k - 1))) >> k));
}

static int32_t dot_strided(const int32_t *a, size_t as, const int32_t *b, size_t bs, uint32_t n)
{
	ml_sum s = { 0, 0 };
	uint32_t i;
	for (i = 0; i < n; i++)
		sum_add(&s, (int64_t)a[i * as] * b[i * bs]);
	return sum_round(s, 16);
}

int32_t ml_dot(const int32_t *a, const int32_t *b, uint32_t n)
{
	ml_sum s = { 0, 0 };
	uint32_t i;
	for (i = 0; i < n; i++)
		sum_add(&s, (int64_t)a[i] * b[i]);
	return sum_round(s, 16);
}

void ml_matvec(const int32_t *w, const int32_t *x, const int32_t *bias, int32_t *out, uint32_t rows, uint32_t cols)
{
	uint32_t r;
	for (r = 0; r < rows; r++) {
		int64_t v = ml_dot(w + (size_t)r * cols, x, cols);
		if (bias)
			v += bias[r];
		out[r] = sat32(v);
	}
}

void ml_matTvec(const int32_t *w, const int32_t *d, int32_t *out, uint32_t rows, uint32_t cols)
{
	uint32_t c;
	for (c = 0; c < cols; c++)
		out[c] = dot_strided(w + c, cols, d, 1, rows);
}

static int32_t axpy1(int32_t y, int32_t x, int32_t alpha)
{
	return sat32(y + round16((int64_t)alpha * x));
}

void ml_axpy(int32_t *y, const int32_t *x, uint32_t n, int32_t alpha)
{
	uint32_t i;
	for (i = 0; i < n; i++)
		y[i] = axpy1(y[i], x[i], alpha);
}

/* One wide weight += round(a·x / 2^s) units of 2^-32 (exact a·x·2^-s for s < 0); half = 2^(s−1), or 0 when s ≤ 0. */
static void axpyWide1(int32_t *w, uint16_t *f, int32_t x, int32_t a, int32_t s, int64_t half)
{
	int64_t p = (int64_t)a * x; /* |p| < 2^46 */
	int64_t low = *f + (s < 0 ? p * ((int64_t)1 << -s) : fshr(p + half, (unsigned)s)); /* units of 2^-32 */
	int64_t v = *w + fshr(low, 16);
	if (v > ML_Q_MAX) {
		*f = 65535;
		*w = ML_Q_MAX;
	}
	else if (v < ML_Q_MIN) {
		*f = 0;
		*w = ML_Q_MIN;
	}
	else {
		*f = (uint16_t)(low & 0xffff);
		*w = (int32_t)v;
	}
}

void ml_axpyWide(int32_t *w, uint16_t *f, const int32_t *x, uint32_t n, int32_t a, int32_t s)
{
	int64_t half = s > 0 ? (int64_t)1 << (s - 1) : 0;
	if (a == 0)
		return;
	uint32_t i;
	for (i = 0; i < n; i++)
		axpyWide1(w + i, f + i, x[i], a, s, half);
}

/* round_half_up(e / 2^k) for −30 ≤ k ≤ 31 (a shift left when k ≤ 0). */
static int64_t round_shift(int64_t e, int k)
{
	if (k <= 0)
		return e * ((int64_t)1 << -k);
	return fshr(e + ((int64_t)1 << (k - 1)), (unsigned)k);
}

#define ML_STEP_MAX 32767

void ml_step(int32_t lr, int32_t g, int32_t out[2])
{
	int64_t e = (int64_t)lr * g; /* units of 2^-32 */
	int64_t ae = e < 0 ? -e : e;
	int64_t a;
	int b = 0, s;
	if (e == 0) {
		out[0] = 0;
		out[1] = 0;
		return;
	}
	while (b < 62 && ((int64_t)1 << b) <= ae)
		b++; /* bit length: ae in [2^(b-1), 2^b) */
	s = 31 - b;
	if (s >= -15) {
		a = round_shift(e, 16 - s);
		if (a > ML_STEP_MAX || a < -ML_STEP_MAX) {
			s--;
			if (s >= -15)
				a = round_shift(e, 16 - s);
		}
		if (s >= -15) {
			out[0] = (int32_t)a;
			out[1] = s;
			return;
		}
	}
	out[0] = e > 0 ? ML_STEP_MAX : -ML_STEP_MAX;
	out[1] = -15;
}

void ml_gerWide(int32_t *w, uint16_t *f, uint32_t rows, uint32_t cols, const int32_t *d, const int32_t *x, int32_t lr)
{
	uint32_t r;
	int32_t st[2];
	for (r = 0; r < rows; r++) {
		ml_step(lr, d[r], st);
		if (st[0] != 0)
			ml_axpyWide(w + (size_t)r * cols, f + (size_t)r * cols, x, cols, st[0], st[1]);
	}
}

static int32_t scale1(int32_t y, int32_t alpha)
{
	return sat32(round16((int64_t)alpha * y));
}

void ml_scale(int32_t *y, uint32_t n, int32_t alpha)
{
	uint32_t i;
	for (i = 0; i < n; i++)
		y[i] = scale1(y[i], alpha);
}

int32_t ml_sqdist(const int32_t *a, const int32_t *b, uint32_t n, int32_t shift)
{
	ml_sum s = { 0, 0 };
	uint32_t i;
	for (i = 0; i < n; i++)
		sum_add(&s, sqdiff(a[i], b[i]));
	return sum_round(s, 16 + (unsigned)shift);
}

void ml_sqdistMany(const int32_t *data, uint32_t rows, uint32_t cols, const int32_t *x, int32_t shift, int32_t *out)
{
	uint32_t r;
	for (r = 0; r < rows; r++)
		out[r] = ml_sqdist(data + (size_t)r * cols, x, cols, shift);
}

static void welford1(int32_t *mean, uint16_t *meanF, int32_t *varI, uint32_t *varF, int32_t *varR, int32_t x, int64_t count)
{
	int64_t c = count > ML_WELFORD_COUNT_CAP ? ML_WELFORD_COUNT_CAP : count;
	int64_t half = c / 2;
	int64_t xx = (int64_t)x * 65536; /* units of 2^-32 */
	int64_t m = (int64_t)*mean * 65536 + *meanF;
	int64_t d1 = xx - m;
	int64_t m2 = m + round_div(d1, c);
	int64_t d2, a, b, ah, al, bh, bl, t, hi, lo, k, qa, rest, qb, r, vi, vf;
	if (m2 > TWO47 - 1)
		m2 = TWO47 - 1;
	else if (m2 < -TWO47)
		m2 = -TWO47;
	d2 = xx - m2;
	/* P = a·b (units of 2^-32) = ah·bh·2^32 + t, with a, b the deviations in Q16.16. */
	a = sat32(round16(d1));
	b = sat32(round16(d2));
	ah = fshr(a, 16);
	al = a & 0xffff;
	bh = fshr(b, 16);
	bl = b & 0xffff;
	t = (ah * bl + al * bh) * 65536 + al * bl;
	/* V' + R'/c = V + (P − V + R)/c with V' = V + round(N / c), N = P − V + R,
	   V = varI·2^32 + varF, R the carried remainder (ignored when c = 1: a
	   fresh start). |P − V| reaches 2^63, so N + c/2 is held as hi·2^32 + lo
	   (0 ≤ lo < 2^32) and divided by c in two exact steps, as in the TypeScript. */
	hi = ah * bh - *varI;
	lo = t - (int64_t)*varF + (c > 1 ? (int64_t)*varR : 0) + half;
	k = fshr(lo, 32);
	hi += k;
	lo -= k * ((int64_t)1 << 32);
	qa = floor_div(hi, c);
	rest = (hi - qa * c) * ((int64_t)1 << 32) + lo; /* 0 ≤ rest < c·2^32 ≤ 2^51 */
	qb = floor_div(rest, c);
	r = rest - qb * c - half;
	vi = *varI + qa;
	vf = (int64_t)*varF + qb;
	k = fshr(vf, 32);
	vi += k;
	vf -= k * ((int64_t)1 << 32);
	if (vi < 0) {
		vi = 0;
		vf = 0;
		r = 0;
	}
	else if (vi > ML_Q_MAX) {
		vi = ML_Q_MAX;
		vf = 0xffffffff;
		r = 0;
	}
	*mean = (int32_t)fshr(m2, 16);
	*meanF = (uint16_t)(m2 & 0xffff);
	*varI = (int32_t)vi;
	*varF = (uint32_t)vf;
	*varR = (int32_t)r;
}

void ml_welford(int32_t *mean, uint16_t *meanF, int32_t *varI, uint32_t *varF, int32_t *varR, const int32_t *x, uint32_t n, int64_t count)
{
	uint32_t i;
	for (i = 0; i < n; i++)
		welford1(mean + i, meanF + i, varI + i, varF + i, varR + i, x[i], count);
}

uint32_t ml_argmin(const int32_t *a, uint32_t n)
{
	uint32_t best = 0, i;
	int32_t v;
	if (n == 0)
		return 0;
	v = a[0];
	for (i = 1; i < n; i++) {
		if (a[i] < v) {
			v = a[i];
			best = i;
		}
	}
	return best;
}

uint32_t ml_argmax(const int32_t *a, uint32_t n)
{
	uint32_t best = 0, i;
	int32_t v;
	if (n == 0)
		return 0;
	v = a[0];
	for (i = 1; i < n; i++) {
		if (a[i] > v) {
			v = a[i];
			best = i;
		}
	}
	return best;
}

/* round(√n) for n < 2^54, digit by digit (no floating point). */
static uint64_t isqrt_round(uint64_t n)
{
	uint64_t rem = n, root = 0, bit = (uint64_t)1 << 52;
	while (bit > rem)
		bit >>= 2;
	while (bit) {
		if (rem >= root + bit) {
			rem -= root + bit;
			root = (root >> 1) + bit;
		}
		else
			root >>= 1;
		bit >>= 2;
	}
	return rem > root ? root + 1 : root; /* n − r² > r ⇔ √n > r + 1/2 */
}

/* √(V·2^-32) in units of 2^-24 for 0 ≤ V < 2^63 (see ml_gerAdam). */
static int64_t sqrt_moment(uint64_t v)
{
	unsigned j = 0;
	if (v < ((uint64_t)1 << 36))
		return (int64_t)isqrt_round(v << 16);
	for (j = 1;; j++) {
		uint64_t n = 2 * j <= 16 ? v << (16 - 2 * j) : v >> (2 * j - 16);
		if (2 * j <= 16 && v >= ((uint64_t)1 << (36 + 2 * j)))
			continue;
		if (n < ((uint64_t)1 << 52))
			return (int64_t)isqrt_round(n) << j;
	}
}

static void adam1(int32_t *w, uint16_t *f, int32_t *m, uint16_t *mf, int32_t *vI, uint32_t *vF, int32_t g, int32_t a, int32_t k, int32_t e, int32_t b1, int32_t b2)
{
	int64_t M, YH, yh, lo, hi, carry, S, D, U, delta, W, wh;
	uint64_t ga = g < 0 ? (uint64_t)(-(int64_t)g) : (uint64_t)g;
	uint64_t P = ga * ga; /* ≤ 2^62, units of 2^-32 */
	uint64_t YL, A, N, q, r;
	/* first moment, units of 2^-32 */
	if (m) {
		M = (int64_t)b1 * *m + (int64_t)(65536 - b1) * g + (((int64_t)b1 * *mf + 32768) >> 16);
		*m = (int32_t)fshr(M, 16);
		*mf = (uint16_t)(M & 0xffff);
	}
	else
		M = (int64_t)g * 65536;
	/* second moment: (b2·V + c2·P) / 2^16 rounded, as hi·2^32 + lo */
	YH = (int64_t)b2 * *vI + (int64_t)(65536 - b2) * (int64_t)(P >> 32);
	YL = (uint64_t)b2 * *vF + (uint64_t)(65536 - b2) * (P & 0xffffffffu);
	yh = fshr(YH, 16);
	lo = (YH - yh * 65536) * 65536 + (int64_t)((YL + 32768) >> 16);
	carry = lo >> 32; /* lo ≥ 0 */
	hi = yh + carry;
	lo -= carry * ((int64_t)1 << 32);
	*vI = (int32_t)hi;
	*vF = (uint32_t)lo;
	S = hi < 0 || (hi == 0 && lo == 0) ? 0 : sqrt_moment((uint64_t)hi << 32 | (uint64_t)lo);
	D = S + e;
	if (D < 1)
		D = 1;
	/* U = sat(round(M·2^16 / D)), |M| ≤ 2^47 */
	A = M < 0 ? (uint64_t)(-M) : (uint64_t)M;
	N = A << 16;
	q = N / (uint64_t)D;
	r = N % (uint64_t)D;
	if (M >= 0) {
		q += 2 * r >= (uint64_t)D;
		U = q > (uint64_t)ML_Q_MAX ? ML_Q_MAX : (int64_t)q;
	}
	else {
		q += 2 * r > (uint64_t)D;
		U = q > (uint64_t)1 << 31 ? ML_Q_MIN : -(int64_t)q;
	}
	delta = k == 0 ? a * U : fshr(a * U + ((int64_t)1 << (k - 1)), (unsigned)k);
	W = (int64_t)*w * 65536 + *f + delta;
	wh = fshr(W, 16);
	if (wh > ML_Q_MAX) {
		*f = 65535;
		*w = ML_Q_MAX;
	}
	else if (wh < ML_Q_MIN) {
		*f = 0;
		*w = ML_Q_MIN;
	}
	else {
		*f = (uint16_t)(W & 0xffff);
		*w = (int32_t)wh;
	}
}

void ml_gerAdam(int32_t *w, uint16_t *f, int32_t *m, uint16_t *mf, int32_t *vI, uint32_t *vF, uint32_t rows, uint32_t cols,
	const int32_t *d, const int32_t *x, int32_t a, int32_t k, int32_t e, int32_t b1, int32_t b2)
{
	uint32_t r, c;
	for (r = 0; r < rows; r++) {
		int32_t dr = d[r]; /* read once per row, as the TypeScript does */
		for (c = 0; c < cols; c++) {
			size_t j = (size_t)r * cols + c;
			adam1(w + j, f + j, m ? m + j : NULL, m ? mf + j : NULL, vI + j, vF + j, scale1(dr, x[c]), a, k, e, m ? b1 : 0, b2);
		}
	}
}

/* ---- element-level building blocks (see the header) ---- */

void ml_sum_product(ml_sum *s, int32_t a, int32_t b)
{
	sum_add(s, (int64_t)a * b);
}

void ml_sum_sqdiff(ml_sum *s, int32_t a, int32_t b)
{
	sum_add(s, sqdiff(a, b));
}

int32_t ml_sum_round(const ml_sum *s, int32_t shift)
{
	return sum_round(*s, 16 + (unsigned)shift);
}

int32_t ml_sat(int64_t v)
{
	return sat32(v);
}

int32_t ml_axpy1(int32_t y, int32_t x, int32_t alpha)
{
	return axpy1(y, x, alpha);
}

int32_t ml_scale1(int32_t y, int32_t alpha)
{
	return scale1(y, alpha);
}

void ml_axpyWide1(int32_t *w, uint16_t *f, int32_t x, int32_t a, int32_t s)
{
	axpyWide1(w, f, x, a, s, s > 0 ? (int64_t)1 << (s - 1) : 0);
}

void ml_welford1(int32_t *mean, uint16_t *meanF, int32_t *varI, uint32_t *varF, int32_t *varR, int32_t x, int64_t count)
{
	welford1(mean, meanF, varI, varF, varR, x, count);
}

/* ---- sigmoid, tanh, input conversion, the fused linear step ---------------- */

/* The 56 cubics of src/fixed.ts (bench/gen-sigmoid-table.mjs), Q28, four per quarter of [0, 14). */
static const int32_t SIGMOID_T[224] = {
	134217720, 16777482, -1217, -85892, 150908078, 16518649, -261017, -75586,
	167090115, 15772098, -489102, -57508, 182315600, 14624077, -661975, -35703,
	196242003, 13195682, -768595, -14286, 208654811, 11617877, -810449, 3708,
	219465956, 10009738, -798153, 16779, 228694327, 8464773, -746736, 24791,
	236437161, 7046140, -671511, 28486, 242840280, 5788641, -585464, 28975,
	248072435, 4704444, -498182, 27376, 252306075, 3789866, -415879, 24614,
	255704677, 3031547, -341986, 21365, 258415602, 2411260, -277916, 18074,
	260567020, 1909265, -223762, 14998, 262267520, 1506393, -178854, 12265,
	263607324, 1185187, -142147, 9920, 264660283, 930407, -112470, 7954,
	265486174, 729127, -88680, 6337, 266132957, 570613, -69733, 5023,
	266638859, 446083, -54717, 3966, 267034191, 348440, -42864, 3121,
	267342888, 271992, -33535, 2451, 267583796, 212210, -26210, 1921,
	267771717, 165501, -20469, 1504, 267918253, 129033, -15976, 1176,
	268032486, 100577, -12463, 918, 268121518, 78381, -9719, 717,
	268190898, 61075, -7577, 559, 268244956, 47584, -5905, 436,
	268287071, 37070, -4602, 340, 268319879, 28878, -3586, 265,
	268345436, 22494, -2794, 207, 268365343, 17521, -2176, 161,
	268380849, 13647, -1695, 125, 268392926, 10629, -1321, 98,
	268402333, 8279, -1029, 76, 268409659, 6448, -801, 59,
	268415365, 5022, -624, 46, 268419809, 3911, -486, 36,
	268423270, 3046, -379, 28, 268425965, 2372, -295, 22,
	268428064, 1848, -230, 17, 268429699, 1439, -179, 13,
	268430973, 1121, -139, 10, 268431964, 873, -108, 8,
	268432737, 680, -84, 6, 268433338, 529, -66, 5,
	268433807, 412, -51, 4, 268434172, 321, -40, 3,
	268434456, 250, -31, 2, 268434677, 195, -24, 2,
	268434849, 152, -19, 1, 268434983, 118, -15, 1,
	268435088, 92, -11, 1, 268435169, 72, -9, 1,
};

/* σ(x)·2^28 for 0 ≤ x < 14·2^16: Horner steps acc·t / 2^15 floored, t the position in the quarter (Q15). */
static int64_t sigmoid28(int64_t x)
{
	const int32_t *c = SIGMOID_T + ((x >> 14) << 2);
	int64_t t = (x & 16383) << 1;
	int64_t acc = c[3];
	acc = c[2] + fshr(acc * t, 15);
	acc = c[1] + fshr(acc * t, 15);
	return c[0] + fshr(acc * t, 15);
}

int32_t ml_sigmoid(int32_t x)
{
	int64_t ax = x < 0 ? -(int64_t)x : x;
	int64_t v = ax >= 786432 ? 65536 : fshr(sigmoid28(ax) + 2048, 12);
	return (int32_t)(x < 0 ? 65536 - v : v);
}

int32_t ml_tanh(int32_t x)
{
	int64_t ax = x < 0 ? -(int64_t)x : x;
	int64_t v = ax >= 458752 ? 65536 : fshr(2 * sigmoid28(2 * ax) - 268435456 + 2048, 12);
	return (int32_t)(x < 0 ? -v : v);
}

int ml_fromDouble(double v, int32_t *q)
{
	double t = v * 65536.0 + 2147483648.5; /* v·65536 is exact, so one rounding, as in JavaScript */
	if (!(t >= 0.0 && t < 4294967296.0))
		return 0;
	*q = (int32_t)((int64_t)t - ((int64_t)1 << 31)); /* t ≥ 0: the conversion truncates, i.e. floors */
	return 1;
}

int ml_fromRaw(double v, uint32_t s, uint32_t e, int64_t lim, int32_t *q)
{
	double y;
	int64_t t;
	if (!(v < 2147483648.0 && v > -2147483648.0) || e > 63)
		return 0;
	/* one product by the exact power of two 2^(s−e), as in JavaScript */
	y = v * ((double)((uint64_t)1 << s) / (double)((uint64_t)1 << e));
	if (!(y < 2147483648.0 && y > -2147483648.0))
		return 0;
	t = (int64_t)y; /* truncates */
	if ((double)t > y)
		t -= 1;
	if (y - (double)t >= 0.5)
		t += 1;
	if (t >= lim || t <= -lim)
		return 0;
	*q = (int32_t)t;
	return 1;
}

int32_t ml_toRaw(const double *x, uint32_t n, uint32_t s, const uint8_t *exps, uint32_t ne, int64_t lim, int32_t *out)
{
	uint32_t i;
	for (i = 0; i < n; i++)
		if (!ml_fromRaw(x[i], s, exps[ne == 1 ? 0 : i], lim, out + i))
			return (int32_t)i;
	return -1;
}

void ml_sgdLinear(int32_t *w, uint16_t *f, const int32_t *x, uint32_t n, int32_t y, int32_t lr, int32_t l2, int32_t link)
{
	int32_t z = sat32((int64_t)ml_dot(w, x, n) + w[n]);
	int32_t p = link == 1 ? ml_sigmoid(z) : z;
	int32_t g = sat32((int64_t)y - p);
	int32_t st[2];
	if (l2 != 0) {
		ml_step(lr, -l2, st);
		if (st[0] != 0)
			ml_axpyWide(w, f, w, n, st[0], st[1]);
	}
	ml_step(lr, g, st);
	if (st[0] != 0) {
		static const int32_t one = 65536;
		ml_axpyWide(w, f, x, n, st[0], st[1]);
		ml_axpyWide(w + n, f + n, &one, 1, st[0], st[1]);
	}
}

void ml_stepRecip(uint32_t c, int32_t out[4])
{
	uint32_t b = 1; /* bit length of c */
	uint32_t k;
	uint64_t e;
	while (b < 32 && ((uint64_t)1 << b) <= c)
		b++;
	k = b + 28 < 51 ? b + 28 : 51;
	e = (((uint64_t)1 << (k + 1)) + c) / (2 * (uint64_t)c); /* < 2^29 */
	out[0] = (int32_t)(e >> 15);
	out[1] = (int32_t)k - 31;
	out[2] = (int32_t)(e & 32767);
	out[3] = (int32_t)k - 16;
}

int32_t ml_kmeansNearest(const int32_t *c, uint32_t rows, uint32_t n, const int32_t *x, int32_t *dist)
{
	int32_t shift;
	for (shift = 0; shift <= 16; shift += 8) {
		uint32_t b;
		ml_sqdistMany(c, rows, n, x, shift, dist);
		b = ml_argmin(dist, rows);
		if (dist[b] != ML_Q_MAX)
			return (int32_t)b;
	}
	return -1;
}

void ml_kmeansLearn(int32_t *c, uint16_t *cf, uint32_t *counts, uint32_t k, uint32_t n, const int32_t *x, int32_t decay, int32_t *work)
{
	int32_t st[4];
	int32_t j = ml_kmeansNearest(c, k, n, x, work);
	uint32_t cnt, i;
	size_t o;
	if (j < 0)
		return;
	cnt = counts[j] < 0xFFFFFFFFu ? counts[j] + 1 : 0xFFFFFFFFu;
	counts[j] = cnt;
	o = (size_t)j * n;
	for (i = 0; i < n; i++)
		work[k + i] = sat32((int64_t)x[i] - c[o + i] - (cf[o + i] > 32768 ? 1 : 0));
	if (decay > 0 && (uint64_t)cnt * (uint64_t)decay >= 65536) {
		ml_step(decay, 65536, st);
		st[2] = 0;
	}
	else
		ml_stepRecip(cnt, st);
	ml_axpyWide(c + o, cf + o, work + k, n, st[0], st[1]);
	if (st[2] != 0)
		ml_axpyWide(c + o, cf + o, work + k, n, st[2], st[3]);
}

void ml_denseForward(const int32_t *w, const int32_t *x, const int32_t *b, int32_t *z, int32_t *a, uint32_t rows, uint32_t cols, int32_t act)
{
	uint32_t i;
	ml_matvec(w, x, b, z, rows, cols);
	for (i = 0; i < rows; i++) {
		int32_t v = z[i];
		a[i] = act == 0 ? (v > 0 ? v : 0) : act == 1 ? ml_tanh(v) : act == 2 ? ml_sigmoid(v) : v;
	}
}

void ml_denseBackward(const int32_t *w, const int32_t *g, int32_t *gp, const int32_t *ap, const int32_t *zp, uint32_t rows, uint32_t cols, int32_t act)
{
	uint32_t i;
	ml_matTvec(w, g, gp, rows, cols);
	for (i = 0; i < cols; i++) {
		int32_t av = ap[i];
		int32_t d = act == 0 ? (zp[i] > 0 ? 65536 : 0) : act == 1 ? 65536 - ml_mul(av, av) : act == 2 ? ml_mul(av, sat32((int64_t)65536 - av)) : 65536;
		if (d != 65536)
			gp[i] = ml_mul(gp[i], d);
	}
}

/* ---- signal kernels (see the header and src/kernels.ts) ---- */

uint32_t ml_ringWrite(int32_t *ring, uint32_t n, uint32_t pos, const int32_t *src, uint32_t stride, uint32_t count)
{
	uint32_t p = pos, i;
	size_t si = 0;
	for (i = 0; i < count; i++) {
		ring[p] = src[si];
		si += stride;
		if (++p == n)
			p = 0;
	}
	return p;
}

/* round half up of v / 2^k, k ≥ 1 */
static int64_t shr_round(int64_t v, unsigned k)
{
	return fshr(v + ((int64_t)1 << (k - 1)), k);
}

/* v as int32 the way a TypedArray store converts it (modulo 2^32) */
static int32_t wrap32(int64_t v)
{
	return (int32_t)(uint32_t)(uint64_t)v;
}

void ml_winStats(const int32_t *ring, uint32_t n, uint32_t pos, int32_t bits, int32_t *re, int32_t *im, int32_t out[7])
{
	int64_t sum = 0, mean, dmax, s1 = 0, s2 = 0;
	uint64_t sq = 0;
	int32_t mn = ring[0], mx = ring[0];
	int b = 0, prev = 0;
	uint32_t i, zc = 0;
	for (i = 0; i < n; i++) {
		int32_t v = ring[i];
		sum += v;
		if (v < mn)
			mn = v;
		if (v > mx)
			mx = v;
	}
	mean = floor_div(2 * sum + n, 2 * (int64_t)n);
	dmax = (int64_t)mx - mean > mean - mn ? (int64_t)mx - mean : mean - mn;
	if (dmax > 0) {
		while (dmax >= 8388608) {
			dmax >>= 1;
			b++;
		}
		while (dmax < 4194304) {
			dmax *= 2;
			b--;
		}
	}
	for (i = 0; i < n; i++) {
		uint32_t k = pos + i < n ? pos + i : pos + i - n; /* time order */
		int64_t d = (int64_t)ring[k] - mean, r, q;
		int p = d >= 0;
		r = b > 0 ? shr_round(d, (unsigned)b) : b < 0 ? d * ((int64_t)1 << -b) : d;
		re[k] = (int32_t)r;
		im[k] = 0;
		if (i > 0 && p != prev)
			zc++;
		prev = p;
		sq += (uint64_t)(r * r);
		q = shr_round(r, 13);
		s1 += q * q;
		s2 += q * q * q * q;
	}
	out[0] = (int32_t)mean;
	out[1] = mn;
	out[2] = mx;
	out[3] = b;
	out[4] = (int32_t)zc;
	out[5] = sat32((int64_t)((sq + ((uint64_t)1 << (15 + bits))) >> (16 + bits)));
	if (s1 == 0)
		out[6] = 0;
	else {
		int64_t q1 = s2 / s1; /* both ≥ 0 */
		out[6] = sat32(floor_div(2 * (int64_t)n * q1 * 65536 + s1, 2 * s1));
	}
}

/* round(a·b / 2^16), saturated: a twiddle (|a| ≤ 2^16) times an int32 */
static int64_t mul_q(int32_t a, int32_t b)
{
	return sat32(fshr((int64_t)a * b + 32768, 16));
}

void ml_fft(int32_t *re, int32_t *im, uint32_t n, uint32_t bits, const int32_t *cos, const int32_t *sin)
{
	uint32_t i, size;
	for (i = 0; i < n; i++) {
		uint32_t r = 0, v = i, bb;
		for (bb = 0; bb < bits; bb++) {
			r = r * 2 + (v & 1);
			v >>= 1;
		}
		if (r > i) {
			int32_t t = re[i];
			re[i] = re[r];
			re[r] = t;
			t = im[i];
			im[i] = im[r];
			im[r] = t;
		}
	}
	for (size = 2; size <= n; size *= 2) {
		uint32_t half = size / 2, stride = n / size, start, k;
		for (start = 0; start < n; start += size) {
			for (k = 0; k < half; k++) {
				int32_t wr = cos[k * stride], wi = -sin[k * stride];
				uint32_t a = start + k, b = a + half;
				int64_t tr = mul_q(wr, re[b]) - mul_q(wi, im[b]);
				int64_t ti = mul_q(wr, im[b]) + mul_q(wi, re[b]);
				int64_t ar = re[a], ai = im[a];
				re[a] = wrap32(fshr(ar + tr + 1, 1));
				im[a] = wrap32(fshr(ai + ti + 1, 1));
				re[b] = wrap32(fshr(ar - tr + 1, 1));
				im[b] = wrap32(fshr(ai - ti + 1, 1));
			}
		}
	}
}

int32_t ml_centroid(const int32_t *re, const int32_t *im, uint32_t lo, uint32_t hi)
{
	int64_t w = 0, s = 0, q, r;
	uint32_t k;
	for (k = lo; k < hi; k++) {
		int64_t a = re[k], b = im[k];
		uint64_t p = ((uint64_t)(a * a) + (uint64_t)(b * b) + 32768) >> 16;
		if (p > ((uint64_t)1 << 30))
			p = (uint64_t)1 << 30;
		s += (int64_t)p;
		w += (int64_t)k * (int64_t)p;
	}
	if (s == 0)
		return 0;
	while (s >= ((int64_t)1 << 31)) {
		w >>= 1;
		s >>= 1;
	}
	q = w / s;
	r = w - q * s;
	return sat32(q * 65536 + floor_div(2 * r * 65536 + s, 2 * s));
}

int32_t ml_analytic(int32_t *re, int32_t *im, uint32_t n, uint32_t lo, uint32_t hi)
{
	int64_t m = 0;
	int s = 0;
	uint32_t k;
	for (k = 0; k < n; k++) {
		if (k < lo || k >= hi) {
			re[k] = 0;
			im[k] = 0;
		}
		else {
			int64_t a = re[k] < 0 ? -(int64_t)re[k] : re[k];
			int64_t b = im[k] < 0 ? -(int64_t)im[k] : im[k];
			if (a > m)
				m = a;
			if (b > m)
				m = b;
		}
	}
	if (m == 0)
		return 0;
	while (m >= 8388608) {
		m >>= 1;
		s++;
	}
	while (m < 4194304) {
		m *= 2;
		s--;
	}
	for (k = lo; k < hi; k++) {
		int64_t a = re[k], b = -(int64_t)im[k];
		re[k] = wrap32(s > 0 ? shr_round(a, (unsigned)s) : a * ((int64_t)1 << -s));
		im[k] = wrap32(s > 0 ? shr_round(b, (unsigned)s) : b * ((int64_t)1 << -s));
	}
	return s;
}

void ml_magnitude(const int32_t *re, const int32_t *im, uint32_t n, int32_t *out)
{
	uint32_t i;
	for (i = 0; i < n; i++) {
		int64_t a = re[i] < 0 ? -(int64_t)re[i] : re[i];
		int64_t b = im[i] < 0 ? -(int64_t)im[i] : im[i];
		unsigned c = 0;
		while (a >= 67108864 || b >= 67108864) {
			a >>= 1;
			b >>= 1;
			c++;
		}
		out[i] = sat32((int64_t)(isqrt_round((uint64_t)(a * a + b * b)) << c));
	}
}

void ml_adam1(int32_t *w, uint16_t *f, int32_t *m, uint16_t *mf, int32_t *vI, uint32_t *vF, int32_t g, int32_t a, int32_t k, int32_t e, int32_t b1, int32_t b2)
{
	adam1(w, f, m, mf, vI, vF, g, a, k, e, m ? b1 : 0, b2);
}

int32_t ml_mul(int32_t a, int32_t b)
{
	return scale1(a, b);
}
