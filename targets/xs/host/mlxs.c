/*
 * mlxs: a minimal command-line host for the Moddable XS JavaScript engine.
 *
 *   mlxs [--meter] [--uart] file.js [more.js ...]
 *
 * One XS machine evaluates each file as a classic (sloppy, global-scope)
 * script, in order; after each file it runs promise jobs until none remain and
 * fails on unhandled rejections, like a browser or node at the end of a task.
 *
 * Globals added to the standard XS ones:
 *   print(...args)  String() of each argument, joined by " ", plus "\n", on stdout
 *                   (on stderr with --uart)
 *   meter()         the XS metering count so far (opcodes plus fixed costs of
 *                   built-ins), a deterministic measure of work done
 *   floatOps()      only when built with -DmxInstrument (build.mjs --instrument):
 *                   XS's count of floating-point operations so far (arithmetic,
 *                   comparisons and conversions the interpreter did on doubles
 *                   because an operand or result was not an integer), modulo 2^32
 *   gcCount()       likewise: garbage collections so far, modulo 2^16
 *
 * Exit status: 0 on success; 1 when a script throws, a promise rejection is
 * left unhandled, or the engine aborts (stack overflow, memory full); 2 for
 * usage errors. Diagnostics go to stderr so stdout carries only print() output.
 *
 * --meter  print "meter: <count>" to stderr at exit.
 *
 * --uart   stdin and stdout become a byte channel, as a board's UART would be
 *          (print() then writes to stderr), with two more globals:
 *   uartWrite(buffer, length)    writes the first `length` bytes of the
 *                                ArrayBuffer (all of it without length) to
 *                                stdout, blocking until they are written
 *   uartRead(buffer, timeoutMs)  waits up to timeoutMs (<= 0: do not wait)
 *                                for bytes on stdin and reads as many as
 *                                arrive, up to the buffer's length, into the
 *                                ArrayBuffer; returns how many (0: none came
 *                                in time, -1: stdin is at its end)
 *          Both work in the script's own buffer: no memory is allocated per
 *          call. Whatever is at the other end (test/support/uart-bridge.ts
 *          pipes it to a TCP socket) sees only the bytes.
 *
 * Release builds (no mxDebug) keep no line numbers at run time, so stack traces
 * name functions only; syntax errors are reported with file:line.
 *
 * Built with -DMLXS_NATIVE, it also calls mlxs_register_natives(the) once the
 * machine exists, so native kernels can install their globals.
 */

/* The host is also the XS "platform" (fxAbort, fxQueuePromiseJobs) and runs
   scripts through the parser directly, so it needs the engine's internal
   headers; xs.h then provides the public host API (xsNewHostFunction, ...). */
#include "xsAll.h"
#include "xsScript.h"
#include "xs.h"
#include <poll.h>
#include <signal.h>

#ifdef MLXS_NATIVE
extern void mlxs_register_natives(xsMachine* the);
#endif

/* Memory is cheap on the host and GC pauses are not what we measure, so the
   machine starts big: bundles of a few hundred KB that train small models
   should run without growing. Slots are 32 bytes on 64-bit hosts. */
static xsCreation gCreation = {
	32 * 1024 * 1024,	/* initialChunkSize: bytes for strings, array and buffer storage, bytecode */
	8 * 1024 * 1024,	/* incrementalChunkSize */
	256 * 1024,			/* initialHeapCount: slots for objects and properties */
	64 * 1024,			/* incrementalHeapCount */
	128 * 1024,			/* stackCount: slots; ~13000 nested JS calls (node allows ~11000) */
	32 * 1024,			/* initialKeyCount: property names */
	8 * 1024,			/* incrementalKeyCount */
	1993,				/* nameModulo: hash buckets for property names */
	127,				/* symbolModulo */
	1024 * 1024,		/* parserBufferSize: longest token (string literal) the parser accepts */
	1993,				/* parserTableModulo */
	0,					/* staticSize: unused with malloc'ed chunks */
};

static int gPrintMeter = 0;
/* Where print() writes: stdout, or stderr when stdout is the UART. */
static FILE* gPrintFile = NULL;
static int gUart = 0;

/* ---- metering ---- */

#ifdef mxMetering
/* XS counts work in the 32-bit the->meterIndex and calls this back every
   "interval" units (checked on function entry and backward branches). With an
   interval of 1 the index never gets far from 0 here, so folding it into a
   64-bit total and resetting it avoids wrapping on long runs. The index is read
   as signed because a few built-ins adjust it downward (Array.prototype.filter
   subtracts 1) after a callback may already have reset it. */
static txBoolean mlxsMeterCallback(txMachine* the, txU4 index)
{
	the->mlxsMeterBase += (int64_t)(txS4)index;
	the->meterIndex = 0;
	return 1; /* never abort: we measure, we do not limit */
}

static uint64_t mlxsMeterCount(txMachine* the)
{
	return the->mlxsMeterBase + (int64_t)(txS4)the->meterIndex;
}
#endif

/* ---- platform hooks called by XS ---- */

/* A promise settled: remember to run jobs when control returns to the host. */
void fxQueuePromiseJobs(txMachine* the)
{
	the->mlxsPromiseJobs = 1;
}

/* Print the pending exception (mxException, a GC root while we look at it) as
   its stack when it has one ("Name: message\n at ..."), else as String(it). */
static void mlxsReportException(txMachine* the, const char* what)
{
	txSlot* stack = the->stack;
	fflush(stdout);
	mxTry(the) {
		txSlot* text = C_NULL;
		if (mxIsReference(&mxException)) {
			mxPush(mxException);
			mxGetID(mxID(_stack));
			if (mxIsStringPrimitive(the->stack))
				text = the->stack;
		}
		if (!text) {
			/* String(value) rather than ToString: it also accepts symbols. */
			mxPushUndefined();
			mxPush(mxStringConstructor);
			mxCall();
			mxPush(mxException);
			mxRunCount(1);
			text = the->stack;
		}
		fprintf(stderr, "%s: %s\n", what, text->value.string);
	}
	mxCatch(the) {
		fprintf(stderr, "%s (and it cannot be converted to a string)\n", what);
	}
	the->stack = stack;
	mxException = mxUndefined;
}

/* XS calls fxAbort for conditions it cannot turn into a JS exception, and for
   exceptions nobody caught inside promise jobs. Report, then unwind to the
   outermost jump, which main() set up with xsBeginMetering. */
void fxAbort(txMachine* the, int status)
{
	switch (status) {
	case XS_UNHANDLED_EXCEPTION_EXIT:
		mlxsReportException(the, "uncaught exception");
		break;
	case XS_UNHANDLED_REJECTION_EXIT:
		mlxsReportException(the, "unhandled promise rejection");
		break;
	case XS_STACK_OVERFLOW_EXIT:
		/* No JS here: the stack is exhausted. */
		fprintf(stderr, "fatal: stack overflow\n");
		break;
	case XS_NOT_ENOUGH_MEMORY_EXIT:
		fprintf(stderr, "fatal: memory full\n");
		break;
	case XS_NO_MORE_KEYS_EXIT:
		fprintf(stderr, "fatal: too many property names\n");
		break;
	default:
		fprintf(stderr, "fatal: XS abort %d\n", status);
		break;
	}
	the->mlxsExitStatus = 1;
#ifdef mxMetering
	mlxsMeterCallback(the, the->meterIndex); /* fold now: the jump skips fxEndMetering */
#endif
	fxExitToHost(the);
}

/* ---- globals for scripts ---- */

static void mlxs_print(xsMachine* the)
{
	xsIntegerValue c = xsToInteger(xsArgc), i;
	FILE* out = gPrintFile;
	xsVars(1);
	/* Convert everything first so a throwing toString() prints nothing. */
	xsVar(0) = xsGet(xsGlobal, xsID("String"));
	for (i = 0; i < c; i++)
		xsArg(i) = xsCallFunction1(xsVar(0), xsUndefined, xsArg(i));
	for (i = 0; i < c; i++) {
		const char* run = xsToString(xsArg(i));
		const char* nul;
		if (i)
			fputc(' ', out);
		/* XS strings are UTF-8 except that U+0000 is stored as C0 80 so that
		   strings stay NUL-terminated: write a real NUL, as node would. */
		while ((nul = strstr(run, "\xC0\x80"))) {
			fwrite(run, 1, nul - run, out);
			fputc(0, out);
			run = nul + 2;
		}
		fputs(run, out);
	}
	fputc('\n', out);
	/* Flush per line: output must interleave sanely with stderr and survive an
	   abort, and callers read it through a pipe. */
	fflush(out);
}

/* ---- the UART (--uart) ---- */

static void mlxs_uartWrite(xsMachine* the)
{
	xsIntegerValue length, done = 0;
	if (xsToInteger(xsArgc) < 1)
		xsTypeError("uartWrite(buffer[, length]) needs a buffer");
	length = xsGetArrayBufferLength(xsArg(0));
	if (xsToInteger(xsArgc) > 1) {
		xsIntegerValue n = xsToInteger(xsArg(1));
		if (n < 0 || n > length)
			xsRangeError("uartWrite: length %d is outside the buffer (0..%d)", (int)n, (int)length);
		length = n;
	}
	while (done < length) {
		/* The address is taken again after each write: no JS runs in between, so it stays valid. */
		ssize_t n = write(1, (char*)xsToArrayBuffer(xsArg(0)) + done, (size_t)(length - done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			xsUnknownError("uartWrite: %s", n < 0 ? strerror(errno) : "nothing written");
		done += (xsIntegerValue)n;
	}
}

static void mlxs_uartRead(xsMachine* the)
{
	xsIntegerValue length, timeout;
	if (xsToInteger(xsArgc) < 2)
		xsTypeError("uartRead(buffer, timeoutMs) needs both arguments");
	length = xsGetArrayBufferLength(xsArg(0));
	timeout = xsToInteger(xsArg(1));
	struct pollfd fd = { 0, POLLIN, 0 };
	ssize_t n;
	int ready;
	do
		ready = poll(&fd, 1, timeout > 0 ? (int)timeout : 0);
	while (ready < 0 && errno == EINTR);
	if (ready < 0)
		xsUnknownError("uartRead: %s", strerror(errno));
	if (ready == 0 || length == 0) {
		xsResult = xsInteger(0);
		return;
	}
	do
		n = read(0, xsToArrayBuffer(xsArg(0)), (size_t)length);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		xsUnknownError("uartRead: %s", strerror(errno));
	xsResult = xsInteger(n == 0 ? -1 : (xsIntegerValue)n);
}

static void mlxs_meter(xsMachine* the)
{
#ifdef mxMetering
	/* Exact as a double up to 2^53 units. */
	xsResult = xsNumber((double)mlxsMeterCount(the));
#else
	(void)the; /* returns undefined */
#endif
}

#ifdef mxInstrument
static void mlxs_floatOps(xsMachine* the)
{
	/* A 32-bit counter that wraps: callers take differences modulo 2^32. */
	xsResult = xsNumber((double)(txU4)the->floatingPointOps);
}

static void mlxs_gcCount(xsMachine* the)
{
	xsResult = xsInteger(the->garbageCollectionCount);
}
#endif

/* ---- running scripts ---- */

/* The SyntaxError that the parsed script throws carries only the message:
   say where the parser stopped. (XS's own reporter is silent without mxDebug.) */
static void mlxsReportSyntaxError(void* console, txString path, txInteger line, txString format, c_va_list arguments)
{
	(void)console;
	fflush(stdout);
	fprintf(stderr, "%s:%d: syntax error: ", path ? path : "?", (int)line);
	vfprintf(stderr, format, arguments);
	fputc('\n', stderr);
}

/* Parse a file as a classic script (mxProgramFlag: sloppy mode, top-level
   declarations are global) and run it in the realm of the machine's program,
   the way a <script> element would. Syntax errors come back as a script that
   throws the SyntaxError, because the parser reports to the machine. */
static void mlxsRunScriptFile(txMachine* the, const char* path)
{
	txParser parser;
	txParserJump jump;
	txScript* volatile script = C_NULL; /* volatile: assigned under setjmp */
	txSlot* realm = mxProgram.value.reference->next->value.module.realm;
	FILE* file = fopen(path, "rb");
	if (!file)
		mxUnknownError("cannot open %s: %s", path, strerror(errno));
	fxInitializeParser(&parser, the, the->parserBufferSize, the->parserTableModulo);
	parser.reportError = mlxsReportSyntaxError;
	parser.firstJump = &jump;
	if (c_setjmp(jump.jmp_buf) == 0) {
		parser.path = fxNewParserSymbol(&parser, (txString)path);
		fxParserTree(&parser, file, (txGetter)fgetc, mxProgramFlag, C_NULL);
		fxParserHoist(&parser);
		fxParserBind(&parser);
		script = fxParserCode(&parser);
	}
	fclose(file);
	fxTerminateParser(&parser);
	/* fxRunScript throws a SyntaxError itself when script is NULL, and frees
	   the script once it has run. */
	fxRunScript(the, script, mxRealmGlobal(realm), C_NULL, mxRealmClosures(realm)->value.reference, C_NULL, mxProgram.value.reference);
	mxPop(); /* completion value of the script */
}

/* Microtask checkpoint: run promise jobs, including the ones they queue. */
static void mlxsRunPromiseJobs(txMachine* the)
{
	while (the->mlxsPromiseJobs) {
		the->mlxsPromiseJobs = 0;
		fxRunPromiseJobs(the);
	}
	/* Rejections still unhandled now are errors, as in node. This calls
	   fxAbort, which does not return. */
	fxCheckUnhandledRejections(the, 1);
}

static void mlxsUsage(FILE* out)
{
	fprintf(out, "usage: mlxs [--meter] [--uart] file.js [more.js ...]\n");
}

int main(int argc, char* argv[])
{
	int argi, first = 0;
	volatile int status = 0; /* volatile: assigned after a longjmp */
	xsMachine* machine;

	for (argi = 1; argi < argc; argi++) {
		const char* arg = argv[argi];
		if (!strcmp(arg, "--")) {
			argi++;
			break;
		}
		if (arg[0] != '-' || !arg[1])
			break;
		if (!strcmp(arg, "--meter"))
			gPrintMeter = 1;
		else if (!strcmp(arg, "--uart"))
			gUart = 1;
		else if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			mlxsUsage(stdout);
			return 0;
		}
		else {
			fprintf(stderr, "mlxs: unknown option %s\n", arg);
			mlxsUsage(stderr);
			return 2;
		}
	}
	first = argi;
	gPrintFile = gUart ? stderr : stdout;
	/* A closed UART makes uartWrite throw (EPIPE) instead of killing the process. */
	if (gUart)
		signal(SIGPIPE, SIG_IGN);
	if (first >= argc) {
		mlxsUsage(stderr);
		return 2;
	}

	machine = xsCreateMachine(&gCreation, "mlxs", NULL);
	if (!machine) {
		fprintf(stderr, "mlxs: cannot create the XS machine\n");
		return 1;
	}

	/* xsBeginMetering installs the outermost jump: fxAbort lands after
	   xsEndMetering with the machine's stack restored. Interval 1 lets the
	   callback fold the count into 64 bits (see mlxsMeterCallback). */
	xsBeginMetering(machine, mlxsMeterCallback, 1);
	{
		xsBeginHost(machine);
		{
			xsResult = xsNewHostFunction(mlxs_print, 0);
			xsDefine(xsGlobal, xsID("print"), xsResult, xsDontEnum);
			xsResult = xsNewHostFunction(mlxs_meter, 0);
			xsDefine(xsGlobal, xsID("meter"), xsResult, xsDontEnum);
			if (gUart) {
				xsResult = xsNewHostFunction(mlxs_uartWrite, 2);
				xsDefine(xsGlobal, xsID("uartWrite"), xsResult, xsDontEnum);
				xsResult = xsNewHostFunction(mlxs_uartRead, 2);
				xsDefine(xsGlobal, xsID("uartRead"), xsResult, xsDontEnum);
			}
#ifdef mxInstrument
			xsResult = xsNewHostFunction(mlxs_floatOps, 0);
			xsDefine(xsGlobal, xsID("floatOps"), xsResult, xsDontEnum);
			xsResult = xsNewHostFunction(mlxs_gcCount, 0);
			xsDefine(xsGlobal, xsID("gcCount"), xsResult, xsDontEnum);
#endif
		}
		xsEndHost(machine);
#ifdef MLXS_NATIVE
		/* A host frame of its own, so the registration code may use
		   xsVars()/xsmcVars() and xsResult freely. If it throws, xsEndHost's
		   handler calls fxAbort, which reports the exception and exits 1. */
		xsBeginHost(machine);
		{
			mlxs_register_natives(the);
		}
		xsEndHost(machine);
#endif
		xsBeginHost(machine);
		{
			xsTry {
				for (argi = first; argi < argc; argi++) {
					mlxsRunScriptFile(the, argv[argi]);
					mlxsRunPromiseJobs(the);
				}
			}
			xsCatch {
				mlxsReportException(the, "uncaught exception");
				status = 1;
			}
		}
		xsEndHost(machine);
#ifdef mxMetering
		mlxsMeterCallback(machine, machine->meterIndex); /* fold: fxEndMetering zeroes the index */
#endif
	}
	xsEndMetering(machine);

	if (machine->mlxsExitStatus)
		status = machine->mlxsExitStatus;
	fflush(stdout);
#ifdef mxMetering
	if (gPrintMeter)
		fprintf(stderr, "meter: %llu\n", (unsigned long long)machine->mlxsMeterBase);
#endif
	xsDeleteMachine(machine);
	return status;
}
