/** The brain's public surface for hosts (Electron main, web bridge, CLI). */
export { createBrain, type Brain, type BrainDeps } from './Brain';
export { consoleLogger, silentLogger, type Logger } from './logger';
export { subscribeAllEvents } from './eventFeed';
export { maiVersion } from './version';
