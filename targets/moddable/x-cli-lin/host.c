/*
 * main() for a microlearn app on Moddable's x-cli-lin platform (the XS engine
 * as a plain Linux command, no simulator, no GUI). The SDK's x-cli-lin
 * platform links the engine and the app's archive but ships no main(); a
 * device's platform code does this job on ESP32.
 *
 * It creates the XS machine from the app's preparation (so preloaded modules
 * run from the archive, as on a device), imports "main", runs the promise
 * jobs until none is left and exits with status 1 on an uncaught exception
 * or an engine abort, 0 otherwise.
 *
 * Include it with targets/moddable/x-cli-lin/manifest.json; see docs/moddable.md.
 */
#include "xsAll.h"
#include "mc.xs.h"

/* XS calls this on a fatal error (memory full, stack overflow, ...): report and exit. */
void fxAbort(xsMachine* the, int status)
{
	fprintf(stderr, "### XS abort: %d\n", status);
	exit(status ? status : 1);
}

/*
 * Resource lookup for $(MODULES)/files/resource (manifest_base.json includes
 * it). x-cli-lin builds carry no resources, so every lookup finds none and
 * `new Resource(path)` throws; Resource.exists(path) is false.
 */
int mcCountResources(xsMachine* the)
{
	return 0;
}

const char* mcGetResourceName(xsMachine* the, int i)
{
	return NULL;
}

const void* mcGetResource(xsMachine* the, const char* path, size_t* size)
{
	*size = 0;
	return NULL;
}

int main(int argc, char* argv[])
{
	int error = 0;
	xsMachine* machine = fxPrepareMachine(NULL, xsPreparation(), "microlearn", NULL, NULL);
	if (!machine) {
		fprintf(stderr, "### cannot create the XS machine\n");
		return 1;
	}
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
	/* Promise jobs run from the GLib main context (lin_xs.c): drain them. */
	while (g_main_context_pending(NULL))
		g_main_context_iteration(NULL, FALSE);
	xsDeleteMachine(machine);
	fflush(stdout);
	return error;
}
