/*
 * xs_microlearn.c — XS host functions for the microlearn C kernels.
 *
 * Each xs_microlearn_<name> takes exactly the arguments of the TypeScript
 * kernel <name> in src/kernels.ts (typed arrays, offsets, lengths, Q16.16
 * scalars), checks them, and calls ml_<name> from microlearn_kernels.c.
 * mlxs_register_natives() publishes them as globalThis.__microlearnNative,
 * where src/kernels.ts finds them; on a Moddable device the module
 * native/xs/microlearn-native.ts binds the same functions by name.
 *
 * Typed arrays. xsmcGetBufferReadable/Writable accept only ArrayBuffers,
 * DataViews and 1-byte typed arrays, and reading `buffer`, `byteOffset` and
 * `length` through their getters would cost more than a short kernel. So,
 * like Moddable's own structuredClone and deepEqual modules, this file reads
 * the typed-array slots directly (xsAll.h): the exact element type is
 * checked through the view's type dispatch, and the length honours
 * length-tracking views on resizable buffers. Buffer memory can move during a
 * garbage collection, so every data pointer is taken after all checks, right
 * before the kernel runs, and nothing in between can allocate.
 *
 * Checks: each array must be an Int32Array (Uint16Array or Uint32Array for
 * fraction arrays, as in src/kernels.ts) on a live buffer, writable where the
 * kernel writes; numbers must be integral and in range (no conversion that
 * could run user code); every element a kernel touches must be inside its
 * array (RangeError otherwise);
 * typed arrays of different types used by the same call must not overlap
 * (C compilers may assume they do not).
 */
#include "xsAll.h"
#include "xsmc.h"

#include "microlearn_kernels.h"

/* One typed-array argument, resolved to its slots (no pointers yet). */
typedef struct {
	txSlot* view;         /* holds the byte offset */
	txSlot* arrayBuffer;  /* holds the data address */
	uint32_t length;      /* in elements */
	unsigned size;        /* bytes per element */
	uint32_t first;       /* elements [first, first + count) are used */
	uint32_t count;
} mlArray;

#define ML_I32 0
#define ML_U16 1
#define ML_U32 2
#define ML_U8 3

static const char* const mlTypeNames[4] = { "an Int32Array", "a Uint16Array", "a Uint32Array", "a Uint8Array" };
static const txID mlTypeIDs[4] = { _Int32Array, _Uint16Array, _Uint32Array, _Uint8Array };

/* Every argument must be there (extra ones are ignored, as in JS). */
static void mlArgs(txMachine* the, const char* kernel, txInteger count)
{
	if (mxArgc < count)
		mxTypeError("%s: expected %d arguments, got %d", kernel, (int)count, (int)mxArgc);
}

/* An integral number in [lo, hi]; no coercion (valueOf could run user code). */
static int64_t mlNumber(txMachine* the, txInteger i, int64_t lo, int64_t hi, const char* kernel, const char* name)
{
	txSlot* slot = &xsArg(i);
	int64_t v;
	if (slot->kind == XS_INTEGER_KIND)
		v = slot->value.integer;
	else if (slot->kind == XS_NUMBER_KIND) {
		txNumber d = slot->value.number;
		if (!(d >= (txNumber)lo && d <= (txNumber)hi))
			mxRangeError("%s: %s out of range", kernel, name);
		v = (int64_t)d;
		if ((txNumber)v != d)
			mxRangeError("%s: %s is not an integer", kernel, name);
	}
	else
		mxTypeError("%s: %s must be a number", kernel, name);
	if (v < lo || v > hi)
		mxRangeError("%s: %s out of range", kernel, name);
	return v;
}

#define ML_MAX_SAFE_INTEGER (((int64_t)1 << 53) - 1)
#define mlInt32(I, K, N) ((int32_t)mlNumber(the, I, INT32_MIN, INT32_MAX, K, N))
#define mlIndex(I, K, N) ((uint32_t)mlNumber(the, I, 0, 0xFFFFFFFF, K, N))

/* Resolves argument i as a typed array of the given type. */
static void mlTyped(txMachine* the, txInteger i, int type, int writable, mlArray* out, const char* kernel, const char* name)
{
	txSlot* slot = &xsArg(i);
	txSlot* ta;
	txSlot* buffer;
	txInteger bytes;
	if (slot->kind != XS_REFERENCE_KIND)
		goto bail;
	ta = slot->value.reference->next;
	if (!ta || ta->kind != XS_TYPED_ARRAY_KIND)
		goto bail;
	if (ta->value.typedArray.dispatch->constructorID != mlTypeIDs[type])
		goto bail;
	out->view = ta->next;
	buffer = out->view->next;
	out->arrayBuffer = buffer->value.reference->next;
	if (out->arrayBuffer->value.arrayBuffer.address == C_NULL)
		mxTypeError("%s: %s: detached buffer", kernel, name);
	if (writable && (out->arrayBuffer->flag & XS_DONT_SET_FLAG))
		mxTypeError("%s: %s: read-only buffer", kernel, name);
	bytes = fxGetDataViewSize(the, out->view, buffer); /* 0 for an out-of-bounds view */
	out->size = type == ML_U16 ? 2 : type == ML_U8 ? 1 : 4;
	out->length = (uint32_t)bytes / out->size;
	out->first = 0;
	out->count = 0;
	return;
bail:
	mxTypeError("%s: %s must be %s", kernel, name, mlTypeNames[type]);
}

/* Records that elements [first, first + count) are used; RangeError unless they exist. */
static void mlUse(txMachine* the, mlArray* a, uint64_t first, uint64_t count, const char* kernel, const char* name)
{
	if (first + count > a->length)
		mxRangeError("%s: %s: elements %lu..%lu are past its length %lu", kernel, name, (unsigned long)first,
			(unsigned long)(first + count), (unsigned long)a->length);
	a->first = (uint32_t)first;
	a->count = (uint32_t)count;
}

static txByte* mlStart(mlArray* a)
{
	return a->arrayBuffer->value.arrayBuffer.address + a->view->value.dataView.offset;
}

/* Pointer to the first used element; call only after every check. */
static int32_t* mlI32(mlArray* a)
{
	return (int32_t*)(void*)mlStart(a) + a->first;
}

static uint16_t* mlU16(mlArray* a)
{
	return (uint16_t*)(void*)mlStart(a) + a->first;
}

static uint32_t* mlU32(mlArray* a)
{
	return (uint32_t*)(void*)mlStart(a) + a->first;
}

static uint8_t* mlU8(mlArray* a)
{
	return (uint8_t*)mlStart(a) + a->first;
}

/* Regions of arrays of different element types must not share bytes (strict aliasing in C). */
static void mlDisjoint(txMachine* the, mlArray* a, mlArray* b, const char* kernel)
{
	txByte* pa = mlStart(a) + (size_t)a->first * a->size;
	txByte* pb = mlStart(b) + (size_t)b->first * b->size;
	size_t na = (size_t)a->count * a->size, nb = (size_t)b->count * b->size;
	if (na && nb && pa < pb + nb && pb < pa + na)
		mxRangeError("%s: typed arrays of different types overlap", kernel);
}

/* rows × cols as elements, RangeError when it cannot be an array length. */
static uint64_t mlArea(txMachine* the, uint32_t rows, uint32_t cols, const char* kernel)
{
	uint64_t n = (uint64_t)rows * cols;
	if (n > 0xFFFFFFFFu)
		mxRangeError("%s: rows × cols too large", kernel);
	return n;
}

/* dot(a, ao, b, bo, n) */
void xs_microlearn_dot(txMachine* the)
{
	static const char K[] = "dot";
	mlArray a, b;
	uint32_t ao, bo, n;
	mlArgs(the, K, 5);
	mlTyped(the, 0, ML_I32, 0, &a, K, "a");
	ao = mlIndex(1, K, "ao");
	mlTyped(the, 2, ML_I32, 0, &b, K, "b");
	bo = mlIndex(3, K, "bo");
	n = mlIndex(4, K, "n");
	mlUse(the, &a, ao, n, K, "a");
	mlUse(the, &b, bo, n, K, "b");
	xsmcSetInteger(xsResult, ml_dot(mlI32(&a), mlI32(&b), n));
}

/* matvec(w, x, xo, bias, out, rows, cols) */
void xs_microlearn_matvec(txMachine* the)
{
	static const char K[] = "matvec";
	mlArray w, x, bias, out;
	uint32_t xo, rows, cols;
	int hasBias;
	mlArgs(the, K, 7);
	mlTyped(the, 0, ML_I32, 0, &w, K, "w");
	mlTyped(the, 1, ML_I32, 0, &x, K, "x");
	xo = mlIndex(2, K, "xo");
	hasBias = xsArg(3).kind != XS_NULL_KIND;
	if (hasBias)
		mlTyped(the, 3, ML_I32, 0, &bias, K, "bias");
	mlTyped(the, 4, ML_I32, 1, &out, K, "out");
	rows = mlIndex(5, K, "rows");
	cols = mlIndex(6, K, "cols");
	mlUse(the, &w, 0, mlArea(the, rows, cols, K), K, "w");
	mlUse(the, &x, xo, cols, K, "x");
	if (hasBias)
		mlUse(the, &bias, 0, rows, K, "bias");
	mlUse(the, &out, 0, rows, K, "out");
	ml_matvec(mlI32(&w), mlI32(&x), hasBias ? mlI32(&bias) : NULL, mlI32(&out), rows, cols);
}

/* matTvec(w, d, out, rows, cols) */
void xs_microlearn_matTvec(txMachine* the)
{
	static const char K[] = "matTvec";
	mlArray w, d, out;
	uint32_t rows, cols;
	mlArgs(the, K, 5);
	mlTyped(the, 0, ML_I32, 0, &w, K, "w");
	mlTyped(the, 1, ML_I32, 0, &d, K, "d");
	mlTyped(the, 2, ML_I32, 1, &out, K, "out");
	rows = mlIndex(3, K, "rows");
	cols = mlIndex(4, K, "cols");
	mlUse(the, &w, 0, mlArea(the, rows, cols, K), K, "w");
	mlUse(the, &d, 0, rows, K, "d");
	mlUse(the, &out, 0, cols, K, "out");
	ml_matTvec(mlI32(&w), mlI32(&d), mlI32(&out), rows, cols);
}

/* axpy(y, yo, x, xo, n, alpha) */
void xs_microlearn_axpy(txMachine* the)
{
	static const char K[] = "axpy";
	mlArray y, x;
	uint32_t yo, xo, n;
	int32_t alpha;
	mlArgs(the, K, 6);
	mlTyped(the, 0, ML_I32, 1, &y, K, "y");
	yo = mlIndex(1, K, "yo");
	mlTyped(the, 2, ML_I32, 0, &x, K, "x");
	xo = mlIndex(3, K, "xo");
	n = mlIndex(4, K, "n");
	alpha = mlInt32(5, K, "alpha");
	mlUse(the, &y, yo, n, K, "y");
	mlUse(the, &x, xo, n, K, "x");
	ml_axpy(mlI32(&y), mlI32(&x), n, alpha);
}

/* axpyWide(w, f, wo, x, xo, n, a, s) */
void xs_microlearn_axpyWide(txMachine* the)
{
	static const char K[] = "axpyWide";
	mlArray w, f, x;
	uint32_t wo, xo, n;
	int32_t a, s;
	mlArgs(the, K, 8);
	mlTyped(the, 0, ML_I32, 1, &w, K, "w");
	mlTyped(the, 1, ML_U16, 1, &f, K, "f");
	wo = mlIndex(2, K, "wo");
	mlTyped(the, 3, ML_I32, 0, &x, K, "x");
	xo = mlIndex(4, K, "xo");
	n = mlIndex(5, K, "n");
	a = (int32_t)mlNumber(the, 6, -32767, 32767, K, "a");
	s = (int32_t)mlNumber(the, 7, -15, 46, K, "s");
	mlUse(the, &w, wo, n, K, "w");
	mlUse(the, &f, wo, n, K, "f");
	mlUse(the, &x, xo, n, K, "x");
	mlDisjoint(the, &w, &f, K);
	mlDisjoint(the, &x, &f, K);
	ml_axpyWide(mlI32(&w), mlU16(&f), mlI32(&x), n, a, s);
}

/* gerWide(w, f, rows, cols, d, x, xo, lr) */
void xs_microlearn_gerWide(txMachine* the)
{
	static const char K[] = "gerWide";
	mlArray w, f, d, x;
	uint32_t rows, cols, xo;
	uint64_t area;
	int32_t lr;
	mlArgs(the, K, 8);
	mlTyped(the, 0, ML_I32, 1, &w, K, "w");
	mlTyped(the, 1, ML_U16, 1, &f, K, "f");
	rows = mlIndex(2, K, "rows");
	cols = mlIndex(3, K, "cols");
	mlTyped(the, 4, ML_I32, 0, &d, K, "d");
	mlTyped(the, 5, ML_I32, 0, &x, K, "x");
	xo = mlIndex(6, K, "xo");
	lr = mlInt32(7, K, "lr");
	area = mlArea(the, rows, cols, K);
	mlUse(the, &w, 0, area, K, "w");
	mlUse(the, &f, 0, area, K, "f");
	mlUse(the, &d, 0, rows, K, "d");
	mlUse(the, &x, xo, cols, K, "x");
	mlDisjoint(the, &w, &f, K);
	mlDisjoint(the, &d, &f, K);
	mlDisjoint(the, &x, &f, K);
	ml_gerWide(mlI32(&w), mlU16(&f), rows, cols, mlI32(&d), mlI32(&x), lr);
}

/* scale(y, yo, n, alpha) */
void xs_microlearn_scale(txMachine* the)
{
	static const char K[] = "scale";
	mlArray y;
	uint32_t yo, n;
	int32_t alpha;
	mlArgs(the, K, 4);
	mlTyped(the, 0, ML_I32, 1, &y, K, "y");
	yo = mlIndex(1, K, "yo");
	n = mlIndex(2, K, "n");
	alpha = mlInt32(3, K, "alpha");
	mlUse(the, &y, yo, n, K, "y");
	ml_scale(mlI32(&y), n, alpha);
}

/* sqdist(a, ao, b, bo, n, shift) */
void xs_microlearn_sqdist(txMachine* the)
{
	static const char K[] = "sqdist";
	mlArray a, b;
	uint32_t ao, bo, n;
	int32_t shift;
	mlArgs(the, K, 6);
	mlTyped(the, 0, ML_I32, 0, &a, K, "a");
	ao = mlIndex(1, K, "ao");
	mlTyped(the, 2, ML_I32, 0, &b, K, "b");
	bo = mlIndex(3, K, "bo");
	n = mlIndex(4, K, "n");
	shift = (int32_t)mlNumber(the, 5, 0, 16, K, "shift");
	mlUse(the, &a, ao, n, K, "a");
	mlUse(the, &b, bo, n, K, "b");
	xsmcSetInteger(xsResult, ml_sqdist(mlI32(&a), mlI32(&b), n, shift));
}

/* sqdistMany(data, rows, cols, x, xo, shift, out) */
void xs_microlearn_sqdistMany(txMachine* the)
{
	static const char K[] = "sqdistMany";
	mlArray data, x, out;
	uint32_t rows, cols, xo;
	int32_t shift;
	mlArgs(the, K, 7);
	mlTyped(the, 0, ML_I32, 0, &data, K, "data");
	rows = mlIndex(1, K, "rows");
	cols = mlIndex(2, K, "cols");
	mlTyped(the, 3, ML_I32, 0, &x, K, "x");
	xo = mlIndex(4, K, "xo");
	shift = (int32_t)mlNumber(the, 5, 0, 16, K, "shift");
	mlTyped(the, 6, ML_I32, 1, &out, K, "out");
	mlUse(the, &data, 0, mlArea(the, rows, cols, K), K, "data");
	mlUse(the, &x, xo, cols, K, "x");
	mlUse(the, &out, 0, rows, K, "out");
	ml_sqdistMany(mlI32(&data), rows, cols, mlI32(&x), shift, mlI32(&out));
}

/* welford(mean, meanF, varI, varF, varR, o, x, xo, n, count) */
void xs_microlearn_welford(txMachine* the)
{
	static const char K[] = "welford";
	mlArray mean, meanF, varI, varF, varR, x;
	uint32_t o, xo, n;
	int64_t count;
	mlArgs(the, K, 10);
	mlTyped(the, 0, ML_I32, 1, &mean, K, "mean");
	mlTyped(the, 1, ML_U16, 1, &meanF, K, "meanF");
	mlTyped(the, 2, ML_I32, 1, &varI, K, "varI");
	mlTyped(the, 3, ML_U32, 1, &varF, K, "varF");
	mlTyped(the, 4, ML_I32, 1, &varR, K, "varR");
	o = mlIndex(5, K, "o");
	mlTyped(the, 6, ML_I32, 0, &x, K, "x");
	xo = mlIndex(7, K, "xo");
	n = mlIndex(8, K, "n");
	count = mlNumber(the, 9, 1, ML_MAX_SAFE_INTEGER, K, "count");
	mlUse(the, &mean, o, n, K, "mean");
	mlUse(the, &meanF, o, n, K, "meanF");
	mlUse(the, &varI, o, n, K, "varI");
	mlUse(the, &varF, o, n, K, "varF");
	mlUse(the, &varR, o, n, K, "varR");
	mlUse(the, &x, xo, n, K, "x");
	mlDisjoint(the, &mean, &meanF, K);
	mlDisjoint(the, &mean, &varF, K);
	mlDisjoint(the, &varI, &meanF, K);
	mlDisjoint(the, &varI, &varF, K);
	mlDisjoint(the, &x, &meanF, K);
	mlDisjoint(the, &x, &varF, K);
	mlDisjoint(the, &meanF, &varF, K);
	mlDisjoint(the, &meanF, &varR, K);
	mlDisjoint(the, &varF, &varR, K);
	ml_welford(mlI32(&mean), mlU16(&meanF), mlI32(&varI), mlU32(&varF), mlI32(&varR), mlI32(&x), n, count);
}

/* gerAdam(w, f, m, mf, vI, vF, rows, cols, d, x, xo, a, k, e, b1, b2); m and mf both null for RMSprop */
void xs_microlearn_gerAdam(txMachine* the)
{
	static const char K[] = "gerAdam";
	mlArray w, f, m, mf, vI, vF, d, x;
	uint32_t rows, cols, xo;
	uint64_t area;
	int32_t a, k, e, b1, b2;
	int first;
	mlArgs(the, K, 16);
	mlTyped(the, 0, ML_I32, 1, &w, K, "w");
	mlTyped(the, 1, ML_U16, 1, &f, K, "f");
	first = xsArg(2).kind != XS_NULL_KIND;
	if (first != (xsArg(3).kind != XS_NULL_KIND))
		mxTypeError("%s: m and mf must both be typed arrays or both null", K);
	if (first) {
		mlTyped(the, 2, ML_I32, 1, &m, K, "m");
		mlTyped(the, 3, ML_U16, 1, &mf, K, "mf");
	}
	mlTyped(the, 4, ML_I32, 1, &vI, K, "vI");
	mlTyped(the, 5, ML_U32, 1, &vF, K, "vF");
	rows = mlIndex(6, K, "rows");
	cols = mlIndex(7, K, "cols");
	mlTyped(the, 8, ML_I32, 0, &d, K, "d");
	mlTyped(the, 9, ML_I32, 0, &x, K, "x");
	xo = mlIndex(10, K, "xo");
	a = (int32_t)mlNumber(the, 11, 0, 2097151, K, "a");
	k = (int32_t)mlNumber(the, 12, 0, 62, K, "k");
	e = (int32_t)mlNumber(the, 13, 0, INT32_MAX, K, "e");
	b1 = (int32_t)mlNumber(the, 14, 0, 65535, K, "b1");
	b2 = (int32_t)mlNumber(the, 15, 0, 65535, K, "b2");
	area = mlArea(the, rows, cols, K);
	mlUse(the, &w, 0, area, K, "w");
	mlUse(the, &f, 0, area, K, "f");
	if (first) {
		mlUse(the, &m, 0, area, K, "m");
		mlUse(the, &mf, 0, area, K, "mf");
	}
	mlUse(the, &vI, 0, area, K, "vI");
	mlUse(the, &vF, 0, area, K, "vF");
	mlUse(the, &d, 0, rows, K, "d");
	mlUse(the, &x, xo, cols, K, "x");
	/* every pair of arrays of different element types */
	mlDisjoint(the, &w, &f, K);
	mlDisjoint(the, &w, &vF, K);
	mlDisjoint(the, &vI, &f, K);
	mlDisjoint(the, &vI, &vF, K);
	mlDisjoint(the, &d, &f, K);
	mlDisjoint(the, &d, &vF, K);
	mlDisjoint(the, &x, &f, K);
	mlDisjoint(the, &x, &vF, K);
	mlDisjoint(the, &f, &vF, K);
	if (first) {
		mlDisjoint(the, &w, &mf, K);
		mlDisjoint(the, &m, &f, K);
		mlDisjoint(the, &m, &mf, K);
		mlDisjoint(the, &m, &vF, K);
		mlDisjoint(the, &vI, &mf, K);
		mlDisjoint(the, &d, &mf, K);
		mlDisjoint(the, &x, &mf, K);
		mlDisjoint(the, &mf, &vF, K);
	}
	ml_gerAdam(mlI32(&w), mlU16(&f), first ? mlI32(&m) : NULL, first ? mlU16(&mf) : NULL, mlI32(&vI), mlU32(&vF), rows, cols, mlI32(&d),
		mlI32(&x), a, k, e, b1, b2);
}

static void mlArgBest(txMachine* the, int max)
{
	const char* K = max ? "argmax" : "argmin";
	mlArray a;
	uint32_t ao, n, r;
	mlArgs(the, K, 3);
	mlTyped(the, 0, ML_I32, 0, &a, K, "a");
	ao = mlIndex(1, K, "ao");
	n = mlIndex(2, K, "n");
	mlUse(the, &a, ao, n, K, "a");
	r = max ? ml_argmax(mlI32(&a), n) : ml_argmin(mlI32(&a), n);
	xsmcSetInteger(xsResult, (txInteger)r);
}

/* argmin(a, ao, n) */
void xs_microlearn_argmin(txMachine* the)
{
	mlArgBest(the, 0);
}

/* argmax(a, ao, n) */
void xs_microlearn_argmax(txMachine* the)
{
	mlArgBest(the, 1);
}

/*
 * How mlReals converts each number: to Q16.16 (ml_fromDouble) when exps is
 * NULL, else into an input scale's units (ml_fromRaw with s, lim and the
 * exponent exps[0] when ne == 1, else exps[j]).
 */
typedef struct {
	mlArray* exps;
	uint32_t ne;
	uint32_t s;
	int64_t lim;
} mlConversion;

static const mlConversion mlToQ = { NULL, 0, 0, 0 };

static int mlConvert(const mlConversion* c, uint32_t j, double v, int32_t* q)
{
	if (!c->exps)
		return ml_fromDouble(v, q);
	return ml_fromRaw(v, c->s, mlU8(c->exps)[c->ne == 1 ? 0 : j], c->lim, q);
}

/* The data of typed array `array` (its slot after the instance) when it is attached and holds n elements of `size` bytes, else NULL. */
static const void* mlTypedData(txMachine* the, txSlot* array, uint32_t size, uint32_t n)
{
	txSlot* view = array->next;
	txSlot* buffer = view->next;
	txSlot* ab = buffer->value.reference->next;
	txInteger bytes = fxGetDataViewSize(the, view, buffer);
	if (ab->value.arrayBuffer.address == C_NULL || (uint32_t)bytes / size < n)
		return NULL;
	return (const void*)(ab->value.arrayBuffer.address + view->value.dataView.offset);
}

/*
 * Real numbers (c: see mlConversion) from argument i, an array-like of n
 * numbers, into out[0..n-1]. Returns −1, or the index of the first element
 * that is not a number or that the conversion rejects (the contract of the
 * TypeScript kernels toQ and toRaw). A plain dense Array is read straight
 * from its item slots, a Float64Array or an Int32Array from its buffer
 * (element j read before out[j] is written, as in TypeScript); anything else
 * element by element through the property protocol, re-resolving `out` (and
 * the exponents) after each read because a getter may run code that moves
 * buffers.
 */
static txInteger mlReals(txMachine* the, txInteger i, uint32_t n, mlArray* out, const mlConversion* c)
{
	txSlot* slot = &xsArg(i);
	uint32_t j;
	if (slot->kind == XS_REFERENCE_KIND) {
		txSlot* instance = slot->value.reference;
		txSlot* array = instance->next;
		if (array && array->kind == XS_ARRAY_KIND && array->ID == XS_ARRAY_BEHAVIOR && !instance->ID) {
			txSlot* address = array->value.array.address;
			txIndex size = address ? (txIndex)((((txChunk*)(((txByte*)address) - sizeof(txChunk)))->size) / sizeof(txSlot)) : 0;
			if (array->value.array.length >= n && size == array->value.array.length) {
				int32_t* q = mlI32(out);
				for (j = 0; j < n; j++) {
					txSlot* item = address + j;
					double v;
					if (item->flag)
						goto generic; /* an accessor: take the slow road */
					if (item->kind == XS_INTEGER_KIND)
						v = item->value.integer;
					else if (item->kind == XS_NUMBER_KIND)
						v = item->value.number;
					else
						return (txInteger)j;
					if (!mlConvert(c, j, v, q + j))
						return (txInteger)j;
				}
				return -1;
			}
		}
		else if (array && array->kind == XS_TYPED_ARRAY_KIND && array->value.typedArray.dispatch->constructorID == _Float64Array) {
			const double* d = (const double*)mlTypedData(the, array, 8, n);
			if (d) {
				int32_t* q = mlI32(out);
				if (c->exps)
					return ml_toRaw(d, n, c->s, mlU8(c->exps), c->ne, c->lim, q);
				for (j = 0; j < n; j++)
					if (!ml_fromDouble(d[j], q + j))
						return (txInteger)j;
				return -1;
			}
		}
		else if (array && array->kind == XS_TYPED_ARRAY_KIND && array->value.typedArray.dispatch->constructorID == _Int32Array) {
			/* Q16.16 input of the raw-range learners (their …Q entry points) */
			const int32_t* d = (const int32_t*)mlTypedData(the, array, 4, n);
			if (d) {
				int32_t* q = mlI32(out);
				for (j = 0; j < n; j++)
					if (!mlConvert(c, j, (double)d[j], q + j))
						return (txInteger)j;
				return -1;
			}
		}
	}
generic:
	xsmcVars(1);
	for (j = 0; j < n; j++) {
		double v;
		xsmcGetIndex(xsVar(0), xsArg(i), j);
		if (xsVar(0).kind == XS_INTEGER_KIND)
			v = xsVar(0).value.integer;
		else if (xsVar(0).kind == XS_NUMBER_KIND)
			v = xsVar(0).value.number;
		else
			return (txInteger)j;
		if (!mlConvert(c, j, v, mlI32(out) + j))
			return (txInteger)j;
	}
	return -1;
}

/* toQ(x, n, out) */
void xs_microlearn_toQ(txMachine* the)
{
	static const char K[] = "toQ";
	mlArray out;
	uint32_t n;
	mlArgs(the, K, 3);
	n = mlIndex(1, K, "n");
	mlTyped(the, 2, ML_I32, 1, &out, K, "out");
	mlUse(the, &out, 0, n, K, "out");
	xsmcSetInteger(xsResult, mlReals(the, 0, n, &out, &mlToQ));
}

/* toRaw(x, n, s, exps, lim, out) */
void xs_microlearn_toRaw(txMachine* the)
{
	static const char K[] = "toRaw";
	mlArray exps, out;
	mlConversion c;
	uint32_t n;
	mlArgs(the, K, 6);
	n = mlIndex(1, K, "n");
	c.s = (uint32_t)mlNumber(the, 2, 0, 16, K, "s");
	mlTyped(the, 3, ML_U8, 0, &exps, K, "exps");
	c.lim = mlNumber(the, 4, 1, (int64_t)1 << 31, K, "lim");
	mlTyped(the, 5, ML_I32, 1, &out, K, "out");
	if (exps.length != 1 && exps.length < n)
		mxRangeError("%s: exps must have one element or at least n", K);
	c.ne = exps.length == 1 ? 1 : n;
	mlUse(the, &exps, 0, c.ne, K, "exps");
	mlUse(the, &out, 0, n, K, "out");
	mlDisjoint(the, &exps, &out, K);
	c.exps = &exps;
	xsmcSetInteger(xsResult, mlReals(the, 0, n, &out, &c));
}

/*
 * kmeansLearn(c, cf, counts, k, n, x, xq, exps, lim, decay, work): x in
 * internal units (an Int32Array) when xq is null, else raw real numbers
 * converted as toRaw(x, n, 16, exps, lim, xq) first.
 */
void xs_microlearn_kmeansLearn(txMachine* the)
{
	static const char K[] = "kmeansLearn";
	mlArray c, cf, counts, x, exps, work;
	uint32_t k, n;
	uint64_t area;
	int32_t decay;
	mlConversion cv;
	mlArgs(the, K, 11);
	mlTyped(the, 0, ML_I32, 1, &c, K, "c");
	mlTyped(the, 1, ML_U16, 1, &cf, K, "cf");
	mlTyped(the, 2, ML_U32, 1, &counts, K, "counts");
	k = (uint32_t)mlNumber(the, 3, 1, 0xFFFFFFFF, K, "k");
	n = mlIndex(4, K, "n");
	mlTyped(the, 7, ML_U8, 0, &exps, K, "exps");
	cv.lim = mlNumber(the, 8, 1, (int64_t)1 << 31, K, "lim");
	decay = (int32_t)mlNumber(the, 9, 0, 65536, K, "decay");
	mlTyped(the, 10, ML_I32, 1, &work, K, "work");
	area = mlArea(the, k, n, K);
	mlUse(the, &c, 0, area, K, "c");
	mlUse(the, &cf, 0, area, K, "cf");
	mlUse(the, &counts, 0, k, K, "counts");
	mlUse(the, &work, 0, (uint64_t)k + n, K, "work");
	mlUse(the, &exps, 0, 1, K, "exps");
	mlDisjoint(the, &c, &cf, K);
	mlDisjoint(the, &c, &counts, K);
	mlDisjoint(the, &cf, &counts, K);
	mlDisjoint(the, &work, &cf, K);
	mlDisjoint(the, &work, &counts, K);
	if (xsArg(6).kind == XS_NULL_KIND) {
		mlTyped(the, 5, ML_I32, 0, &x, K, "x");
		mlUse(the, &x, 0, n, K, "x");
	}
	else {
		txInteger bad;
		mlTyped(the, 6, ML_I32, 1, &x, K, "xq");
		mlUse(the, &x, 0, n, K, "xq");
		mlDisjoint(the, &exps, &x, K);
		cv.exps = &exps;
		cv.ne = 1;
		cv.s = 16;
		bad = mlReals(the, 5, n, &x, &cv);
		if (bad >= 0) {
			xsmcSetInteger(xsResult, bad);
			return;
		}
		/* reading x may have run code (a getter): check the arrays again before writing */
		mlTyped(the, 0, ML_I32, 1, &c, K, "c");
		mlTyped(the, 1, ML_U16, 1, &cf, K, "cf");
		mlTyped(the, 2, ML_U32, 1, &counts, K, "counts");
		mlTyped(the, 6, ML_I32, 1, &x, K, "xq");
		mlTyped(the, 10, ML_I32, 1, &work, K, "work");
		mlUse(the, &c, 0, area, K, "c");
		mlUse(the, &cf, 0, area, K, "cf");
		mlUse(the, &counts, 0, k, K, "counts");
		mlUse(the, &work, 0, (uint64_t)k + n, K, "work");
		mlUse(the, &x, 0, n, K, "xq");
		mlDisjoint(the, &c, &cf, K);
		mlDisjoint(the, &c, &counts, K);
		mlDisjoint(the, &cf, &counts, K);
		mlDisjoint(the, &work, &cf, K);
		mlDisjoint(the, &work, &counts, K);
	}
	mlDisjoint(the, &x, &cf, K);
	mlDisjoint(the, &x, &counts, K);
	ml_kmeansLearn(mlI32(&c), mlU16(&cf), mlU32(&counts), k, n, mlI32(&x), decay, mlI32(&work));
	xsmcSetInteger(xsResult, -1);
}

/*
 * sgdLinear(w, f, x, xq, n, y, lr, l2, link): x Q16.16 (an Int32Array) when
 * xq is null, else real numbers converted into xq; y Q16.16. With realY,
 * sgdLinearReal(w, f, x, xq, n, y, lr, l2): x real (xq an Int32Array), y a
 * real number converted as toQ (rejected: returns n, nothing changes), link 0.
 */
static void mlSgdLinear(txMachine* the, const char* K, int realY)
{
	mlArray w, f, x;
	uint32_t n;
	int32_t y = 0, lr, l2, link = 0;
	txInteger bad = -1;
	mlArgs(the, K, realY ? 8 : 9);
	mlTyped(the, 0, ML_I32, 1, &w, K, "w");
	mlTyped(the, 1, ML_U16, 1, &f, K, "f");
	n = mlIndex(4, K, "n");
	if (!realY)
		y = mlInt32(5, K, "y");
	lr = mlInt32(6, K, "lr");
	l2 = mlInt32(7, K, "l2");
	if (!realY)
		link = (int32_t)mlNumber(the, 8, 0, 1, K, "link");
	mlUse(the, &w, 0, (uint64_t)n + 1, K, "w");
	mlUse(the, &f, 0, (uint64_t)n + 1, K, "f");
	mlDisjoint(the, &w, &f, K);
	if (!realY && xsArg(3).kind == XS_NULL_KIND)
		mlTyped(the, 2, ML_I32, 0, &x, K, "x");
	else {
		mlTyped(the, 3, ML_I32, 1, &x, K, "xq");
		mlUse(the, &x, 0, n, K, "xq");
		if (realY) {
			txSlot* ys = &xsArg(5);
			int ok = 0;
			if (ys->kind == XS_INTEGER_KIND)
				ok = ml_fromDouble((double)ys->value.integer, &y);
			else if (ys->kind == XS_NUMBER_KIND)
				ok = ml_fromDouble(ys->value.number, &y);
			if (!ok) {
				xsmcSetInteger(xsResult, (txInteger)n);
				return;
			}
		}
		bad = mlReals(the, 2, n, &x, &mlToQ);
		if (bad >= 0) {
			xsmcSetInteger(xsResult, bad);
			return;
		}
		/* reading x may have run code (a getter): check the arrays again before writing */
		mlTyped(the, 0, ML_I32, 1, &w, K, "w");
		mlTyped(the, 1, ML_U16, 1, &f, K, "f");
		mlTyped(the, 3, ML_I32, 1, &x, K, "xq");
		mlUse(the, &f, 0, (uint64_t)n + 1, K, "f");
	}
	mlUse(the, &w, 0, (uint64_t)n + 1, K, "w");
	mlUse(the, &x, 0, n, K, "x");
	mlDisjoint(the, &x, &f, K);
	ml_sgdLinear(mlI32(&w), mlU16(&f), mlI32(&x), n, y, lr, l2, link);
	xsmcSetInteger(xsResult, -1);
}

void xs_microlearn_sgdLinear(txMachine* the)
{
	mlSgdLinear(the, "sgdLinear", 0);
}

void xs_microlearn_sgdLinearReal(txMachine* the)
{
	mlSgdLinear(the, "sgdLinearReal", 1);
}

/* kmeansNearest(c, rows, n, x, xq, exps, lim, dist): x raw real numbers converted as toRaw(x, n, 16, exps, lim, xq) */
void xs_microlearn_kmeansNearest(txMachine* the)
{
	static const char K[] = "kmeansNearest";
	mlArray c, xq, exps, dist;
	uint32_t rows, n;
	uint64_t area;
	mlConversion cv;
	mlArgs(the, K, 8);
	mlTyped(the, 0, ML_I32, 0, &c, K, "c");
	rows = (uint32_t)mlNumber(the, 1, 1, 0xFFFFFFFF, K, "rows");
	n = mlIndex(2, K, "n");
	mlTyped(the, 4, ML_I32, 1, &xq, K, "xq");
	mlTyped(the, 5, ML_U8, 0, &exps, K, "exps");
	cv.lim = mlNumber(the, 6, 1, (int64_t)1 << 31, K, "lim");
	mlTyped(the, 7, ML_I32, 1, &dist, K, "dist");
	area = mlArea(the, rows, n, K);
	mlUse(the, &c, 0, area, K, "c");
	mlUse(the, &xq, 0, n, K, "xq");
	mlUse(the, &exps, 0, 1, K, "exps");
	mlUse(the, &dist, 0, rows, K, "dist");
	mlDisjoint(the, &exps, &xq, K);
	cv.exps = &exps;
	cv.ne = 1;
	cv.s = 16;
	if (mlReals(the, 3, n, &xq, &cv) >= 0) {
		xsmcSetInteger(xsResult, -1);
		return;
	}
	/* reading x may have run code (a getter): check the arrays again */
	mlTyped(the, 0, ML_I32, 0, &c, K, "c");
	mlTyped(the, 4, ML_I32, 1, &xq, K, "xq");
	mlTyped(the, 7, ML_I32, 1, &dist, K, "dist");
	mlUse(the, &c, 0, area, K, "c");
	mlUse(the, &xq, 0, n, K, "xq");
	mlUse(the, &dist, 0, rows, K, "dist");
	xsmcSetInteger(xsResult, ml_kmeansNearest(mlI32(&c), rows, n, mlI32(&xq), mlI32(&dist)));
}

/* denseForward(w, x, xo, b, z, a, rows, cols, act) */
void xs_microlearn_denseForward(txMachine* the)
{
	static const char K[] = "denseForward";
	mlArray w, x, b, z, a;
	uint32_t xo, rows, cols;
	int32_t act;
	int hasBias;
	mlArgs(the, K, 9);
	mlTyped(the, 0, ML_I32, 0, &w, K, "w");
	mlTyped(the, 1, ML_I32, 0, &x, K, "x");
	xo = mlIndex(2, K, "xo");
	hasBias = xsArg(3).kind != XS_NULL_KIND;
	if (hasBias)
		mlTyped(the, 3, ML_I32, 0, &b, K, "b");
	mlTyped(the, 4, ML_I32, 1, &z, K, "z");
	mlTyped(the, 5, ML_I32, 1, &a, K, "a");
	rows = mlIndex(6, K, "rows");
	cols = mlIndex(7, K, "cols");
	act = (int32_t)mlNumber(the, 8, 0, 3, K, "act");
	mlUse(the, &w, 0, mlArea(the, rows, cols, K), K, "w");
	mlUse(the, &x, xo, cols, K, "x");
	if (hasBias)
		mlUse(the, &b, 0, rows, K, "b");
	mlUse(the, &z, 0, rows, K, "z");
	mlUse(the, &a, 0, rows, K, "a");
	ml_denseForward(mlI32(&w), mlI32(&x), hasBias ? mlI32(&b) : NULL, mlI32(&z), mlI32(&a), rows, cols, act);
}

/* denseBackward(w, g, gp, ap, zp, rows, cols, act) */
void xs_microlearn_denseBackward(txMachine* the)
{
	static const char K[] = "denseBackward";
	mlArray w, g, gp, ap, zp;
	uint32_t rows, cols;
	int32_t act;
	mlArgs(the, K, 8);
	mlTyped(the, 0, ML_I32, 0, &w, K, "w");
	mlTyped(the, 1, ML_I32, 0, &g, K, "g");
	mlTyped(the, 2, ML_I32, 1, &gp, K, "gp");
	mlTyped(the, 3, ML_I32, 0, &ap, K, "ap");
	mlTyped(the, 4, ML_I32, 0, &zp, K, "zp");
	rows = mlIndex(5, K, "rows");
	cols = mlIndex(6, K, "cols");
	act = (int32_t)mlNumber(the, 7, 0, 3, K, "act");
	mlUse(the, &w, 0, mlArea(the, rows, cols, K), K, "w");
	mlUse(the, &g, 0, rows, K, "g");
	mlUse(the, &gp, 0, cols, K, "gp");
	mlUse(the, &ap, 0, cols, K, "ap");
	mlUse(the, &zp, 0, cols, K, "zp");
	ml_denseBackward(mlI32(&w), mlI32(&g), mlI32(&gp), mlI32(&ap), mlI32(&zp), rows, cols, act);
}

/* ---- signal kernels ---- */

/* n = 2^bits, 1 ≤ n ≤ 4096 */
static void mlPow2(txMachine* the, uint32_t n, uint32_t bits, const char* kernel)
{
	if (bits > 12 || n != ((uint32_t)1 << bits))
		mxRangeError("%s: n must be 2^bits ≤ 4096", kernel);
}

/* ringWrite(ring, ro, n, pos, src, so, stride, count) → new pos */
void xs_microlearn_ringWrite(txMachine* the)
{
	static const char K[] = "ringWrite";
	mlArray ring, src;
	uint32_t ro, n, pos, so, stride, count;
	mlArgs(the, K, 8);
	mlTyped(the, 0, ML_I32, 1, &ring, K, "ring");
	ro = mlIndex(1, K, "ro");
	n = mlIndex(2, K, "n");
	pos = mlIndex(3, K, "pos");
	mlTyped(the, 4, ML_I32, 0, &src, K, "src");
	so = mlIndex(5, K, "so");
	stride = mlIndex(6, K, "stride");
	count = mlIndex(7, K, "count");
	if (n == 0 || pos >= n)
		mxRangeError("%s: pos must be below n", K);
	if (stride == 0 && count > 0)
		mxRangeError("%s: stride must be at least 1", K);
	mlUse(the, &ring, ro, n, K, "ring");
	mlUse(the, &src, so, count == 0 ? 0 : (uint64_t)(count - 1) * stride + 1, K, "src");
	xsmcSetInteger(xsResult, (txInteger)ml_ringWrite(mlI32(&ring), n, pos, mlI32(&src), stride, count));
}

/* winStats(ring, ro, n, pos, bits, re, im, out) */
void xs_microlearn_winStats(txMachine* the)
{
	static const char K[] = "winStats";
	mlArray ring, re, im, out;
	uint32_t ro, n, pos, bits;
	mlArgs(the, K, 8);
	mlTyped(the, 0, ML_I32, 0, &ring, K, "ring");
	ro = mlIndex(1, K, "ro");
	n = mlIndex(2, K, "n");
	pos = mlIndex(3, K, "pos");
	bits = mlIndex(4, K, "bits");
	mlTyped(the, 5, ML_I32, 1, &re, K, "re");
	mlTyped(the, 6, ML_I32, 1, &im, K, "im");
	mlTyped(the, 7, ML_I32, 1, &out, K, "out");
	mlPow2(the, n, bits, K);
	if (pos >= n)
		mxRangeError("%s: pos must be below n", K);
	mlUse(the, &ring, ro, n, K, "ring");
	mlUse(the, &re, 0, n, K, "re");
	mlUse(the, &im, 0, n, K, "im");
	mlUse(the, &out, 0, 7, K, "out");
	ml_winStats(mlI32(&ring), n, pos, (int32_t)bits, mlI32(&re), mlI32(&im), mlI32(&out));
}

/* fft(re, im, n, bits, cos, sin) */
void xs_microlearn_fft(txMachine* the)
{
	static const char K[] = "fft";
	mlArray re, im, c, s;
	uint32_t n, bits;
	mlArgs(the, K, 6);
	mlTyped(the, 0, ML_I32, 1, &re, K, "re");
	mlTyped(the, 1, ML_I32, 1, &im, K, "im");
	n = mlIndex(2, K, "n");
	bits = mlIndex(3, K, "bits");
	mlTyped(the, 4, ML_I32, 0, &c, K, "cos");
	mlTyped(the, 5, ML_I32, 0, &s, K, "sin");
	mlPow2(the, n, bits, K);
	mlUse(the, &re, 0, n, K, "re");
	mlUse(the, &im, 0, n, K, "im");
	mlUse(the, &c, 0, n / 2, K, "cos");
	mlUse(the, &s, 0, n / 2, K, "sin");
	ml_fft(mlI32(&re), mlI32(&im), n, bits, mlI32(&c), mlI32(&s));
}

/* centroid(re, im, lo, hi) */
void xs_microlearn_centroid(txMachine* the)
{
	static const char K[] = "centroid";
	mlArray re, im;
	uint32_t lo, hi;
	mlArgs(the, K, 4);
	mlTyped(the, 0, ML_I32, 0, &re, K, "re");
	mlTyped(the, 1, ML_I32, 0, &im, K, "im");
	lo = mlIndex(2, K, "lo");
	hi = mlIndex(3, K, "hi");
	if (lo >= hi || hi > 4096)
		mxRangeError("%s: need lo < hi ≤ 4096", K);
	mlUse(the, &re, 0, hi, K, "re");
	mlUse(the, &im, 0, hi, K, "im");
	xsmcSetInteger(xsResult, ml_centroid(mlI32(&re), mlI32(&im), lo, hi));
}

/* analytic(re, im, n, lo, hi) → s */
void xs_microlearn_analytic(txMachine* the)
{
	static const char K[] = "analytic";
	mlArray re, im;
	uint32_t n, lo, hi;
	mlArgs(the, K, 5);
	mlTyped(the, 0, ML_I32, 1, &re, K, "re");
	mlTyped(the, 1, ML_I32, 1, &im, K, "im");
	n = mlIndex(2, K, "n");
	lo = mlIndex(3, K, "lo");
	hi = mlIndex(4, K, "hi");
	if (lo >= hi || hi > n)
		mxRangeError("%s: need lo < hi ≤ n", K);
	mlUse(the, &re, 0, n, K, "re");
	mlUse(the, &im, 0, n, K, "im");
	xsmcSetInteger(xsResult, ml_analytic(mlI32(&re), mlI32(&im), n, lo, hi));
}

/* magnitude(re, im, n, out) */
void xs_microlearn_magnitude(txMachine* the)
{
	static const char K[] = "magnitude";
	mlArray re, im, out;
	uint32_t n;
	mlArgs(the, K, 4);
	mlTyped(the, 0, ML_I32, 0, &re, K, "re");
	mlTyped(the, 1, ML_I32, 0, &im, K, "im");
	n = mlIndex(2, K, "n");
	mlTyped(the, 3, ML_I32, 1, &out, K, "out");
	mlUse(the, &re, 0, n, K, "re");
	mlUse(the, &im, 0, n, K, "im");
	mlUse(the, &out, 0, n, K, "out");
	ml_magnitude(mlI32(&re), mlI32(&im), n, mlI32(&out));
}

/* The kernels by their names in src/kernels.ts (KERNEL_NAMES), with their lengths. */
static const struct {
	const char* name;
	void (*fn)(txMachine*);
	int length;
} mlNatives[] = {
	{ "dot", xs_microlearn_dot, 5 },
	{ "matvec", xs_microlearn_matvec, 7 },
	{ "matTvec", xs_microlearn_matTvec, 5 },
	{ "axpy", xs_microlearn_axpy, 6 },
	{ "axpyWide", xs_microlearn_axpyWide, 8 },
	{ "gerWide", xs_microlearn_gerWide, 8 },
	{ "scale", xs_microlearn_scale, 4 },
	{ "sqdist", xs_microlearn_sqdist, 6 },
	{ "sqdistMany", xs_microlearn_sqdistMany, 7 },
	{ "welford", xs_microlearn_welford, 10 },
	{ "argmin", xs_microlearn_argmin, 3 },
	{ "argmax", xs_microlearn_argmax, 3 },
	{ "toQ", xs_microlearn_toQ, 3 },
	{ "sgdLinear", xs_microlearn_sgdLinear, 9 },
	{ "gerAdam", xs_microlearn_gerAdam, 16 },
	{ "toRaw", xs_microlearn_toRaw, 6 },
	{ "kmeansLearn", xs_microlearn_kmeansLearn, 11 },
	{ "sgdLinearReal", xs_microlearn_sgdLinearReal, 8 },
	{ "denseForward", xs_microlearn_denseForward, 9 },
	{ "denseBackward", xs_microlearn_denseBackward, 8 },
	{ "kmeansNearest", xs_microlearn_kmeansNearest, 8 },
	/* signal kernels (SIGNAL_KERNEL_NAMES) */
	{ "ringWrite", xs_microlearn_ringWrite, 8 },
	{ "winStats", xs_microlearn_winStats, 8 },
	{ "fft", xs_microlearn_fft, 6 },
	{ "centroid", xs_microlearn_centroid, 4 },
	{ "analytic", xs_microlearn_analytic, 5 },
	{ "magnitude", xs_microlearn_magnitude, 4 },
};

/*
 * Defines globalThis.__microlearnNative = { dot, matvec, ... } (not
 * enumerable on the global). The XS host (targets/xs, built with --native)
 * calls this once after creating the machine, before any script runs.
 */
void mlxs_register_natives(xsMachine* the)
{
	size_t i;
	xsmcVars(2);
	xsmcSetNewObject(xsVar(0));
	for (i = 0; i < sizeof(mlNatives) / sizeof(mlNatives[0]); i++) {
		xsVar(1) = xsNewHostFunction(mlNatives[i].fn, mlNatives[i].length);
		xsmcDefine(xsVar(0), xsID((txString)mlNatives[i].name), xsVar(1), xsDefault);
	}
	xsmcDefine(xsGlobal, xsID("__microlearnNative"), xsVar(0), xsDontEnum);
}
