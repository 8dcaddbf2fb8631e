/*
 * Memory figures for docs/moddable.md: kind 0 and 1 give the chunk bytes and
 * heap slots in use after a garbage collection, 2 and 3 the peaks so far
 * (XS collects only when full, so these follow the allocation), 4 the size of
 * one slot (16 bytes on ESP32, 32 on a 64-bit host).
 */
#include "xsAll.h"
#include "mc.xs.h"

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
