/** Types of build-cli.mjs (plain JavaScript: npm install runs it on any node). */
export function buildCommandLine(): Promise<void>;
