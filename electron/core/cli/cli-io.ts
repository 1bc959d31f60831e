/** Where a bcscmd command writes: standard output for results, standard error for progress and errors. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}
