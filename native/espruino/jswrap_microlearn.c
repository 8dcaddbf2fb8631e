/*
 * jswrap_microlearn.c — the microlearn C kernels as Espruino built-ins.
 *
 * Adds a global `Microlearn` whose static methods are the kernels of
 * src/kernels.ts with the same names and arguments (Microlearn.dot(a, ao, b,
 * bo, n), ...). microlearn finds `Microlearn` when it loads and uses these
 * instead of its TypeScript kernels; any kernel missing here keeps the
 * TypeScript version. Results are bit-identical to the TypeScript ones.
 *
 * Build: add this file to WRAPPERSOURCES (board file or
 * `make ESPRUINO_WRAPPERSOURCES=.../jswrap_microlearn.c`); it compiles the
 * kernels itself from ../microlearn_kernels.c, so keep the native/ layout
 * (see docs/espruino-native.md).
 *
 * Typed arrays: when an array's bytes are one flat, aligned block
 * (jsvGetDataPointer), the C kernel runs on the pointer. Small typed arrays
 * and arrays allocated in a fragmented heap live in chained string blocks
 * instead. A small one that the kernel only reads is copied to a 128-byte
 * stack buffer (see mljStage); otherwise the same arithmetic runs element by
 * element through JsvArrayBufferIterator (the ml_*1 / ml_sum_* building
 * blocks of the kernel library), in the kernel's order, so the bits are the
 * same either way. Typed-array lengths here are in elements. Defining
 * MLJ_FORCE_ITERATOR makes every array take the element-by-element path
 * (a test build).
 *
 * Checks: typed arrays must be Int32Array (Uint16Array or Uint32Array for
 * fraction arrays, as in src/kernels.ts), numbers integral and in range,
 * every element used inside its array, and typed arrays of different types
 * in one call must not share bytes; otherwise a TypeError or Error is thrown
 * and nothing is read or written.
 */
#include "jsutils.h"
#include "jsvar.h"
#include "jsvariterator.h"
#include "jsinteractive.h"
#include "jswrap_microlearn.h"

/* One translation unit: the kernels come with this file. */
#include "../microlearn_kernels.c"

/*JSON{
  "type" : "class",
  "class" : "Microlearn"
}
Native kernels for the microlearn library (see its docs/espruino-native.md).
Each static method has the name and arguments of a kernel in microlearn's
src/kernels.ts; microlearn installs them automatically.
*/

#define MLJ_I32 0
#define MLJ_U16 1
#define MLJ_U32 2
#define MLJ_U8 3
#define MLJ_MAX_ARGS 16
#define MLJ_MAX_SAFE_INTEGER (((int64_t)1 << 53) - 1)

/* A typed-array argument: flat data pointer when there is one, else iterators. */
typedef struct {
  JsVar *v;               /* the typed array (locked by the caller) */
  int type;               /* MLJ_I32, MLJ_U16, MLJ_U32 or MLJ_U8 */
  unsigned char *base;    /* element `origin` when the data is one flat block (or staged), else NULL */
  size_t origin;
  size_t length;          /* elements */
  unsigned size;          /* bytes per element */
  JsVar *backing;         /* backing string, for overlap checks (not locked: compared only) */
  size_t byteOffset;
  size_t first, count;    /* elements used */
} MljArray;

/* Element access for the slow path (arrays that are not flat): a read and a
   write iterator per array, since an Espruino iterator cannot write the
   element it has just read. Only the slow-path functions (kept out of line,
   MLJ_NOINLINE) hold these on their stack. */
typedef struct {
  MljArray *a;
  bool rdOpen, wrOpen;
  JsvArrayBufferIterator rd, wr;
} MljCursor;

#ifdef __GNUC__
#define MLJ_NOINLINE __attribute__((noinline))
#else
#define MLJ_NOINLINE
#endif

typedef struct {
  JsVar *a[MLJ_MAX_ARGS];
  int n;
} MljArgs;

static void mljInit(MljArray *a) {
  memset(a, 0, sizeof(*a));
}

static void mljOpen(MljCursor *c, MljArray *a) {
  c->a = a;
  c->rdOpen = c->wrOpen = false;
}

static void mljClose(MljCursor *c) {
  if (c->rdOpen) jsvArrayBufferIteratorFree(&c->rd);
  if (c->wrOpen) jsvArrayBufferIteratorFree(&c->wr);
  c->rdOpen = c->wrOpen = false;
}

/* Locks the first `need` items of a JsVarArray argument list. */
static bool mljArgs(JsVar *args, MljArgs *out, int need) {
  int i;
  out->n = 0;
  if (jsvGetArrayLength(args) < need) {
    jsExceptionHere(JSET_TYPEERROR, "Microlearn: expected %d arguments", need);
    return false;
  }
  for (i = 0; i < need; i++) out->a[i] = jsvGetArrayItem(args, i);
  out->n = need;
  return true;
}

static void mljArgsFree(MljArgs *args) {
  int i;
  for (i = 0; i < args->n; i++) jsvUnLock(args->a[i]);
  args->n = 0;
}

/* An integral number in [lo, hi], without coercion. */
static bool mljNumber(JsVar *v, int64_t lo, int64_t hi, int64_t *out) {
  int64_t x;
  if (jsvIsInt(v) && !jsvIsPin(v)) x = jsvGetInteger(v);
  else if (jsvIsFloat(v)) {
    JsVarFloat d = jsvGetFloat(v);
    if (!(d >= (JsVarFloat)lo && d <= (JsVarFloat)hi)) {
      jsExceptionHere(JSET_ERROR, "Microlearn: number out of range: %v", v);
      return false;
    }
    x = (int64_t)d;
    if ((JsVarFloat)x != d) {
      jsExceptionHere(JSET_ERROR, "Microlearn: not an integer: %v", v);
      return false;
    }
  } else {
    jsExceptionHere(JSET_TYPEERROR, "Microlearn: expected a number, got %t", v);
    return false;
  }
  if (x < lo || x > hi) {
    jsExceptionHere(JSET_ERROR, "Microlearn: number out of range: %v", v);
    return false;
  }
  *out = x;
  return true;
}

static bool mljU32(JsVar *v, uint32_t *out) {
  int64_t x;
  if (!mljNumber(v, 0, 0xFFFFFFFF, &x)) return false;
  *out = (uint32_t)x;
  return true;
}

static bool mljI32(JsVar *v, int32_t *out) {
  int64_t x;
  if (!mljNumber(v, INT32_MIN, INT32_MAX, &x)) return false;
  *out = (int32_t)x;
  return true;
}

static bool mljShift(JsVar *v, int32_t *out) {
  int64_t x;
  if (!mljNumber(v, 0, 16, &x)) return false;
  *out = (int32_t)x;
  return true;
}

/* A step (a, s) as ml_step / stepRecip make them: |a| ≤ 32767, −15 ≤ s ≤ 46. */
static bool mljStep(JsVar *va, JsVar *vs, int32_t *a, int32_t *s) {
  int64_t x, y;
  if (!mljNumber(va, -32767, 32767, &x) || !mljNumber(vs, -15, 46, &y)) return false;
  *a = (int32_t)x;
  *s = (int32_t)y;
  return true;
}

/* Resolves a typed-array argument (type MLJ_I32, MLJ_U16, MLJ_U32 or MLJ_U8). */
static bool mljArray(JsVar *v, int type, MljArray *a) {
  JsVarDataArrayBufferViewType want = type == MLJ_I32 ? ARRAYBUFFERVIEW_INT32 : type == MLJ_U16 ? ARRAYBUFFERVIEW_UINT16 : type == MLJ_U8 ? ARRAYBUFFERVIEW_UINT8 : ARRAYBUFFERVIEW_UINT32;
  size_t slen = 0;
  char *p;
  if (!jsvIsArrayBuffer(v) || v->varData.arraybuffer.type != want) {
    if (type == MLJ_I32) jsExceptionHere(JSET_TYPEERROR, "Microlearn: expected an Int32Array, got %t", v);
    else if (type == MLJ_U16) jsExceptionHere(JSET_TYPEERROR, "Microlearn: expected a Uint16Array, got %t", v);
    else if (type == MLJ_U8) jsExceptionHere(JSET_TYPEERROR, "Microlearn: expected a Uint8Array, got %t", v);
    else jsExceptionHere(JSET_TYPEERROR, "Microlearn: expected a Uint32Array, got %t", v);
    return false;
  }
  a->v = v;
  a->size = type == MLJ_U16 ? 2 : type == MLJ_U8 ? 1 : 4;
  a->length = jsvGetArrayBufferLength(v);
  a->byteOffset = v->varData.arraybuffer.byteOffset;
  a->backing = jsvGetArrayBufferBackingString(v, NULL);
  /* The same address computation as Espruino's own element access
     (jsvArrayBufferIteratorNew): backing string + this view's byteOffset. */
  p = jsvGetDataPointer(a->backing, &slen);
  jsvUnLock(a->backing);
  a->type = type;
#ifndef MLJ_FORCE_ITERATOR
  if (p && a->byteOffset + a->length * a->size <= slen && ((size_t)(p + a->byteOffset) % a->size) == 0) {
    a->base = (unsigned char *)p + a->byteOffset;
    a->origin = 0;
  }
#else
  (void)p;
#endif
  return true;
}

/* Elements [first, first + count) will be used. */
static bool mljUse(MljArray *a, uint64_t first, uint64_t count) {
  if (first + count > a->length) {
    jsExceptionHere(JSET_ERROR, "Microlearn: elements %d..%d are past the array's length %d", (int)first, (int)(first + count), (int)a->length);
    return false;
  }
  a->first = (size_t)first;
  a->count = (size_t)count;
  return true;
}

/* Regions of typed arrays of different types must not share bytes. */
static bool mljDisjoint(MljArray *a, MljArray *b) {
  size_t a0 = a->byteOffset + a->first * a->size, a1 = a0 + a->count * a->size;
  size_t b0 = b->byteOffset + b->first * b->size, b1 = b0 + b->count * b->size;
  if (a->backing == b->backing && a->count && b->count && a0 < b1 && b0 < a1) {
    jsExceptionHere(JSET_ERROR, "Microlearn: typed arrays of different types overlap");
    return false;
  }
  return true;
}

static bool mljArea(uint32_t rows, uint32_t cols, uint64_t *area) {
  *area = (uint64_t)rows * cols;
  if (*area > 0xFFFFFFFFu) {
    jsExceptionHere(JSET_ERROR, "Microlearn: rows * cols too large");
    return false;
  }
  return true;
}

static bool mljFlat(MljArray *a) {
  return a->base != NULL;
}

/* Address of element i of a flat (or staged) array. */
static void *mljAt(MljArray *a, size_t i) {
  return a->base + (i - a->origin) * a->size;
}

#define MLJ_P32(A, I) ((int32_t *)mljAt(A, I))
#define MLJ_P16(A, I) ((uint16_t *)mljAt(A, I))
#define MLJ_PU32(A, I) ((uint32_t *)mljAt(A, I))

/*
 * Staging. Typed arrays of a few elements (and any array allocated in a
 * fragmented heap) are not one flat block, and one such array would send the
 * whole call down the element-by-element path, e.g. the 8-feature x of a
 * 100 × 8 k-NN search. A small array that the kernel only reads, and that
 * shares no storage with an array the kernel writes, is copied into this
 * buffer instead, so the fast path still runs with exactly the same inputs.
 */
#define MLJ_STAGE_WORDS 32

typedef struct {
  uint32_t words[MLJ_STAGE_WORDS];
  size_t used;
} MljStage;

static void mljStage(MljStage *st, MljArray *a, MljArray *w1, MljArray *w2, MljArray *w3, MljArray *w4) {
  size_t words, i;
  unsigned char *dst;
  JsvArrayBufferIterator it;
#ifdef MLJ_FORCE_ITERATOR
  return; /* test builds: every non-flat array takes the element-by-element path */
#endif
  if (!a || mljFlat(a) || a->count == 0) return;
  words = (a->count * a->size + 3) / 4;
  if (words > MLJ_STAGE_WORDS - st->used) return;
  if ((w1 && w1->backing == a->backing) || (w2 && w2->backing == a->backing) || (w3 && w3->backing == a->backing) ||
      (w4 && w4->backing == a->backing))
    return;
  dst = (unsigned char *)(st->words + st->used);
  jsvArrayBufferIteratorNew(&it, a->v, a->first);
  for (i = 0; i < a->count; i++) {
    JsVarInt v = jsvArrayBufferIteratorGetIntegerValue(&it);
    if (a->type == MLJ_U16) ((uint16_t *)(void *)dst)[i] = (uint16_t)v;
    else if (a->type == MLJ_U32) ((uint32_t *)(void *)dst)[i] = (uint32_t)v;
    else ((int32_t *)(void *)dst)[i] = (int32_t)v;
    jsvArrayBufferIteratorNext(&it);
  }
  jsvArrayBufferIteratorFree(&it);
  st->used += words;
  a->base = dst;
  a->origin = a->first;
}

/* Element i (absolute index), through the pointer or the read iterator. */
static int32_t mljGet(MljCursor *c, size_t i) {
  MljArray *a = c->a;
  JsVarInt r;
  if (a->base) {
    if (a->type == MLJ_U8) return *(uint8_t *)mljAt(a, i);
    if (a->type == MLJ_U16) return *MLJ_P16(a, i);
    if (a->type == MLJ_U32) return (int32_t)*MLJ_PU32(a, i); /* the bits; callers cast back to uint32_t */
    return *MLJ_P32(a, i);
  }
  if (!c->rdOpen || c->rd.index > i) {
    if (c->rdOpen) jsvArrayBufferIteratorFree(&c->rd);
    jsvArrayBufferIteratorNew(&c->rd, a->v, i);
    c->rdOpen = true;
  }
  while (c->rd.index < i) jsvArrayBufferIteratorNext(&c->rd);
  r = jsvArrayBufferIteratorGetIntegerValue(&c->rd);
  jsvArrayBufferIteratorNext(&c->rd);
  return (int32_t)r;
}

/* Stores element i through the pointer or the write iterator. */
static void mljSet(MljCursor *c, size_t i, int32_t v) {
  MljArray *a = c->a;
  if (a->base) {
    if (a->type == MLJ_U16) *MLJ_P16(a, i) = (uint16_t)v;
    else if (a->type == MLJ_U32) *MLJ_PU32(a, i) = (uint32_t)v;
    else *MLJ_P32(a, i) = v;
    return;
  }
  if (!c->wrOpen || c->wr.index > i) {
    if (c->wrOpen) jsvArrayBufferIteratorFree(&c->wr);
    jsvArrayBufferIteratorNew(&c->wr, a->v, i);
    c->wrOpen = true;
  }
  while (c->wr.index < i) jsvArrayBufferIteratorNext(&c->wr);
  jsvArrayBufferIteratorSetIntegerValue(&c->wr, (JsVarInt)v);
  jsvArrayBufferIteratorNext(&c->wr);
}

/* ---- slow paths: the kernels element by element, in the TypeScript order ---- */

static MLJ_NOINLINE int32_t mljSlowDot(MljArray *a, uint32_t ao, MljArray *b, uint32_t bo, uint32_t n, int32_t shift, bool sq) {
  MljCursor ca, cb;
  ml_sum s = { 0, 0 };
  uint32_t i;
  mljOpen(&ca, a);
  mljOpen(&cb, b);
  for (i = 0; i < n; i++) {
    int32_t u = mljGet(&ca, ao + i), v = mljGet(&cb, bo + i);
    if (sq) ml_sum_sqdiff(&s, u, v);
    else ml_sum_product(&s, u, v);
  }
  mljClose(&ca);
  mljClose(&cb);
  return ml_sum_round(&s, shift);
}

static MLJ_NOINLINE void mljSlowMatvec(MljArray *w, MljArray *x, uint32_t xo, MljArray *bias, MljArray *out, uint32_t rows, uint32_t cols) {
  MljCursor cw, cx, cb, co;
  uint32_t r, c;
  mljOpen(&cw, w);
  mljOpen(&cx, x);
  mljOpen(&cb, bias);
  mljOpen(&co, out);
  for (r = 0; r < rows; r++) {
    ml_sum s = { 0, 0 };
    int64_t v;
    for (c = 0; c < cols; c++) ml_sum_product(&s, mljGet(&cw, (size_t)r * cols + c), mljGet(&cx, xo + c));
    v = ml_sum_round(&s, 0);
    if (bias) v += mljGet(&cb, r);
    mljSet(&co, r, ml_sat(v));
  }
  mljClose(&cw);
  mljClose(&cx);
  mljClose(&cb);
  mljClose(&co);
}

static MLJ_NOINLINE void mljSlowMatTvec(MljArray *w, MljArray *d, MljArray *out, uint32_t rows, uint32_t cols) {
  MljCursor cw, cd, co;
  uint32_t r, c;
  mljOpen(&cw, w);
  mljOpen(&cd, d);
  mljOpen(&co, out);
  for (c = 0; c < cols; c++) {
    ml_sum s = { 0, 0 };
    for (r = 0; r < rows; r++) ml_sum_product(&s, mljGet(&cw, (size_t)r * cols + c), mljGet(&cd, r));
    mljSet(&co, c, ml_sum_round(&s, 0));
  }
  mljClose(&cw);
  mljClose(&cd);
  mljClose(&co);
}

static MLJ_NOINLINE void mljSlowAxpy(MljArray *y, uint32_t yo, MljArray *x, uint32_t xo, uint32_t n, int32_t alpha, bool scale) {
  MljCursor cy, cx;
  uint32_t i;
  mljOpen(&cy, y);
  mljOpen(&cx, x);
  for (i = 0; i < n; i++) {
    if (scale) mljSet(&cy, yo + i, ml_scale1(mljGet(&cy, yo + i), alpha));
    else {
      int32_t xv = mljGet(&cx, xo + i);
      mljSet(&cy, yo + i, ml_axpy1(mljGet(&cy, yo + i), xv, alpha));
    }
  }
  mljClose(&cy);
  mljClose(&cx);
}

/* One wide-weight element through get/set, in the TypeScript order (x, f, w read; f, w written). */
static void mljAxpyWide1(MljCursor *w, MljCursor *f, size_t wi, int32_t xv, int32_t a, int32_t s) {
  uint16_t fv = (uint16_t)mljGet(f, wi);
  int32_t wv = mljGet(w, wi);
  ml_axpyWide1(&wv, &fv, xv, a, s);
  mljSet(f, wi, fv);
  mljSet(w, wi, wv);
}

/* axpyWide is gerWide with one row and a given (a, s): d == NULL. */
static MLJ_NOINLINE void mljSlowWide(MljArray *w, MljArray *f, uint32_t wo, uint32_t rows, uint32_t cols, MljArray *d, MljArray *x, uint32_t xo, int32_t lrOrA, int32_t s) {
  MljCursor cw, cf, cd, cx;
  uint32_t r, c;
  mljOpen(&cw, w);
  mljOpen(&cf, f);
  mljOpen(&cd, d);
  mljOpen(&cx, x);
  for (r = 0; r < rows; r++) {
    int32_t st[2];
    if (d) ml_step(lrOrA, mljGet(&cd, r), st);
    else {
      st[0] = lrOrA;
      st[1] = s;
    }
    if (st[0] != 0 || !d)
      for (c = 0; c < cols; c++) mljAxpyWide1(&cw, &cf, wo + (size_t)r * cols + c, mljGet(&cx, xo + c), st[0], st[1]);
  }
  mljClose(&cw);
  mljClose(&cf);
  mljClose(&cd);
  mljClose(&cx);
}

static MLJ_NOINLINE void mljSlowSqdistMany(MljArray *data, uint32_t rows, uint32_t cols, MljArray *x, uint32_t xo, int32_t shift, MljArray *out) {
  MljCursor cd, cx, co;
  uint32_t r, c;
  mljOpen(&cd, data);
  mljOpen(&cx, x);
  mljOpen(&co, out);
  for (r = 0; r < rows; r++) {
    ml_sum s = { 0, 0 };
    for (c = 0; c < cols; c++) ml_sum_sqdiff(&s, mljGet(&cd, (size_t)r * cols + c), mljGet(&cx, xo + c));
    mljSet(&co, r, ml_sum_round(&s, shift));
  }
  mljClose(&cd);
  mljClose(&cx);
  mljClose(&co);
}

static MLJ_NOINLINE void mljSlowWelford(MljArray *mean, MljArray *meanF, MljArray *varI, MljArray *varF, MljArray *varR, uint32_t o, MljArray *x, uint32_t xo, uint32_t n, int64_t count) {
  MljCursor cm, cmf, cvi, cvf, cvr, cx;
  uint32_t i;
  mljOpen(&cm, mean);
  mljOpen(&cmf, meanF);
  mljOpen(&cvi, varI);
  mljOpen(&cvf, varF);
  mljOpen(&cvr, varR);
  mljOpen(&cx, x);
  for (i = 0; i < n; i++) {
    int32_t xv = mljGet(&cx, xo + i);
    int32_t m = mljGet(&cm, o + i), vi;
    uint16_t mf = (uint16_t)mljGet(&cmf, o + i);
    uint32_t vf;
    int32_t vr;
    vi = mljGet(&cvi, o + i);
    vf = (uint32_t)mljGet(&cvf, o + i);
    vr = mljGet(&cvr, o + i);
    ml_welford1(&m, &mf, &vi, &vf, &vr, xv, count);
    mljSet(&cm, o + i, m);
    mljSet(&cmf, o + i, mf);
    mljSet(&cvi, o + i, vi);
    mljSet(&cvf, o + i, (int32_t)vf);
    mljSet(&cvr, o + i, vr);
  }
  mljClose(&cm);
  mljClose(&cmf);
  mljClose(&cvi);
  mljClose(&cvf);
  mljClose(&cvr);
  mljClose(&cx);
}

/* gerAdam element by element (m may be NULL: RMSprop), in the kernel's order. */
static MLJ_NOINLINE void mljSlowAdam(MljArray *w, MljArray *f, MljArray *m, MljArray *mf, MljArray *vI, MljArray *vF, uint32_t rows, uint32_t cols,
                                     MljArray *d, MljArray *x, uint32_t xo, const int32_t *sc) {
  MljCursor cw, cf, cm, cmf, cvi, cvf, cd, cx;
  uint32_t r, c;
  mljOpen(&cw, w);
  mljOpen(&cf, f);
  mljOpen(&cm, m);
  mljOpen(&cmf, mf);
  mljOpen(&cvi, vI);
  mljOpen(&cvf, vF);
  mljOpen(&cd, d);
  mljOpen(&cx, x);
  for (r = 0; r < rows; r++) {
    int32_t dr = mljGet(&cd, r);
    for (c = 0; c < cols; c++) {
      size_t j = (size_t)r * cols + c;
      int32_t g = ml_mul(dr, mljGet(&cx, xo + c)), wv, mv = 0, vi;
      uint16_t fv, mfv = 0;
      uint32_t vf;
      if (m) {
        mv = mljGet(&cm, j);
        mfv = (uint16_t)mljGet(&cmf, j);
      }
      vi = mljGet(&cvi, j);
      vf = (uint32_t)mljGet(&cvf, j);
      wv = mljGet(&cw, j);
      fv = (uint16_t)mljGet(&cf, j);
      ml_adam1(&wv, &fv, m ? &mv : NULL, m ? &mfv : NULL, &vi, &vf, g, sc[0], sc[1], sc[2], sc[3], sc[4]);
      if (m) {
        mljSet(&cm, j, mv);
        mljSet(&cmf, j, mfv);
      }
      mljSet(&cvi, j, vi);
      mljSet(&cvf, j, (int32_t)vf);
      mljSet(&cf, j, fv);
      mljSet(&cw, j, wv);
    }
  }
  mljClose(&cw);
  mljClose(&cf);
  mljClose(&cm);
  mljClose(&cmf);
  mljClose(&cvi);
  mljClose(&cvf);
  mljClose(&cd);
  mljClose(&cx);
}

static MLJ_NOINLINE uint32_t mljSlowArgBest(MljArray *a, uint32_t ao, uint32_t n, bool max) {
  MljCursor ca;
  uint32_t i, best = 0;
  int32_t v;
  if (n == 0) return 0;
  mljOpen(&ca, a);
  v = mljGet(&ca, ao);
  for (i = 1; i < n; i++) {
    int32_t e = mljGet(&ca, ao + i);
    if (max ? e > v : e < v) {
      v = e;
      best = i;
    }
  }
  mljClose(&ca);
  return best;
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "dot",
  "generate" : "jswrap_microlearn_dot",
  "params" : [
    ["args","JsVarArray","a: Int32Array, ao, b: Int32Array, bo, n"]
  ],
  "return" : ["int32","sum of a[ao+i]*b[bo+i], Q16.16, rounded half up, saturated"]
}
Microlearn kernel `dot` (see microlearn src/kernels.ts).
*/
int jswrap_microlearn_dot(JsVar *args) {
  MljArgs A;
  MljArray a, b;
  uint32_t ao = 0, bo = 0, n = 0;
  int32_t r = 0;
  mljInit(&a);
  mljInit(&b);
  if (mljArgs(args, &A, 5) && mljArray(A.a[0], MLJ_I32, &a) && mljU32(A.a[1], &ao) && mljArray(A.a[2], MLJ_I32, &b) &&
      mljU32(A.a[3], &bo) && mljU32(A.a[4], &n) && mljUse(&a, ao, n) && mljUse(&b, bo, n)) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &a, NULL, NULL, NULL, NULL);
    mljStage(&st, &b, NULL, NULL, NULL, NULL);
    r = mljFlat(&a) && mljFlat(&b) ? ml_dot(MLJ_P32(&a, ao), MLJ_P32(&b, bo), n) : mljSlowDot(&a, ao, &b, bo, n, 0, false);
  }
  mljArgsFree(&A);
  return r;
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "matvec",
  "generate" : "jswrap_microlearn_matvec",
  "params" : [
    ["args","JsVarArray","w: Int32Array, x: Int32Array, xo, bias: Int32Array or null, out: Int32Array, rows, cols"]
  ]
}
Microlearn kernel `matvec` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_matvec(JsVar *args) {
  MljArgs A;
  MljArray w, x, bias, out;
  uint32_t xo = 0, rows = 0, cols = 0;
  uint64_t area = 0;
  bool hasBias = false;
  mljInit(&w);
  mljInit(&x);
  mljInit(&bias);
  mljInit(&out);
  if (mljArgs(args, &A, 7) && mljArray(A.a[0], MLJ_I32, &w) && mljArray(A.a[1], MLJ_I32, &x) && mljU32(A.a[2], &xo) &&
      ((hasBias = !jsvIsNull(A.a[3])) ? mljArray(A.a[3], MLJ_I32, &bias) : true) && mljArray(A.a[4], MLJ_I32, &out) &&
      mljU32(A.a[5], &rows) && mljU32(A.a[6], &cols) && mljArea(rows, cols, &area) && mljUse(&w, 0, area) &&
      mljUse(&x, xo, cols) && (!hasBias || mljUse(&bias, 0, rows)) && mljUse(&out, 0, rows)) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &x, &out, NULL, NULL, NULL);
    if (hasBias) mljStage(&st, &bias, &out, NULL, NULL, NULL);
    mljStage(&st, &w, &out, NULL, NULL, NULL);
    if (mljFlat(&w) && mljFlat(&x) && (!hasBias || mljFlat(&bias)) && mljFlat(&out))
      ml_matvec(MLJ_P32(&w, 0), MLJ_P32(&x, xo), hasBias ? MLJ_P32(&bias, 0) : NULL, MLJ_P32(&out, 0), rows, cols);
    else
      mljSlowMatvec(&w, &x, xo, hasBias ? &bias : NULL, &out, rows, cols);
  }
  mljArgsFree(&A);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "matTvec",
  "generate" : "jswrap_microlearn_matTvec",
  "params" : [
    ["args","JsVarArray","w: Int32Array, d: Int32Array, out: Int32Array, rows, cols"]
  ]
}
Microlearn kernel `matTvec` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_matTvec(JsVar *args) {
  MljArgs A;
  MljArray w, d, out;
  uint32_t rows = 0, cols = 0;
  uint64_t area = 0;
  mljInit(&w);
  mljInit(&d);
  mljInit(&out);
  if (mljArgs(args, &A, 5) && mljArray(A.a[0], MLJ_I32, &w) && mljArray(A.a[1], MLJ_I32, &d) && mljArray(A.a[2], MLJ_I32, &out) &&
      mljU32(A.a[3], &rows) && mljU32(A.a[4], &cols) && mljArea(rows, cols, &area) && mljUse(&w, 0, area) && mljUse(&d, 0, rows) &&
      mljUse(&out, 0, cols)) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &d, &out, NULL, NULL, NULL);
    mljStage(&st, &w, &out, NULL, NULL, NULL);
    if (mljFlat(&w) && mljFlat(&d) && mljFlat(&out)) ml_matTvec(MLJ_P32(&w, 0), MLJ_P32(&d, 0), MLJ_P32(&out, 0), rows, cols);
    else mljSlowMatTvec(&w, &d, &out, rows, cols);
  }
  mljArgsFree(&A);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "axpy",
  "generate" : "jswrap_microlearn_axpy",
  "params" : [
    ["args","JsVarArray","y: Int32Array, yo, x: Int32Array, xo, n, alpha"]
  ]
}
Microlearn kernel `axpy` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_axpy(JsVar *args) {
  MljArgs A;
  MljArray y, x;
  uint32_t yo = 0, xo = 0, n = 0;
  int32_t alpha = 0;
  mljInit(&y);
  mljInit(&x);
  if (mljArgs(args, &A, 6) && mljArray(A.a[0], MLJ_I32, &y) && mljU32(A.a[1], &yo) && mljArray(A.a[2], MLJ_I32, &x) &&
      mljU32(A.a[3], &xo) && mljU32(A.a[4], &n) && mljI32(A.a[5], &alpha) && mljUse(&y, yo, n) && mljUse(&x, xo, n)) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &x, &y, NULL, NULL, NULL);
    if (mljFlat(&y) && mljFlat(&x)) ml_axpy(MLJ_P32(&y, yo), MLJ_P32(&x, xo), n, alpha);
    else mljSlowAxpy(&y, yo, &x, xo, n, alpha, false);
  }
  mljArgsFree(&A);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "axpyWide",
  "generate" : "jswrap_microlearn_axpyWide",
  "params" : [
    ["args","JsVarArray","w: Int32Array, f: Uint16Array, wo, x: Int32Array, xo, n, a, s"]
  ]
}
Microlearn kernel `axpyWide` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_axpyWide(JsVar *args) {
  MljArgs A;
  MljArray w, f, x;
  uint32_t wo = 0, xo = 0, n = 0;
  int32_t a = 0, s = 0;
  mljInit(&w);
  mljInit(&f);
  mljInit(&x);
  if (mljArgs(args, &A, 8) && mljArray(A.a[0], MLJ_I32, &w) && mljArray(A.a[1], MLJ_U16, &f) && mljU32(A.a[2], &wo) &&
      mljArray(A.a[3], MLJ_I32, &x) && mljU32(A.a[4], &xo) && mljU32(A.a[5], &n) && mljStep(A.a[6], A.a[7], &a, &s) &&
      mljUse(&w, wo, n) && mljUse(&f, wo, n) && mljUse(&x, xo, n) && mljDisjoint(&w, &f) && mljDisjoint(&x, &f)) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &x, &w, &f, NULL, NULL);
    if (mljFlat(&w) && mljFlat(&f) && mljFlat(&x)) ml_axpyWide(MLJ_P32(&w, wo), MLJ_P16(&f, wo), MLJ_P32(&x, xo), n, a, s);
    else mljSlowWide(&w, &f, wo, 1, n, NULL, &x, xo, a, s);
  }
  mljArgsFree(&A);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "gerWide",
  "generate" : "jswrap_microlearn_gerWide",
  "params" : [
    ["args","JsVarArray","w: Int32Array, f: Uint16Array, rows, cols, d: Int32Array, x: Int32Array, xo, lr"]
  ]
}
Microlearn kernel `gerWide` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_gerWide(JsVar *args) {
  MljArgs A;
  MljArray w, f, d, x;
  uint32_t rows = 0, cols = 0, xo = 0;
  uint64_t area = 0;
  int32_t lr = 0;
  mljInit(&w);
  mljInit(&f);
  mljInit(&d);
  mljInit(&x);
  if (mljArgs(args, &A, 8) && mljArray(A.a[0], MLJ_I32, &w) && mljArray(A.a[1], MLJ_U16, &f) && mljU32(A.a[2], &rows) &&
      mljU32(A.a[3], &cols) && mljArray(A.a[4], MLJ_I32, &d) && mljArray(A.a[5], MLJ_I32, &x) && mljU32(A.a[6], &xo) &&
      mljI32(A.a[7], &lr) && mljArea(rows, cols, &area) && mljUse(&w, 0, area) && mljUse(&f, 0, area) && mljUse(&d, 0, rows) &&
      mljUse(&x, xo, cols) && mljDisjoint(&w, &f) && mljDisjoint(&d, &f) && mljDisjoint(&x, &f)) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &x, &w, &f, NULL, NULL);
    mljStage(&st, &d, &w, &f, NULL, NULL);
    if (mljFlat(&w) && mljFlat(&f) && mljFlat(&d) && mljFlat(&x))
      ml_gerWide(MLJ_P32(&w, 0), MLJ_P16(&f, 0), rows, cols, MLJ_P32(&d, 0), MLJ_P32(&x, xo), lr);
    else mljSlowWide(&w, &f, 0, rows, cols, &d, &x, xo, lr, 0);
  }
  mljArgsFree(&A);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "scale",
  "generate" : "jswrap_microlearn_scale",
  "params" : [
    ["y","JsVar","Int32Array"],
    ["yo","JsVar","offset"],
    ["n","JsVar","count"],
    ["alpha","JsVar","Q16.16 factor"]
  ]
}
Microlearn kernel `scale` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_scale(JsVar *yv, JsVar *yov, JsVar *nv, JsVar *alphav) {
  MljArray y;
  uint32_t yo = 0, n = 0;
  int32_t alpha = 0;
  mljInit(&y);
  if (mljArray(yv, MLJ_I32, &y) && mljU32(yov, &yo) && mljU32(nv, &n) && mljI32(alphav, &alpha) && mljUse(&y, yo, n)) {
    if (mljFlat(&y)) ml_scale(MLJ_P32(&y, yo), n, alpha);
    else mljSlowAxpy(&y, yo, &y, yo, n, alpha, true);
  }
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "sqdist",
  "generate" : "jswrap_microlearn_sqdist",
  "params" : [
    ["args","JsVarArray","a: Int32Array, ao, b: Int32Array, bo, n, shift"]
  ],
  "return" : ["int32","sum of squared differences / 2^shift, Q16.16, rounded half up, saturated"]
}
Microlearn kernel `sqdist` (see microlearn src/kernels.ts).
*/
int jswrap_microlearn_sqdist(JsVar *args) {
  MljArgs A;
  MljArray a, b;
  uint32_t ao = 0, bo = 0, n = 0;
  int32_t shift = 0, r = 0;
  mljInit(&a);
  mljInit(&b);
  if (mljArgs(args, &A, 6) && mljArray(A.a[0], MLJ_I32, &a) && mljU32(A.a[1], &ao) && mljArray(A.a[2], MLJ_I32, &b) &&
      mljU32(A.a[3], &bo) && mljU32(A.a[4], &n) && mljShift(A.a[5], &shift) && mljUse(&a, ao, n) && mljUse(&b, bo, n)) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &a, NULL, NULL, NULL, NULL);
    mljStage(&st, &b, NULL, NULL, NULL, NULL);
    r = mljFlat(&a) && mljFlat(&b) ? ml_sqdist(MLJ_P32(&a, ao), MLJ_P32(&b, bo), n, shift) : mljSlowDot(&a, ao, &b, bo, n, shift, true);
  }
  mljArgsFree(&A);
  return r;
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "sqdistMany",
  "generate" : "jswrap_microlearn_sqdistMany",
  "params" : [
    ["args","JsVarArray","data: Int32Array, rows, cols, x: Int32Array, xo, shift, out: Int32Array"]
  ]
}
Microlearn kernel `sqdistMany` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_sqdistMany(JsVar *args) {
  MljArgs A;
  MljArray data, x, out;
  uint32_t rows = 0, cols = 0, xo = 0;
  uint64_t area = 0;
  int32_t shift = 0;
  mljInit(&data);
  mljInit(&x);
  mljInit(&out);
  if (mljArgs(args, &A, 7) && mljArray(A.a[0], MLJ_I32, &data) && mljU32(A.a[1], &rows) && mljU32(A.a[2], &cols) &&
      mljArray(A.a[3], MLJ_I32, &x) && mljU32(A.a[4], &xo) && mljShift(A.a[5], &shift) && mljArray(A.a[6], MLJ_I32, &out) &&
      mljArea(rows, cols, &area) && mljUse(&data, 0, area) && mljUse(&x, xo, cols) && mljUse(&out, 0, rows)) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &x, &out, NULL, NULL, NULL);
    mljStage(&st, &data, &out, NULL, NULL, NULL);
    if (mljFlat(&data) && mljFlat(&x) && mljFlat(&out)) ml_sqdistMany(MLJ_P32(&data, 0), rows, cols, MLJ_P32(&x, xo), shift, MLJ_P32(&out, 0));
    else mljSlowSqdistMany(&data, rows, cols, &x, xo, shift, &out);
  }
  mljArgsFree(&A);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "welford",
  "generate" : "jswrap_microlearn_welford",
  "params" : [
    ["args","JsVarArray","mean: Int32Array, meanF: Uint16Array, varI: Int32Array, varF: Uint32Array, varR: Int32Array, o, x: Int32Array, xo, n, count"]
  ]
}
Microlearn kernel `welford` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_welford(JsVar *args) {
  MljArgs A;
  MljArray mean, meanF, varI, varF, varR, x;
  uint32_t o = 0, xo = 0, n = 0;
  int64_t count = 0;
  mljInit(&mean);
  mljInit(&meanF);
  mljInit(&varI);
  mljInit(&varF);
  mljInit(&varR);
  mljInit(&x);
  if (mljArgs(args, &A, 10) && mljArray(A.a[0], MLJ_I32, &mean) && mljArray(A.a[1], MLJ_U16, &meanF) &&
      mljArray(A.a[2], MLJ_I32, &varI) && mljArray(A.a[3], MLJ_U32, &varF) && mljArray(A.a[4], MLJ_I32, &varR) &&
      mljU32(A.a[5], &o) && mljArray(A.a[6], MLJ_I32, &x) && mljU32(A.a[7], &xo) && mljU32(A.a[8], &n) &&
      mljNumber(A.a[9], 1, MLJ_MAX_SAFE_INTEGER, &count) && mljUse(&mean, o, n) && mljUse(&meanF, o, n) &&
      mljUse(&varI, o, n) && mljUse(&varF, o, n) && mljUse(&varR, o, n) && mljUse(&x, xo, n) &&
      mljDisjoint(&mean, &meanF) && mljDisjoint(&mean, &varF) && mljDisjoint(&varI, &meanF) && mljDisjoint(&varI, &varF) &&
      mljDisjoint(&x, &meanF) && mljDisjoint(&x, &varF) && mljDisjoint(&meanF, &varF) && mljDisjoint(&meanF, &varR) &&
      mljDisjoint(&varF, &varR)) {
    MljStage st;
    st.used = 0;
    /* x may be staged only if no written array shares its storage (mljStage checks four; varR here) */
    if (varR.backing != x.backing) mljStage(&st, &x, &mean, &meanF, &varI, &varF);
    if (mljFlat(&mean) && mljFlat(&meanF) && mljFlat(&varI) && mljFlat(&varF) && mljFlat(&varR) && mljFlat(&x))
      ml_welford(MLJ_P32(&mean, o), MLJ_P16(&meanF, o), MLJ_P32(&varI, o), MLJ_PU32(&varF, o), MLJ_P32(&varR, o), MLJ_P32(&x, xo), n, count);
    else
      mljSlowWelford(&mean, &meanF, &varI, &varF, &varR, o, &x, xo, n, count);
  }
  mljArgsFree(&A);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "gerAdam",
  "generate" : "jswrap_microlearn_gerAdam",
  "params" : [
    ["args","JsVarArray","w: Int32Array, f: Uint16Array, m: Int32Array or null, mf: Uint16Array or null, vI: Int32Array, vF: Uint32Array, rows, cols, d: Int32Array, x: Int32Array, xo, a, k, e, b1, b2"]
  ]
}
Microlearn kernel `gerAdam` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_gerAdam(JsVar *args) {
  MljArgs A;
  MljArray w, f, m, mf, vI, vF, d, x;
  uint32_t rows = 0, cols = 0, xo = 0;
  uint64_t area = 0;
  int64_t v;
  int32_t sc[5] = { 0, 0, 0, 0, 0 };
  static const int64_t hi[5] = { 2097151, 62, INT32_MAX, 65535, 65535 };
  bool ok, first = false;
  int i;
  mljInit(&w);
  mljInit(&f);
  mljInit(&m);
  mljInit(&mf);
  mljInit(&vI);
  mljInit(&vF);
  mljInit(&d);
  mljInit(&x);
  ok = mljArgs(args, &A, 16) && mljArray(A.a[0], MLJ_I32, &w) && mljArray(A.a[1], MLJ_U16, &f);
  if (ok) {
    first = !jsvIsNull(A.a[2]);
    if (first != !jsvIsNull(A.a[3])) {
      jsExceptionHere(JSET_TYPEERROR, "Microlearn: m and mf must both be typed arrays or both null");
      ok = false;
    }
  }
  ok = ok && (!first || (mljArray(A.a[2], MLJ_I32, &m) && mljArray(A.a[3], MLJ_U16, &mf))) && mljArray(A.a[4], MLJ_I32, &vI) &&
       mljArray(A.a[5], MLJ_U32, &vF) && mljU32(A.a[6], &rows) && mljU32(A.a[7], &cols) && mljArray(A.a[8], MLJ_I32, &d) &&
       mljArray(A.a[9], MLJ_I32, &x) && mljU32(A.a[10], &xo);
  for (i = 0; ok && i < 5; i++) {
    ok = mljNumber(A.a[11 + i], 0, hi[i], &v);
    sc[i] = (int32_t)v;
  }
  ok = ok && mljArea(rows, cols, &area) && mljUse(&w, 0, area) && mljUse(&f, 0, area) && (!first || (mljUse(&m, 0, area) && mljUse(&mf, 0, area))) &&
       mljUse(&vI, 0, area) && mljUse(&vF, 0, area) && mljUse(&d, 0, rows) && mljUse(&x, xo, cols) && mljDisjoint(&w, &f) &&
       mljDisjoint(&w, &vF) && mljDisjoint(&vI, &f) && mljDisjoint(&vI, &vF) && mljDisjoint(&d, &f) && mljDisjoint(&d, &vF) &&
       mljDisjoint(&x, &f) && mljDisjoint(&x, &vF) && mljDisjoint(&f, &vF) &&
       (!first || (mljDisjoint(&w, &mf) && mljDisjoint(&m, &f) && mljDisjoint(&m, &mf) && mljDisjoint(&m, &vF) && mljDisjoint(&vI, &mf) &&
                   mljDisjoint(&d, &mf) && mljDisjoint(&x, &mf) && mljDisjoint(&mf, &vF)));
  if (ok) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &x, &w, &m, &vI, NULL);
    mljStage(&st, &d, &w, &m, &vI, NULL);
    if (mljFlat(&w) && mljFlat(&f) && (!first || (mljFlat(&m) && mljFlat(&mf))) && mljFlat(&vI) && mljFlat(&vF) && mljFlat(&d) && mljFlat(&x))
      ml_gerAdam(MLJ_P32(&w, 0), MLJ_P16(&f, 0), first ? MLJ_P32(&m, 0) : NULL, first ? MLJ_P16(&mf, 0) : NULL, MLJ_P32(&vI, 0), MLJ_PU32(&vF, 0), rows, cols,
                 MLJ_P32(&d, 0), MLJ_P32(&x, xo), sc[0], sc[1], sc[2], sc[3], sc[4]);
    else
      mljSlowAdam(&w, &f, first ? &m : NULL, first ? &mf : NULL, &vI, &vF, rows, cols, &d, &x, xo, sc);
  }
  mljArgsFree(&A);
}

static int mljArgBest(JsVar *av, JsVar *aov, JsVar *nv, bool max) {
  MljArray a;
  uint32_t ao = 0, n = 0, best = 0;
  mljInit(&a);
  if (mljArray(av, MLJ_I32, &a) && mljU32(aov, &ao) && mljU32(nv, &n) && mljUse(&a, ao, n)) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &a, NULL, NULL, NULL, NULL);
    if (mljFlat(&a)) best = max ? ml_argmax(MLJ_P32(&a, ao), n) : ml_argmin(MLJ_P32(&a, ao), n);
    else best = mljSlowArgBest(&a, ao, n, max);
  }
  return (int)best;
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "argmin",
  "generate" : "jswrap_microlearn_argmin",
  "params" : [
    ["a","JsVar","Int32Array"],
    ["ao","JsVar","offset"],
    ["n","JsVar","count"]
  ],
  "return" : ["int32","index of the first smallest a[ao+i]"]
}
Microlearn kernel `argmin` (see microlearn src/kernels.ts).
*/
int jswrap_microlearn_argmin(JsVar *a, JsVar *ao, JsVar *n) {
  return mljArgBest(a, ao, n, false);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "argmax",
  "generate" : "jswrap_microlearn_argmax",
  "params" : [
    ["a","JsVar","Int32Array"],
    ["ao","JsVar","offset"],
    ["n","JsVar","count"]
  ],
  "return" : ["int32","index of the first largest a[ao+i]"]
}
Microlearn kernel `argmax` (see microlearn src/kernels.ts).
*/
int jswrap_microlearn_argmax(JsVar *a, JsVar *ao, JsVar *n) {
  return mljArgBest(a, ao, n, true);
}

/* ---- input conversion and the fused linear step ------------------------------ */

/* How mljReals converts each number: to Q16.16 (ml_fromDouble) when NULL, else ml_fromRaw into an input scale's units. */
typedef struct {
  MljArray *exps; /* one exponent (ne == 1, shared) or one per element */
  uint32_t ne, s;
  int64_t lim;
} MljConversion;

/*
 * Real numbers (c: see MljConversion) from the first n elements of x (an
 * Array, a typed array, anything Espruino iterates) into out. Returns −1, or
 * the index of the first element that is not a number or that the
 * conversion rejects (the contract of the TypeScript kernels toQ and toRaw);
 * elements after it are not written.
 */
static int mljReals(JsVar *x, uint32_t n, MljArray *out, const MljConversion *c) {
  JsvIterator it;
  MljCursor co, ce;
  uint32_t i, e = 0;
  int bad = -1;
  if (!jsvIsIterable(x)) return 0;
  mljOpen(&co, out);
  if (c) {
    mljOpen(&ce, c->exps);
    if (c->ne == 1) e = (uint32_t)mljGet(&ce, 0);
  }
  jsvIteratorNew(&it, x, JSIF_EVERY_ARRAY_ELEMENT);
  for (i = 0; i < n; i++) {
    JsVar *v = jsvIteratorHasElement(&it) ? jsvIteratorGetValue(&it) : NULL;
    int32_t q;
    bool ok = v && (jsvIsInt(v) || jsvIsFloat(v)) && !jsvIsPin(v);
    if (ok && !c) ok = ml_fromDouble(jsvGetFloat(v), &q);
    else if (ok) {
      if (c->ne != 1) e = (uint32_t)mljGet(&ce, i);
      ok = ml_fromRaw(jsvGetFloat(v), c->s, e, c->lim, &q);
    }
    jsvUnLock(v);
    if (!ok) {
      bad = (int)i;
      break;
    }
    mljSet(&co, out->first + i, q);
    jsvIteratorNext(&it);
  }
  jsvIteratorFree(&it);
  mljClose(&co);
  if (c) mljClose(&ce);
  return bad;
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "toQ",
  "generate" : "jswrap_microlearn_toQ",
  "params" : [
    ["x","JsVar","real numbers (an Array or typed array)"],
    ["n","JsVar","count"],
    ["out","JsVar","Int32Array"]
  ],
  "return" : ["int32","-1, or the index of the first element that is not a number in [-32768, 32768)"]
}
Microlearn kernel `toQ` (see microlearn src/kernels.ts).
*/
int jswrap_microlearn_toQ(JsVar *x, JsVar *nv, JsVar *outv) {
  MljArray out;
  uint32_t n = 0;
  mljInit(&out);
  if (!mljU32(nv, &n) || !mljArray(outv, MLJ_I32, &out) || !mljUse(&out, 0, n)) return 0;
  return mljReals(x, n, &out, NULL);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "toRaw",
  "generate" : "jswrap_microlearn_toRaw",
  "params" : [
    ["args","JsVarArray","x: raw numbers (an Array or typed array), n, s, exps: Uint8Array, lim, out: Int32Array"]
  ],
  "return" : ["int32","-1, or the index of the first element that is not a number in (-2^31, 2^31) or converts beyond ±lim"]
}
Microlearn kernel `toRaw` (see microlearn src/kernels.ts): raw inputs in the
internal units of an input scale.
*/
int jswrap_microlearn_toRaw(JsVar *args) {
  MljArgs A;
  MljArray exps, out;
  MljConversion c;
  uint32_t n = 0;
  int64_t s = 0, lim = 0;
  int r = -1;
  mljInit(&exps);
  mljInit(&out);
  if (mljArgs(args, &A, 6) && mljU32(A.a[1], &n) && mljNumber(A.a[2], 0, 16, &s) && mljArray(A.a[3], MLJ_U8, &exps) &&
      mljNumber(A.a[4], 1, (int64_t)1 << 31, &lim) && mljArray(A.a[5], MLJ_I32, &out) && mljUse(&out, 0, n)) {
    c.exps = &exps;
    c.ne = exps.length == 1 ? 1 : n;
    c.s = (uint32_t)s;
    c.lim = lim;
    if (exps.length != 1 && exps.length < n) jsExceptionHere(JSET_ERROR, "Microlearn: exps must have one element or at least n");
    else if (mljUse(&exps, 0, c.ne) && mljDisjoint(&exps, &out)) r = mljReals(A.a[0], n, &out, &c);
  }
  mljArgsFree(&A);
  return r;
}

/* sgdLinear element by element (w, f or xq not flat), in the order of ml_sgdLinear. */
static MLJ_NOINLINE void mljSlowSgdLinear(MljArray *w, MljArray *f, MljArray *x, uint32_t n, int32_t y, int32_t lr, int32_t l2, int32_t link) {
  MljCursor cw, cf, cx;
  ml_sum sum = { 0, 0 };
  uint32_t i;
  int32_t z, p, g, st[2];
  mljOpen(&cw, w);
  mljOpen(&cf, f);
  mljOpen(&cx, x);
  for (i = 0; i < n; i++) ml_sum_product(&sum, mljGet(&cw, i), mljGet(&cx, x->first + i));
  z = ml_sat((int64_t)ml_sum_round(&sum, 0) + mljGet(&cw, n));
  p = link == 1 ? ml_sigmoid(z) : z;
  g = ml_sat((int64_t)y - p);
  if (l2 != 0) {
    ml_step(lr, -l2, st);
    if (st[0] != 0)
      for (i = 0; i < n; i++) mljAxpyWide1(&cw, &cf, i, mljGet(&cw, i), st[0], st[1]);
  }
  ml_step(lr, g, st);
  if (st[0] != 0) {
    for (i = 0; i < n; i++) mljAxpyWide1(&cw, &cf, i, mljGet(&cx, x->first + i), st[0], st[1]);
    mljAxpyWide1(&cw, &cf, n, 65536, st[0], st[1]);
  }
  mljClose(&cw);
  mljClose(&cf);
  mljClose(&cx);
}

/* sgdLinear, or with realY sgdLinearReal (no link argument; y real, converted as toQ: returns n when rejected). */
static int mljSgdLinear(JsVar *args, bool realY) {
  MljArgs A;
  MljArray w, f, x;
  uint32_t n = 0;
  int32_t y = 0, lr = 0, l2 = 0, link = 0;
  int64_t lk = 0;
  int r = -1;
  mljInit(&w);
  mljInit(&f);
  mljInit(&x);
  if (mljArgs(args, &A, realY ? 8 : 9) && mljArray(A.a[0], MLJ_I32, &w) && mljArray(A.a[1], MLJ_U16, &f) && mljU32(A.a[4], &n) &&
      (realY || mljI32(A.a[5], &y)) && mljI32(A.a[6], &lr) && mljI32(A.a[7], &l2) && (realY || mljNumber(A.a[8], 0, 1, &lk)) &&
      mljUse(&w, 0, (uint64_t)n + 1) && mljUse(&f, 0, (uint64_t)n + 1) && mljDisjoint(&w, &f)) {
    bool raw = realY || !jsvIsNull(A.a[3]);
    link = (int32_t)lk;
    if (mljArray(raw ? A.a[3] : A.a[2], MLJ_I32, &x) && mljUse(&x, 0, n) && mljDisjoint(&x, &f)) {
      if (realY) {
        JsVar *yv = A.a[5];
        if (!(yv && (jsvIsInt(yv) || jsvIsFloat(yv)) && !jsvIsPin(yv) && ml_fromDouble(jsvGetFloat(yv), &y))) r = (int)n;
      }
      if (r < 0 && raw) r = mljReals(A.a[2], n, &x, NULL);
      if (r < 0) {
        if (mljFlat(&w) && mljFlat(&f) && mljFlat(&x)) ml_sgdLinear(MLJ_P32(&w, 0), MLJ_P16(&f, 0), MLJ_P32(&x, 0), n, y, lr, l2, link);
        else mljSlowSgdLinear(&w, &f, &x, n, y, lr, l2, link);
      }
    }
  }
  mljArgsFree(&A);
  return r;
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "sgdLinear",
  "generate" : "jswrap_microlearn_sgdLinear",
  "params" : [
    ["args","JsVarArray","w: Int32Array, f: Uint16Array, x, xq: Int32Array or null, n, y, lr, l2, link"]
  ],
  "return" : ["int32","-1, or the index of a rejected element of a real-valued x"]
}
Microlearn kernel `sgdLinear` (see microlearn src/kernels.ts): one fused SGD
step of a linear model; a real-valued x is converted into xq on the way.
*/
int jswrap_microlearn_sgdLinear(JsVar *args) {
  return mljSgdLinear(args, false);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "sgdLinearReal",
  "generate" : "jswrap_microlearn_sgdLinearReal",
  "params" : [
    ["args","JsVarArray","w: Int32Array, f: Uint16Array, x: real numbers, xq: Int32Array, n, y: a real target, lr, l2"]
  ],
  "return" : ["int32","-1, n when y is rejected, or the index of a rejected element of x"]
}
Microlearn kernel `sgdLinearReal` (see microlearn src/kernels.ts): sgdLinear
with the identity link on real x and a real target.
*/
int jswrap_microlearn_sgdLinearReal(JsVar *args) {
  return mljSgdLinear(args, true);
}

/* ml_kmeansNearest element by element (some array not flat). */
static MLJ_NOINLINE int32_t mljSlowNearest(MljArray *c, uint32_t rows, uint32_t n, MljArray *x, MljArray *dist) {
  MljCursor cd;
  int32_t shift, j = -1;
  for (shift = 0; shift <= 16 && j < 0; shift += 8) {
    uint32_t b;
    mljSlowSqdistMany(c, rows, n, x, 0, shift, dist);
    b = mljSlowArgBest(dist, 0, rows, false);
    mljOpen(&cd, dist);
    if (mljGet(&cd, b) != INT32_MAX) j = (int32_t)b;
    mljClose(&cd);
  }
  return j;
}

/* ml_kmeansLearn element by element (some array not flat), in its order. */
static MLJ_NOINLINE void mljSlowKmeans(MljArray *c, MljArray *cf, MljArray *counts, uint32_t k, uint32_t n, MljArray *x, int32_t decay, MljArray *work) {
  MljCursor cc, cfc, cn, cx, cw;
  int32_t st[4];
  int32_t j = mljSlowNearest(c, k, n, x, work);
  uint32_t cnt, i;
  size_t o;
  if (j < 0) return;
  mljOpen(&cn, counts);
  cnt = (uint32_t)mljGet(&cn, (size_t)j);
  cnt = cnt < 0xFFFFFFFFu ? cnt + 1 : 0xFFFFFFFFu;
  mljSet(&cn, (size_t)j, (int32_t)cnt);
  mljClose(&cn);
  o = (size_t)j * n;
  mljOpen(&cc, c);
  mljOpen(&cfc, cf);
  mljOpen(&cx, x);
  mljOpen(&cw, work);
  for (i = 0; i < n; i++)
    mljSet(&cw, k + i, ml_sat((int64_t)mljGet(&cx, x->first + i) - mljGet(&cc, o + i) - (mljGet(&cfc, o + i) > 32768 ? 1 : 0)));
  mljClose(&cc);
  mljClose(&cfc);
  mljClose(&cx);
  mljClose(&cw);
  if (decay > 0 && (uint64_t)cnt * (uint64_t)decay >= 65536) {
    ml_step(decay, 65536, st);
    st[2] = 0;
  } else ml_stepRecip(cnt, st);
  mljSlowWide(c, cf, (uint32_t)o, 1, n, NULL, work, k, st[0], st[1]);
  if (st[2] != 0) mljSlowWide(c, cf, (uint32_t)o, 1, n, NULL, work, k, st[2], st[3]);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "kmeansLearn",
  "generate" : "jswrap_microlearn_kmeansLearn",
  "params" : [
    ["args","JsVarArray","c: Int32Array, cf: Uint16Array, counts: Uint32Array, k, n, x, xq: Int32Array or null, exps: Uint8Array, lim, decay, work: Int32Array"]
  ],
  "return" : ["int32","-1, or the index of a rejected element of a raw x"]
}
Microlearn kernel `kmeansLearn` (see microlearn src/kernels.ts): one online
k-means step; a raw x is converted into xq (toRaw) on the way.
*/
int jswrap_microlearn_kmeansLearn(JsVar *args) {
  MljArgs A;
  MljArray c, cf, counts, x, exps, work;
  uint32_t k = 0, n = 0;
  uint64_t area = 0;
  int64_t kk = 0, lim = 0, decay = 0;
  int r = -1;
  mljInit(&c);
  mljInit(&cf);
  mljInit(&counts);
  mljInit(&x);
  mljInit(&exps);
  mljInit(&work);
  if (mljArgs(args, &A, 11) && mljArray(A.a[0], MLJ_I32, &c) && mljArray(A.a[1], MLJ_U16, &cf) && mljArray(A.a[2], MLJ_U32, &counts) &&
      mljNumber(A.a[3], 1, 0xFFFFFFFF, &kk) && mljU32(A.a[4], &n) && mljArray(A.a[7], MLJ_U8, &exps) && mljNumber(A.a[8], 1, (int64_t)1 << 31, &lim) &&
      mljNumber(A.a[9], 0, 65536, &decay) && mljArray(A.a[10], MLJ_I32, &work) && mljArea((uint32_t)kk, n, &area) && mljUse(&c, 0, area) &&
      mljUse(&cf, 0, area) && mljUse(&counts, 0, (uint64_t)kk) && mljUse(&work, 0, (uint64_t)kk + n) && mljUse(&exps, 0, 1) && mljDisjoint(&c, &cf) &&
      mljDisjoint(&c, &counts) && mljDisjoint(&cf, &counts) && mljDisjoint(&work, &cf) && mljDisjoint(&work, &counts)) {
    bool raw = !jsvIsNull(A.a[6]);
    k = (uint32_t)kk;
    if (mljArray(raw ? A.a[6] : A.a[5], MLJ_I32, &x) && mljUse(&x, 0, n) && mljDisjoint(&x, &cf) && mljDisjoint(&x, &counts) &&
        (!raw || mljDisjoint(&exps, &x))) {
      if (raw) {
        MljConversion cv;
        cv.exps = &exps;
        cv.ne = 1;
        cv.s = 16;
        cv.lim = lim;
        r = mljReals(A.a[5], n, &x, &cv);
      }
      if (r < 0) {
        if (mljFlat(&c) && mljFlat(&cf) && mljFlat(&counts) && mljFlat(&x) && mljFlat(&work))
          ml_kmeansLearn(MLJ_P32(&c, 0), MLJ_P16(&cf, 0), MLJ_PU32(&counts, 0), k, n, MLJ_P32(&x, 0), (int32_t)decay, MLJ_P32(&work, 0));
        else mljSlowKmeans(&c, &cf, &counts, k, n, &x, (int32_t)decay, &work);
      }
    }
  }
  mljArgsFree(&A);
  return r;
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "kmeansNearest",
  "generate" : "jswrap_microlearn_kmeansNearest",
  "params" : [
    ["args","JsVarArray","c: Int32Array, rows, n, x: raw numbers, xq: Int32Array, exps: Uint8Array, lim, dist: Int32Array"]
  ],
  "return" : ["int32","the nearest centroid, or -1 (a rejected element, or no centroid can be ranked)"]
}
Microlearn kernel `kmeansNearest` (see microlearn src/kernels.ts).
*/
int jswrap_microlearn_kmeansNearest(JsVar *args) {
  MljArgs A;
  MljArray c, xq, exps, dist;
  uint32_t n = 0;
  uint64_t area = 0;
  int64_t rows = 0, lim = 0;
  int r = -1;
  mljInit(&c);
  mljInit(&xq);
  mljInit(&exps);
  mljInit(&dist);
  if (mljArgs(args, &A, 8) && mljArray(A.a[0], MLJ_I32, &c) && mljNumber(A.a[1], 1, 0xFFFFFFFF, &rows) && mljU32(A.a[2], &n) &&
      mljArray(A.a[4], MLJ_I32, &xq) && mljArray(A.a[5], MLJ_U8, &exps) && mljNumber(A.a[6], 1, (int64_t)1 << 31, &lim) &&
      mljArray(A.a[7], MLJ_I32, &dist) && mljArea((uint32_t)rows, n, &area) && mljUse(&c, 0, area) && mljUse(&xq, 0, n) && mljUse(&exps, 0, 1) &&
      mljUse(&dist, 0, (uint64_t)rows) && mljDisjoint(&exps, &xq)) {
    MljConversion cv;
    cv.exps = &exps;
    cv.ne = 1;
    cv.s = 16;
    cv.lim = lim;
    if (mljReals(A.a[3], n, &xq, &cv) < 0) {
      if (mljFlat(&c) && mljFlat(&xq) && mljFlat(&dist))
        r = ml_kmeansNearest(MLJ_P32(&c, 0), (uint32_t)rows, n, MLJ_P32(&xq, 0), MLJ_P32(&dist, 0));
      else r = mljSlowNearest(&c, (uint32_t)rows, n, &xq, &dist);
    }
  }
  mljArgsFree(&A);
  return r;
}

/* The activation pass of denseForward, a[r] = act(z[r]), element by element (some array not flat). */
static MLJ_NOINLINE void mljSlowActivate(MljArray *z, MljArray *a, uint32_t rows, int32_t act) {
  MljCursor cz, ca;
  uint32_t i;
  mljOpen(&cz, z);
  mljOpen(&ca, a);
  for (i = 0; i < rows; i++) {
    int32_t v = mljGet(&cz, i);
    mljSet(&ca, i, act == 0 ? (v > 0 ? v : 0) : act == 1 ? ml_tanh(v) : act == 2 ? ml_sigmoid(v) : v);
  }
  mljClose(&cz);
  mljClose(&ca);
}

/* The derivative pass of denseBackward, element by element (some array not flat), as in ml_denseBackward. */
static MLJ_NOINLINE void mljSlowDerivative(MljArray *gp, MljArray *ap, MljArray *zp, uint32_t cols, int32_t act) {
  MljCursor cg, ca, cz;
  uint32_t i;
  mljOpen(&cg, gp);
  mljOpen(&ca, ap);
  mljOpen(&cz, zp);
  for (i = 0; i < cols; i++) {
    int32_t av = mljGet(&ca, i);
    int32_t d = act == 0 ? (mljGet(&cz, i) > 0 ? 65536 : 0) : act == 1 ? 65536 - ml_mul(av, av) : act == 2 ? ml_mul(av, ml_sat((int64_t)65536 - av)) : 65536;
    if (d != 65536) mljSet(&cg, i, ml_mul(mljGet(&cg, i), d));
  }
  mljClose(&cg);
  mljClose(&ca);
  mljClose(&cz);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "denseForward",
  "generate" : "jswrap_microlearn_denseForward",
  "params" : [
    ["args","JsVarArray","w: Int32Array, x: Int32Array, xo, b: Int32Array or null, z: Int32Array, a: Int32Array, rows, cols, act"]
  ]
}
Microlearn kernel `denseForward` (see microlearn src/kernels.ts): matvec, then
the activation (0 relu, 1 tanh, 2 sigmoid, 3 linear).
*/
void jswrap_microlearn_denseForward(JsVar *args) {
  MljArgs A;
  MljArray w, x, b, z, a;
  uint32_t xo = 0, rows = 0, cols = 0;
  uint64_t area = 0;
  int64_t act = 0;
  bool hasBias = false;
  mljInit(&w);
  mljInit(&x);
  mljInit(&b);
  mljInit(&z);
  mljInit(&a);
  if (mljArgs(args, &A, 9) && mljArray(A.a[0], MLJ_I32, &w) && mljArray(A.a[1], MLJ_I32, &x) && mljU32(A.a[2], &xo) &&
      ((hasBias = !jsvIsNull(A.a[3])) ? mljArray(A.a[3], MLJ_I32, &b) : true) && mljArray(A.a[4], MLJ_I32, &z) && mljArray(A.a[5], MLJ_I32, &a) &&
      mljU32(A.a[6], &rows) && mljU32(A.a[7], &cols) && mljNumber(A.a[8], 0, 3, &act) && mljArea(rows, cols, &area) && mljUse(&w, 0, area) &&
      mljUse(&x, xo, cols) && (!hasBias || mljUse(&b, 0, rows)) && mljUse(&z, 0, rows) && mljUse(&a, 0, rows)) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &x, &z, &a, NULL, NULL);
    if (hasBias) mljStage(&st, &b, &z, &a, NULL, NULL);
    mljStage(&st, &w, &z, &a, NULL, NULL);
    if (mljFlat(&w) && mljFlat(&x) && (!hasBias || mljFlat(&b)) && mljFlat(&z) && mljFlat(&a))
      ml_denseForward(MLJ_P32(&w, 0), MLJ_P32(&x, xo), hasBias ? MLJ_P32(&b, 0) : NULL, MLJ_P32(&z, 0), MLJ_P32(&a, 0), rows, cols, (int32_t)act);
    else {
      if (mljFlat(&w) && mljFlat(&x) && (!hasBias || mljFlat(&b)) && mljFlat(&z))
        ml_matvec(MLJ_P32(&w, 0), MLJ_P32(&x, xo), hasBias ? MLJ_P32(&b, 0) : NULL, MLJ_P32(&z, 0), rows, cols);
      else mljSlowMatvec(&w, &x, xo, hasBias ? &b : NULL, &z, rows, cols);
      mljSlowActivate(&z, &a, rows, (int32_t)act);
    }
  }
  mljArgsFree(&A);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "denseBackward",
  "generate" : "jswrap_microlearn_denseBackward",
  "params" : [
    ["args","JsVarArray","w: Int32Array, g: Int32Array, gp: Int32Array, ap: Int32Array, zp: Int32Array, rows, cols, act"]
  ]
}
Microlearn kernel `denseBackward` (see microlearn src/kernels.ts): matTvec,
then the derivative of the previous layer's activation.
*/
void jswrap_microlearn_denseBackward(JsVar *args) {
  MljArgs A;
  MljArray w, g, gp, ap, zp;
  uint32_t rows = 0, cols = 0;
  uint64_t area = 0;
  int64_t act = 0;
  mljInit(&w);
  mljInit(&g);
  mljInit(&gp);
  mljInit(&ap);
  mljInit(&zp);
  if (mljArgs(args, &A, 8) && mljArray(A.a[0], MLJ_I32, &w) && mljArray(A.a[1], MLJ_I32, &g) && mljArray(A.a[2], MLJ_I32, &gp) &&
      mljArray(A.a[3], MLJ_I32, &ap) && mljArray(A.a[4], MLJ_I32, &zp) && mljU32(A.a[5], &rows) && mljU32(A.a[6], &cols) &&
      mljNumber(A.a[7], 0, 3, &act) && mljArea(rows, cols, &area) && mljUse(&w, 0, area) && mljUse(&g, 0, rows) && mljUse(&gp, 0, cols) &&
      mljUse(&ap, 0, cols) && mljUse(&zp, 0, cols)) {
    MljStage st;
    st.used = 0;
    mljStage(&st, &g, &gp, NULL, NULL, NULL);
    mljStage(&st, &ap, &gp, NULL, NULL, NULL);
    mljStage(&st, &zp, &gp, NULL, NULL, NULL);
    mljStage(&st, &w, &gp, NULL, NULL, NULL);
    if (mljFlat(&w) && mljFlat(&g) && mljFlat(&gp) && mljFlat(&ap) && mljFlat(&zp))
      ml_denseBackward(MLJ_P32(&w, 0), MLJ_P32(&g, 0), MLJ_P32(&gp, 0), MLJ_P32(&ap, 0), MLJ_P32(&zp, 0), rows, cols, (int32_t)act);
    else {
      if (mljFlat(&w) && mljFlat(&g) && mljFlat(&gp)) ml_matTvec(MLJ_P32(&w, 0), MLJ_P32(&g, 0), MLJ_P32(&gp, 0), rows, cols);
      else mljSlowMatTvec(&w, &g, &gp, rows, cols);
      mljSlowDerivative(&gp, &ap, &zp, cols, (int32_t)act);
    }
  }
  mljArgsFree(&A);
}

/* ---- signal kernels (WindowFeatures) ----
   They work on window-sized buffers, which Espruino allocates as one flat
   block whenever the heap allows. Small arrays (a short window, the 7-word
   statistics) live in chained blocks: those are copied to a stack buffer
   and, when the kernel writes them, copied back afterwards, in the same
   order, so the bits are the same. A large array that is not flat (a
   fragmented heap), or a small one sharing storage with another argument,
   raises an Error rather than take an element-by-element path. */

#define MLJ_SIG_WORDS 64

typedef struct {
  uint32_t words[MLJ_SIG_WORDS];
  size_t used;
  MljArray *staged[6];
  int n;
} MljSig;

/* Makes a flat (staging a small non-flat one, whole); false with an Error if it cannot. */
static bool mljSigFlat(MljSig *st, MljArray *a, const char *kernel) {
  size_t words, i;
  JsvArrayBufferIterator it;
  if (mljFlat(a)) return true;
  words = (a->length * a->size + 3) / 4;
  if (words > MLJ_SIG_WORDS - st->used || st->n == 6) {
    jsExceptionHere(JSET_ERROR, "Microlearn.%s: a typed array is not one flat block (fragmented heap): allocate the window earlier", kernel);
    return false;
  }
  for (i = 0; i < (size_t)st->n; i++)
    if (st->staged[i]->backing == a->backing) {
      jsExceptionHere(JSET_ERROR, "Microlearn.%s: small typed arrays sharing storage", kernel);
      return false;
    }
  jsvArrayBufferIteratorNew(&it, a->v, 0);
  for (i = 0; i < a->length; i++) {
    ((int32_t *)(void *)(st->words + st->used))[i] = (int32_t)jsvArrayBufferIteratorGetIntegerValue(&it);
    jsvArrayBufferIteratorNext(&it);
  }
  jsvArrayBufferIteratorFree(&it);
  a->base = (unsigned char *)(st->words + st->used);
  a->origin = 0;
  st->used += words;
  st->staged[st->n++] = a;
  return true;
}

/* Copies staged arrays that the kernel wrote back into their typed arrays. */
static void mljSigBack(MljSig *st, MljArray *w1, MljArray *w2, MljArray *w3) {
  int k;
  for (k = 0; k < st->n; k++) {
    MljArray *a = st->staged[k];
    JsvArrayBufferIterator it;
    size_t i;
    if (a != w1 && a != w2 && a != w3) continue;
    jsvArrayBufferIteratorNew(&it, a->v, 0);
    for (i = 0; i < a->length; i++) {
      jsvArrayBufferIteratorSetIntegerValue(&it, (JsVarInt)((int32_t *)(void *)a->base)[i]);
      jsvArrayBufferIteratorNext(&it);
    }
    jsvArrayBufferIteratorFree(&it);
  }
}

static bool mljPow2(uint32_t n, uint32_t bits, const char *kernel) {
  if (bits <= 12 && n == ((uint32_t)1 << bits)) return true;
  jsExceptionHere(JSET_ERROR, "Microlearn.%s: n must be 2^bits <= 4096", kernel);
  return false;
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "ringWrite",
  "generate" : "jswrap_microlearn_ringWrite",
  "params" : [
    ["args","JsVarArray","ring: Int32Array, ro, n, pos, src: Int32Array, so, stride, count"]
  ],
  "return" : ["int32","the new ring position"]
}
Microlearn signal kernel `ringWrite` (see microlearn src/kernels.ts).
*/
int jswrap_microlearn_ringWrite(JsVar *args) {
  MljArgs A;
  MljArray ring, src;
  uint32_t ro = 0, n = 0, pos = 0, so = 0, stride = 0, count = 0;
  int r = 0;
  mljInit(&ring);
  mljInit(&src);
  if (mljArgs(args, &A, 8) && mljArray(A.a[0], MLJ_I32, &ring) && mljU32(A.a[1], &ro) && mljU32(A.a[2], &n) && mljU32(A.a[3], &pos) &&
      mljArray(A.a[4], MLJ_I32, &src) && mljU32(A.a[5], &so) && mljU32(A.a[6], &stride) && mljU32(A.a[7], &count)) {
    if (n == 0 || pos >= n || (stride == 0 && count > 0)) jsExceptionHere(JSET_ERROR, "Microlearn.ringWrite: need pos < n and stride >= 1");
    else if (mljUse(&ring, ro, n) && mljUse(&src, so, count == 0 ? 0 : (uint64_t)(count - 1) * stride + 1)) {
      MljSig st;
      st.used = 0;
      st.n = 0;
      if (mljSigFlat(&st, &ring, "ringWrite") && mljSigFlat(&st, &src, "ringWrite")) {
        r = (int)ml_ringWrite(MLJ_P32(&ring, ro), n, pos, MLJ_P32(&src, so), stride, count);
        mljSigBack(&st, &ring, NULL, NULL);
      }
    }
  }
  mljArgsFree(&A);
  return r;
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "winStats",
  "generate" : "jswrap_microlearn_winStats",
  "params" : [
    ["args","JsVarArray","ring: Int32Array, ro, n, pos, bits, re: Int32Array, im: Int32Array, out: Int32Array"]
  ]
}
Microlearn signal kernel `winStats` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_winStats(JsVar *args) {
  MljArgs A;
  MljArray ring, re, im, out;
  uint32_t ro = 0, n = 0, pos = 0, bits = 0;
  mljInit(&ring);
  mljInit(&re);
  mljInit(&im);
  mljInit(&out);
  if (mljArgs(args, &A, 8) && mljArray(A.a[0], MLJ_I32, &ring) && mljU32(A.a[1], &ro) && mljU32(A.a[2], &n) && mljU32(A.a[3], &pos) &&
      mljU32(A.a[4], &bits) && mljArray(A.a[5], MLJ_I32, &re) && mljArray(A.a[6], MLJ_I32, &im) && mljArray(A.a[7], MLJ_I32, &out) &&
      mljPow2(n, bits, "winStats")) {
    if (pos >= n) jsExceptionHere(JSET_ERROR, "Microlearn.winStats: pos must be below n");
    else if (mljUse(&ring, ro, n) && mljUse(&re, 0, n) && mljUse(&im, 0, n) && mljUse(&out, 0, 7)) {
      MljSig st;
      st.used = 0;
      st.n = 0;
      /* in place (re is the ring) only for flat arrays: staging would split them */
      if (mljSigFlat(&st, &ring, "winStats") && mljSigFlat(&st, &re, "winStats") && mljSigFlat(&st, &im, "winStats") && mljSigFlat(&st, &out, "winStats")) {
        ml_winStats(MLJ_P32(&ring, ro), n, pos, (int32_t)bits, MLJ_P32(&re, 0), MLJ_P32(&im, 0), MLJ_P32(&out, 0));
        mljSigBack(&st, &re, &im, &out);
      }
    }
  }
  mljArgsFree(&A);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "fft",
  "generate" : "jswrap_microlearn_fft",
  "params" : [
    ["args","JsVarArray","re: Int32Array, im: Int32Array, n, bits, cos: Int32Array, sin: Int32Array"]
  ]
}
Microlearn signal kernel `fft` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_fft(JsVar *args) {
  MljArgs A;
  MljArray re, im, c, s;
  uint32_t n = 0, bits = 0;
  mljInit(&re);
  mljInit(&im);
  mljInit(&c);
  mljInit(&s);
  if (mljArgs(args, &A, 6) && mljArray(A.a[0], MLJ_I32, &re) && mljArray(A.a[1], MLJ_I32, &im) && mljU32(A.a[2], &n) && mljU32(A.a[3], &bits) &&
      mljArray(A.a[4], MLJ_I32, &c) && mljArray(A.a[5], MLJ_I32, &s) && mljPow2(n, bits, "fft") && mljUse(&re, 0, n) && mljUse(&im, 0, n) &&
      mljUse(&c, 0, n / 2) && mljUse(&s, 0, n / 2)) {
    MljSig st;
    st.used = 0;
    st.n = 0;
    if (mljSigFlat(&st, &re, "fft") && mljSigFlat(&st, &im, "fft") && mljSigFlat(&st, &c, "fft") && mljSigFlat(&st, &s, "fft")) {
      ml_fft(MLJ_P32(&re, 0), MLJ_P32(&im, 0), n, bits, MLJ_P32(&c, 0), MLJ_P32(&s, 0));
      mljSigBack(&st, &re, &im, NULL);
    }
  }
  mljArgsFree(&A);
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "centroid",
  "generate" : "jswrap_microlearn_centroid",
  "params" : [
    ["re","JsVar","Int32Array"],
    ["im","JsVar","Int32Array"],
    ["lo","JsVar","first bin"],
    ["hi","JsVar","end bin"]
  ],
  "return" : ["int32","the spectral centroid in bins, Q16.16"]
}
Microlearn signal kernel `centroid` (see microlearn src/kernels.ts).
*/
int jswrap_microlearn_centroid(JsVar *rev, JsVar *imv, JsVar *lov, JsVar *hiv) {
  MljArray re, im;
  uint32_t lo = 0, hi = 0;
  int r = 0;
  mljInit(&re);
  mljInit(&im);
  if (mljArray(rev, MLJ_I32, &re) && mljArray(imv, MLJ_I32, &im) && mljU32(lov, &lo) && mljU32(hiv, &hi)) {
    if (lo >= hi || hi > 4096) jsExceptionHere(JSET_ERROR, "Microlearn.centroid: need lo < hi <= 4096");
    else if (mljUse(&re, 0, hi) && mljUse(&im, 0, hi)) {
      MljSig st;
      st.used = 0;
      st.n = 0;
      if (mljSigFlat(&st, &re, "centroid") && mljSigFlat(&st, &im, "centroid")) r = ml_centroid(MLJ_P32(&re, 0), MLJ_P32(&im, 0), lo, hi);
    }
  }
  return r;
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "analytic",
  "generate" : "jswrap_microlearn_analytic",
  "params" : [
    ["args","JsVarArray","re: Int32Array, im: Int32Array, n, lo, hi"]
  ],
  "return" : ["int32","the scale exponent s"]
}
Microlearn signal kernel `analytic` (see microlearn src/kernels.ts).
*/
int jswrap_microlearn_analytic(JsVar *args) {
  MljArgs A;
  MljArray re, im;
  uint32_t n = 0, lo = 0, hi = 0;
  int r = 0;
  mljInit(&re);
  mljInit(&im);
  if (mljArgs(args, &A, 5) && mljArray(A.a[0], MLJ_I32, &re) && mljArray(A.a[1], MLJ_I32, &im) && mljU32(A.a[2], &n) && mljU32(A.a[3], &lo) &&
      mljU32(A.a[4], &hi)) {
    if (lo >= hi || hi > n) jsExceptionHere(JSET_ERROR, "Microlearn.analytic: need lo < hi <= n");
    else if (mljUse(&re, 0, n) && mljUse(&im, 0, n)) {
      MljSig st;
      st.used = 0;
      st.n = 0;
      if (mljSigFlat(&st, &re, "analytic") && mljSigFlat(&st, &im, "analytic")) {
        r = ml_analytic(MLJ_P32(&re, 0), MLJ_P32(&im, 0), n, lo, hi);
        mljSigBack(&st, &re, &im, NULL);
      }
    }
  }
  mljArgsFree(&A);
  return r;
}

/*JSON{
  "type" : "staticmethod",
  "class" : "Microlearn",
  "name" : "magnitude",
  "generate" : "jswrap_microlearn_magnitude",
  "params" : [
    ["re","JsVar","Int32Array"],
    ["im","JsVar","Int32Array"],
    ["n","JsVar","count"],
    ["out","JsVar","Int32Array"]
  ]
}
Microlearn signal kernel `magnitude` (see microlearn src/kernels.ts).
*/
void jswrap_microlearn_magnitude(JsVar *rev, JsVar *imv, JsVar *nv, JsVar *outv) {
  MljArray re, im, out;
  uint32_t n = 0;
  mljInit(&re);
  mljInit(&im);
  mljInit(&out);
  if (mljArray(rev, MLJ_I32, &re) && mljArray(imv, MLJ_I32, &im) && mljU32(nv, &n) && mljArray(outv, MLJ_I32, &out) && mljUse(&re, 0, n) &&
      mljUse(&im, 0, n) && mljUse(&out, 0, n)) {
    MljSig st;
    st.used = 0;
    st.n = 0;
    /* out may be re or im: flat arrays only then (staging would split them) */
    if (mljSigFlat(&st, &re, "magnitude") && mljSigFlat(&st, &im, "magnitude") && mljSigFlat(&st, &out, "magnitude")) {
      ml_magnitude(MLJ_P32(&re, 0), MLJ_P32(&im, 0), n, MLJ_P32(&out, 0));
      mljSigBack(&st, &out, NULL, NULL);
    }
  }
}
