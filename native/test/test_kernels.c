/*
 * Replays the test vectors written by native/test/gen-vectors.ts (outputs of
 * the TypeScript reference kernels) through the C kernels and requires the
 * same bits for every array and return value.
 *
 *   cc -std=c99 -I native native/microlearn_kernels.c native/test/test_kernels.c -o test_kernels
 *   ./test_kernels build/native/vectors.bin
 *
 * Every array is copied into a buffer of exactly its own size, so a sanitizer
 * build (-fsanitize=address,undefined) catches any read or write outside it.
 * Prints "ok <cases> cases" and exits 0, or prints the first mismatches and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "microlearn_kernels.h"

/* KERNEL_NAMES of src/kernels.ts, then the scalar helpers gen-vectors.ts records after them. */
enum { K_DOT, K_MATVEC, K_MATTVEC, K_AXPY, K_AXPYWIDE, K_GERWIDE, K_SCALE, K_SQDIST, K_SQDISTMANY, K_WELFORD, K_ARGMIN, K_ARGMAX, K_TOQ, K_SGDLINEAR, K_GERADAM, K_TORAW, K_KMEANSLEARN, K_SGDLINEARREAL, K_DENSEFORWARD, K_DENSEBACKWARD, K_KMEANSNEAREST,
	K_STEP, K_SIGMOID, K_TANH, K_RINGWRITE, K_WINSTATS, K_FFT, K_CENTROID, K_ANALYTIC, K_MAGNITUDE, K_COUNT };
static const char *const NAMES[K_COUNT] = { "dot", "matvec", "matTvec", "axpy", "axpyWide", "gerWide", "scale", "sqdist", "sqdistMany", "welford", "argmin", "argmax",
	"toQ", "sgdLinear", "gerAdam", "toRaw", "kmeansLearn", "sgdLinearReal", "denseForward", "denseBackward", "kmeansNearest", "step", "sigmoid", "tanh", "ringWrite", "winStats", "fft", "centroid", "analytic", "magnitude" };

#define MAX_SCALARS 8
#define MAX_ARRAYS 8

typedef struct {
	int kind;             /* 0 int32, 1 uint16, 2 null, 3 alias, 4 uint32, 5 float64, 6 uint8 */
	int alias;            /* for kind 3 */
	uint32_t length;
	const unsigned char *before, *after;
	void *data;           /* exact-size working copy (or the aliased array's) */
} Array;

static const unsigned char *cur, *end;

static void need(size_t n)
{
	if ((size_t)(end - cur) < n) {
		fprintf(stderr, "vector file truncated\n");
		exit(2);
	}
}

static unsigned rd8(void)
{
	need(1);
	return *cur++;
}

static uint32_t rd32(void)
{
	uint32_t v;
	need(4);
	v = (uint32_t)cur[0] | (uint32_t)cur[1] << 8 | (uint32_t)cur[2] << 16 | (uint32_t)cur[3] << 24;
	cur += 4;
	return v;
}

static int64_t rd64(void)
{
	uint64_t lo = rd32();
	uint64_t hi = rd32();
	return (int64_t)(lo | hi << 32);
}

/* Arrays in the file are little-endian; so is every machine we build on, which we check. */
static int little_endian(void)
{
	uint16_t one = 1;
	return *(unsigned char *)&one == 1;
}

static int32_t *I(Array *a)
{
	return (int32_t *)a->data;
}

static uint16_t *U(Array *a)
{
	return (uint16_t *)a->data;
}

static uint32_t *U32(Array *a)
{
	return (uint32_t *)a->data;
}

static double *F64(Array *a)
{
	return (double *)a->data;
}

static uint8_t *U8(Array *a)
{
	return (uint8_t *)a->data;
}

static int real_array(int kind)
{
	return kind == 0 || kind == 1 || kind == 4 || kind == 5 || kind == 6;
}

static size_t elem_size(int kind)
{
	return kind == 1 ? 2 : kind == 5 ? 8 : kind == 6 ? 1 : 4;
}

static int failures = 0;

static void mismatch(uint32_t c, int kernel, const char *what, long long got, long long want, long long index)
{
	if (failures < 20)
		fprintf(stderr, "case %u (%s): %s[%lld] = %lld, TypeScript gives %lld\n", c, NAMES[kernel], what, index, got, want);
	failures++;
}

int main(int argc, char **argv)
{
	FILE *fp;
	long size;
	unsigned char *file;
	uint32_t ncases, c;
	unsigned long checked = 0;
	unsigned long perKernel[K_COUNT] = { 0 };

	if (argc != 2) {
		fprintf(stderr, "usage: test_kernels vectors.bin\n");
		return 2;
	}
	if (!little_endian()) {
		fprintf(stderr, "test_kernels: big-endian hosts are not supported by the vector format\n");
		return 2;
	}
	fp = fopen(argv[1], "rb");
	if (!fp) {
		perror(argv[1]);
		return 2;
	}
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	file = (unsigned char *)malloc((size_t)size);
	if (!file || fread(file, 1, (size_t)size, fp) != (size_t)size) {
		fprintf(stderr, "cannot read %s\n", argv[1]);
		return 2;
	}
	fclose(fp);
	cur = file;
	end = file + size;
	need(12);
	if (memcmp(cur, "MLKV", 4) != 0) {
		fprintf(stderr, "not a vector file\n");
		return 2;
	}
	cur += 4;
	if (rd32() != 1) {
		fprintf(stderr, "unknown vector file version\n");
		return 2;
	}
	ncases = rd32();

	for (c = 0; c < ncases; c++) {
		int kernel = (int)rd8(), ns = (int)rd8(), na = (int)rd8(), i;
		int64_t s[MAX_SCALARS];
		Array a[MAX_ARRAYS];
		int64_t want, got = 0;
		if (kernel >= K_COUNT || ns > MAX_SCALARS || na > MAX_ARRAYS) {
			fprintf(stderr, "case %u: bad header\n", c);
			return 2;
		}
		for (i = 0; i < ns; i++)
			s[i] = rd64();
		for (i = 0; i < na; i++) {
			memset(&a[i], 0, sizeof a[i]);
			a[i].kind = (int)rd8();
			if (real_array(a[i].kind)) {
				size_t bytes;
				a[i].length = rd32();
				bytes = (size_t)a[i].length * elem_size(a[i].kind);
				need(2 * bytes);
				a[i].before = cur;
				a[i].after = cur + bytes;
				cur += 2 * bytes;
				/* malloc(0) may return NULL; keep a valid pointer for empty arrays. */
				a[i].data = malloc(bytes ? bytes : 1);
				if (!a[i].data) {
					fprintf(stderr, "out of memory\n");
					return 2;
				}
				memcpy(a[i].data, a[i].before, bytes);
			}
			else if (a[i].kind == 3) {
				a[i].alias = (int)rd8();
				if (a[i].alias >= i || !real_array(a[a[i].alias].kind)) {
					fprintf(stderr, "case %u: bad alias\n", c);
					return 2;
				}
				a[i].data = a[a[i].alias].data;
				a[i].kind = a[a[i].alias].kind;
				a[i].length = a[a[i].alias].length;
			}
			else if (a[i].kind != 2) {
				fprintf(stderr, "case %u: bad array kind\n", c);
				return 2;
			}
		}
		want = rd64();

		/* The TypeScript argument order of each kernel (see gen-vectors.ts). */
		switch (kernel) {
		case K_DOT:
			got = ml_dot(I(&a[0]) + s[0], I(&a[1]) + s[1], (uint32_t)s[2]);
			break;
		case K_MATVEC:
			ml_matvec(I(&a[0]), I(&a[1]) + s[0], a[2].kind == 2 ? NULL : I(&a[2]), I(&a[3]), (uint32_t)s[1], (uint32_t)s[2]);
			break;
		case K_MATTVEC:
			ml_matTvec(I(&a[0]), I(&a[1]), I(&a[2]), (uint32_t)s[0], (uint32_t)s[1]);
			break;
		case K_AXPY:
			ml_axpy(I(&a[0]) + s[0], I(&a[1]) + s[1], (uint32_t)s[2], (int32_t)s[3]);
			break;
		case K_AXPYWIDE:
			ml_axpyWide(I(&a[0]) + s[0], U(&a[1]) + s[0], I(&a[2]) + s[1], (uint32_t)s[2], (int32_t)s[3], (int32_t)s[4]);
			break;
		case K_GERWIDE:
			ml_gerWide(I(&a[0]), U(&a[1]), (uint32_t)s[0], (uint32_t)s[1], I(&a[2]), I(&a[3]) + s[2], (int32_t)s[3]);
			break;
		case K_SCALE:
			ml_scale(I(&a[0]) + s[0], (uint32_t)s[1], (int32_t)s[2]);
			break;
		case K_SQDIST:
			got = ml_sqdist(I(&a[0]) + s[0], I(&a[1]) + s[1], (uint32_t)s[2], (int32_t)s[3]);
			break;
		case K_SQDISTMANY:
			ml_sqdistMany(I(&a[0]), (uint32_t)s[0], (uint32_t)s[1], I(&a[1]) + s[2], (int32_t)s[3], I(&a[2]));
			break;
		case K_WELFORD:
			ml_welford(I(&a[0]) + s[0], U(&a[1]) + s[0], I(&a[2]) + s[0], U32(&a[3]) + s[0], I(&a[4]) + s[0], I(&a[5]) + s[1], (uint32_t)s[2], s[3]);
			break;
		case K_ARGMIN:
			got = ml_argmin(I(&a[0]) + s[0], (uint32_t)s[1]);
			break;
		case K_ARGMAX:
			got = ml_argmax(I(&a[0]) + s[0], (uint32_t)s[1]);
			break;
		case K_TOQ: {
			uint32_t j;
			got = -1;
			for (j = 0; j < (uint32_t)s[0]; j++)
				if (!ml_fromDouble(F64(&a[0])[j], I(&a[1]) + j)) {
					got = j;
					break;
				}
			break;
		}
		case K_TORAW:
			got = ml_toRaw(F64(&a[0]), (uint32_t)s[0], (uint32_t)s[1], U8(&a[1]), a[1].length, s[2], I(&a[2]));
			break;
		case K_KMEANSLEARN:
			got = -1;
			if (a[4].kind != 2)
				got = ml_toRaw(F64(&a[3]), (uint32_t)s[1], 16, U8(&a[5]), 1, s[2], I(&a[4]));
			if (got < 0)
				ml_kmeansLearn(I(&a[0]), U(&a[1]), U32(&a[2]), (uint32_t)s[0], (uint32_t)s[1], a[4].kind == 2 ? I(&a[3]) : I(&a[4]), (int32_t)s[3], I(&a[6]));
			break;
		case K_SGDLINEARREAL: {
			int32_t y;
			uint32_t j, n = (uint32_t)s[0];
			got = -1;
			if (!ml_fromDouble(F64(&a[4])[0], &y))
				got = n;
			for (j = 0; got < 0 && j < n; j++)
				if (!ml_fromDouble(F64(&a[2])[j], I(&a[3]) + j))
					got = j;
			if (got < 0)
				ml_sgdLinear(I(&a[0]), U(&a[1]), I(&a[3]), n, y, (int32_t)s[1], (int32_t)s[2], 0);
			break;
		}
		case K_DENSEFORWARD:
			ml_denseForward(I(&a[0]), I(&a[1]) + s[0], a[2].kind == 2 ? NULL : I(&a[2]), I(&a[3]), I(&a[4]), (uint32_t)s[1], (uint32_t)s[2], (int32_t)s[3]);
			break;
		case K_DENSEBACKWARD:
			ml_denseBackward(I(&a[0]), I(&a[1]), I(&a[2]), I(&a[3]), I(&a[4]), (uint32_t)s[0], (uint32_t)s[1], (int32_t)s[2]);
			break;
		case K_KMEANSNEAREST:
			got = ml_toRaw(F64(&a[1]), (uint32_t)s[1], 16, U8(&a[3]), 1, s[2], I(&a[2])) < 0
				? ml_kmeansNearest(I(&a[0]), (uint32_t)s[0], (uint32_t)s[1], I(&a[2]), I(&a[4])) : -1;
			break;
		case K_SGDLINEAR:
			ml_sgdLinear(I(&a[0]), U(&a[1]), I(&a[2]), (uint32_t)s[0], (int32_t)s[1], (int32_t)s[2], (int32_t)s[3], (int32_t)s[4]);
			got = -1;
			break;
		case K_GERADAM:
			ml_gerAdam(I(&a[0]), U(&a[1]), a[2].kind == 2 ? NULL : I(&a[2]), a[3].kind == 2 ? NULL : U(&a[3]), I(&a[4]), U32(&a[5]), (uint32_t)s[0],
				(uint32_t)s[1], I(&a[6]), I(&a[7]) + s[2], (int32_t)s[3], (int32_t)s[4], (int32_t)s[5], (int32_t)s[6], (int32_t)s[7]);
			break;
		case K_STEP:
			ml_step((int32_t)s[0], (int32_t)s[1], I(&a[0]));
			break;
		case K_SIGMOID:
		case K_TANH: {
			uint32_t j;
			for (j = 0; j < a[0].length; j++)
				I(&a[0])[j] = kernel == K_SIGMOID ? ml_sigmoid(I(&a[0])[j]) : ml_tanh(I(&a[0])[j]);
			break;
		}
		/* signal kernels */
		case K_RINGWRITE:
			got = ml_ringWrite(I(&a[0]) + s[0], (uint32_t)s[1], (uint32_t)s[2], I(&a[1]) + s[3], (uint32_t)s[4], (uint32_t)s[5]);
			break;
		case K_WINSTATS:
			ml_winStats(I(&a[0]) + s[0], (uint32_t)s[1], (uint32_t)s[2], (int32_t)s[3], I(&a[1]), I(&a[2]), I(&a[3]));
			break;
		case K_FFT:
			ml_fft(I(&a[0]), I(&a[1]), (uint32_t)s[0], (uint32_t)s[1], I(&a[2]), I(&a[3]));
			break;
		case K_CENTROID:
			got = ml_centroid(I(&a[0]), I(&a[1]), (uint32_t)s[0], (uint32_t)s[1]);
			break;
		case K_ANALYTIC:
			got = ml_analytic(I(&a[0]), I(&a[1]), (uint32_t)s[0], (uint32_t)s[1], (uint32_t)s[2]);
			break;
		case K_MAGNITUDE:
			ml_magnitude(I(&a[0]), I(&a[1]), (uint32_t)s[0], I(&a[2]));
			break;
		}

		if (got != want)
			mismatch(c, kernel, "return", (long long)got, (long long)want, -1);
		for (i = 0; i < na; i++) {
			uint32_t j;
			char what[24];
			if (!real_array(a[i].kind) || !a[i].after)
				continue;
			sprintf(what, "array%d", i);
			for (j = 0; j < a[i].length; j++) {
				long long g, w;
				if (a[i].kind == 0) {
					int32_t t;
					memcpy(&t, a[i].after + 4 * (size_t)j, 4);
					g = I(&a[i])[j];
					w = t;
				}
				else if (a[i].kind == 1) {
					uint16_t t;
					memcpy(&t, a[i].after + 2 * (size_t)j, 2);
					g = U(&a[i])[j];
					w = t;
				}
				else if (a[i].kind == 6) {
					g = U8(&a[i])[j];
					w = a[i].after[j];
				}
				else if (a[i].kind == 5) {
					/* inputs only: compare the bits */
					int64_t t, u;
					memcpy(&t, a[i].after + 8 * (size_t)j, 8);
					memcpy(&u, F64(&a[i]) + j, 8);
					g = u;
					w = t;
				}
				else {
					uint32_t t;
					memcpy(&t, a[i].after + 4 * (size_t)j, 4);
					g = U32(&a[i])[j];
					w = t;
				}
				if (g != w) {
					mismatch(c, kernel, what, g, w, (long long)j);
					break;
				}
			}
		}
		for (i = 0; i < na; i++)
			if (a[i].before)
				free(a[i].data);
		perKernel[kernel]++;
		checked++;
	}
	if (cur != end) {
		fprintf(stderr, "trailing bytes in the vector file\n");
		return 2;
	}
	free(file);
	if (failures) {
		fprintf(stderr, "FAIL: %d mismatches in %lu cases\n", failures, checked);
		return 1;
	}
	printf("ok %lu cases:", checked);
	for (c = 0; c < K_COUNT; c++)
		printf(" %s %lu", NAMES[c], perKernel[c]);
	printf("\n");
	return 0;
}
