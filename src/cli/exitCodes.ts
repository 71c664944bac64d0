/** Documented in `mai --help`; scripts can rely on them. */
export const exitCodes = {
  ok: 0,
  /** Something failed at run time; the message says what and what to do. */
  failure: 1,
  /** The command line was wrong (unknown command or option, bad value). */
  usage: 2,
  /** The command exists but its feature has not landed yet. */
  notYetAvailable: 3,
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report it); what can be resumed was kept. */
  cancelled: 130,
} as const;

/** An error whose message is written for a person and which maps to an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = exitCodes.failure,
  ) {
    super(message);
  }
}
