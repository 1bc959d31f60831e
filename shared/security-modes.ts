/**
 * How the console talks to a DC, and on which port. Apart from the settings schema so that the import's worker
 * thread, which only reads settings, does not load the schema library with it (half of its bundle).
 */
export const SECURITY_MODES = ['ldaps', 'starttls', 'none'] as const;
export type Security = (typeof SECURITY_MODES)[number];

export const DEFAULT_PORTS: Record<Security, number> = { ldaps: 636, starttls: 389, none: 389 };

/** The port actually used: explicit setting, else the path's, else the security mode's default. */
export function effectivePort(s: { port: number | null; security: Security }, pathPort: number | null): number {
  return s.port ?? pathPort ?? DEFAULT_PORTS[s.security];
}
