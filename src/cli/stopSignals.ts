export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/**
 * Listens for stop signals until the returned function is called: the first calls `onStop`, a repeat ends the process
 * as the signal's default action would (the second Ctrl-C of a person who does not want to wait).
 *
 * Through `process.on`, never `once`: signal-exit (loaded with node-llama-cpp, through proper-lockfile) re-raises a
 * signal when its own listener is the only one left, which a `once` listener guarantees the moment it fires. With a
 * model loaded, the process then died by the signal before its shutdown ran (`mai serve` left instance.json behind).
 */
export function onStopSignals(signals: readonly StopSignal[], onStop: (signal: StopSignal) => void): () => void {
  let stopping = false;
  const off = () => {
    for (const signal of signals) process.removeListener(signal, listener);
  };
  function listener(signal: StopSignal) {
    if (!stopping) {
      stopping = true;
      onStop(signal);
      return;
    }
    off();
    process.kill(process.pid, signal);
  }
  for (const signal of signals) process.on(signal, listener);
  return off;
}
