/*
 * The `microlearn` module of a Moddable app (targets/moddable/manifest.json).
 * It loads `microlearn-native` first, which publishes the C kernels as
 * globalThis.__microlearnNative, so src/kernels.ts finds them when it loads
 * and backend() reports 'native'. Everything else is the library's public API
 * (index.ts); microlearn.d.ts gives TypeScript apps its types.
 *
 * Plain JS with bare specifiers: the module is named "microlearn", and XS
 * resolves relative imports against the module name, not the file path.
 */
import 'microlearn-native';
export * from 'microlearn/index';
