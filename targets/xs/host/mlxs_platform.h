/*
 * mlxs_platform.h: the XSPLATFORM header for the mlxs command-line host.
 *
 * XS is compiled with -DINCLUDE_XSPLATFORM -DXSPLATFORM="mlxs_platform.h";
 * its xsPlatform.h includes this file to learn the compiler, the C library and
 * the per-machine fields the host needs. Moddable's own lin_xs.h pulls in
 * glib/gio for its event loop; we need none of that: mlxs is a batch runner
 * (evaluate scripts, drain promise jobs, exit), so plain libc + pthreads do.
 */
#ifndef MLXS_PLATFORM_H
#define MLXS_PLATFORM_H

#if !defined(__GNUC__)
	#error "mlxs builds with gcc or clang only"
#endif
#if !(defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || defined(__arm__))
	#error "mlxs: unknown CPU (XS needs to know the byte order)"
#endif

/* xsPlatform.h defines all these to 0 before including us. */
#undef mxLittleEndian
#define mxLittleEndian 1
#if defined(__linux__)
	#undef mxLinux
	#define mxLinux 1
#elif defined(__APPLE__)
	#undef mxMacOSX
	#define mxMacOSX 1
#endif

#define mxExport extern
#define mxImport extern
#define XS_FUNCTION_NORETURN __attribute__((noreturn))

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <unistd.h>

/* Atomics and SharedArrayBuffer: use the default shared-chunk code in
   xsAtomics.c with GCC builtins and POSIX condition variables. */
#define mxUseGCCAtomics 1
#define mxUsePOSIXThreads 1

/*
 * stdout belongs to the script (print()), so tests can compare it with node's
 * output byte for byte. XS reports its own diagnostics ("stack overflow",
 * chunk allocation failures, ...) through c_printf/c_vprintf, which default to
 * printf/vprintf: send them to stderr instead.
 */
#define c_printf(...) fprintf(stderr, __VA_ARGS__)
#define c_vprintf(FORMAT, ARGUMENTS) vfprintf(stderr, FORMAT, ARGUMENTS)

/*
 * Fields appended to every txMachine (and visible through xs.h too).
 * The first three are required by xsAtomics.c when mxUsePOSIXThreads is set.
 */
#define mxMachinePlatform \
	void* waiterCondition; \
	void* waiterData; \
	void* waiterLink; \
	int mlxsPromiseJobs;     /* set by fxQueuePromiseJobs, cleared by the host loop */ \
	int mlxsExitStatus;      /* set by fxAbort before it jumps back to main() */ \
	uint64_t mlxsMeterBase;  /* metering count folded out of the 32-bit meterIndex */

/* Everything else comes from xsPlatforms.c: malloc-based chunk and slot
   allocation, key building, script parsing, no module loader (mlxs runs
   classic scripts only), default shared chunks. mlxs.c implements
   fxQueuePromiseJobs and fxAbort. */
#define mxUseDefaultMachinePlatform 1
#define mxUseDefaultBuildKeys 1
#define mxUseDefaultChunkAllocation 1
#define mxUseDefaultSlotAllocation 1
#define mxUseDefaultFindModule 1
#define mxUseDefaultLoadModule 1
#define mxUseDefaultParseScript 1
#define mxUseDefaultSharedChunks 1
#define mxUseDefaultDebug 1

/* On 64-bit hosts a slot has room for 32-bit key IDs at no cost; this lifts
   the ~32K distinct-property-name limit of 16-bit IDs for big bundles. */
#if INTPTR_MAX == INT64_MAX
	#define mx32bitID 1
#endif

#endif /* MLXS_PLATFORM_H */
