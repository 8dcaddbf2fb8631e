/*
 * main() for the thermostat's headless x-cli-lin app: creates the machine,
 * imports "main", then runs the GLib loop (timers, sockets) until the app
 * calls thermostat_exit(code). thermostat_args() gives the command line as
 * JSON. Exit code 1 on an uncaught exception.
 */
#include "xsAll.h"
#include "mc.xs.h"

static int gExit = -1;
static int gArgc;
static char** gArgv;

void thermostat_exit(xsMachine* the)
{
	gExit = xsToInteger(xsArg(0));
}

void thermostat_args(xsMachine* the)
{
	int i;
	xsVars(1);
	xsVar(0) = xsNewArray(0);
	for (i = 1; i < gArgc; i++)
		xsCall1(xsVar(0), xsID_push, xsString(gArgv[i]));
	xsResult = xsVar(0);
}

void fxAbort(xsMachine* the, int status)
{
	if (status == xsUnhandledExceptionExit)
		fprintf(stderr, "### unhandled exception: %s\n", fxToString(the, &mxException));
	else
		fprintf(stderr, "### abort: %d\n", status);
	exit(status);
}

int main(int argc, char* argv[])
{
	gArgc = argc;
	gArgv = argv;
	xsMachine* machine = fxPrepareMachine(NULL, xsPreparation(), "thermostat-test", NULL, NULL);
	xsBeginHost(machine);
	{
		xsVars(1);
		xsTry {
			xsResult = xsAwaitImport("main", XS_IMPORT_NAMESPACE);
		}
		xsCatch {
			fprintf(stderr, "### %s\n", xsToString(xsException));
			gExit = 1;
		}
	}
	xsEndHost(machine);
	while (gExit < 0)
		g_main_context_iteration(NULL, TRUE);
	fflush(stdout);
	return gExit;
}
