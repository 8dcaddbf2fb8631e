/*
 * main() for the headless x-cli-lin test app: the SDK's x-cli-lin platform
 * links the XS engine and the app's preloaded archive but ships no main().
 * This one creates the machine from the archive, imports "main", drains the
 * promise jobs and exits 1 on an uncaught exception.
 */
#include "xsAll.h"
#include "mc.xs.h"

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
