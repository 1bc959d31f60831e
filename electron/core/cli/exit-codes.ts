/** bcscmd's exit codes, for scheduled tasks and scripts (/STATUS has its own, see sync-status.ts). */
export const EXIT = { ok: 0, failed: 1, usage: 2, stopped: 3, busy: 4 } as const;
