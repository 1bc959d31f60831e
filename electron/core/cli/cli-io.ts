/** Where a bcscmd command writes: standard output for results, standard error for progress and errors. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** The raw streams, for /EXTAUTH's binary protocol and a password read from stdin (default: the process's). */
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}
