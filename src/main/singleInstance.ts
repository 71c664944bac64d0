/** The part of Electron's `app` the single-instance rule needs. */
export interface InstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
}

/**
 * One Mai per user data folder: a second launch hands over to the first (which brings its chat forward) and quits.
 * Returns whether this process is the one that stays. The lock is taken per `userData` path, so a Mai started with
 * its own `MAI_HOME` (tests, a second profile) is a separate instance.
 */
export function claimSingleInstance(app: InstanceApp, onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', onSecondLaunch);
  return true;
}
