/*
 * The vibration monitor's deterministic device run (examples/vibration-monitor/run.ts)
 * as a headless Moddable app (x-cli-lin), with the native C kernels the
 * preloaded library installs: it must print the lines Node prints
 * (test/vibration-monitor.test.ts builds and runs it when $MODDABLE is set).
 */
import { backend, signalBackend } from 'microlearn/src/kernels';
import { runMonitor } from 'microlearn/examples/vibration-monitor/run';

function print(s: string): void {
  trace(s + '\n');
}

print('kernels ' + backend() + ' signal ' + signalBackend());
runMonitor(print, 3200);
print('moddable done');
