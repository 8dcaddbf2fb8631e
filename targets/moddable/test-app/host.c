/*
 * main() for the headless x-cli-lin test app: the SDK's x-cli-lin platform
 * links the XS engine and the app's preloaded archive but ships no main().
 * This one creates the machine from the archive, imports "main", drains the
 * promise jobs and exits 1 on an uncaught exception.
 */
#include "xsAll.h"
#include "mc.xs.h"

/*
 * Memory figures for docs/moddable.md: kind 0 and 1 give the chunk bytes and
 * heap slots in use after a garbage collection, 2 and 3 the peaks so far
 * (XS collects only when full, so these follow the allocation), 4 the size of
 * one slot (16 bytes on ESP32, 32 on a 64-bit host).
 */
void xs_microlearn_test_memory(xsMachine* the)
{
	int kind = xsToInteger(xsArg(0));
	if (kind < 2)
		xsCollectGarbage();
	switch (kind) {
	case 0: xsResult = xsNumber((double)the->currentChunksSize); break;
	case 1: xsResult = xsNumber((double)the->currentHeapCount); break;
	case 2: xsResult = xsNumber((double)the->peakChunksSize); break;
	case 3: xsResult = xsNumber((double)the->peakHeapCount); break;
	default: xsResult = xsInteger((int)sizeof(txSlot)); break;
	}
}

void fxAbort(xsMachine* the, int status)
{
	fprintf(stderr, "### abort: %d\n", status);
	exit(status);
}

int main(int argc, char* argv[])
{
	int error = 0;
	xsMachine* machine = fxPrepareMachine(NULL, xsPreparation(), "microlearn-test", NULL, NULL);
	xsBeginHost(machine);
	{
		xsVars(1);
		xsTry {
			xsResult = xsAwaitImport("main", XS_IMPORT_NAMESPACE);
		}
		xsCatch {
			fprintf(stderr, "### %s\n", xsToString(xsException));
			error = 1;
		}
	}
	xsEndHost(machine);
	while (g_main_context_pending(NULL))
		g_main_context_iteration(NULL, FALSE);
	xsDeleteMachine(machine);
	fflush(stdout);
	return error;
}
