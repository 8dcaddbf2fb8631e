// Types of the `microlearn` module in a Moddable app: the library's own
// TypeScript sources, which mcconfig maps as microlearn/index, microlearn/src/*, ….
export * from 'microlearn/index';
