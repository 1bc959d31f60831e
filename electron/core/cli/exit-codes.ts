/** bcscmd's exit codes, for scheduled tasks and scripts. */
export const EXIT = { ok: 0, failed: 1, usage: 2, stopped: 3 } as const;
