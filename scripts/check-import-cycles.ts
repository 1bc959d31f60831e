/**
 * Import cycles among the project's own modules, type-only imports included (ESLint's import-x/no-cycle
 * skips those, yet a type-only cycle still ties two modules together). Exit 1 and list them if any.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOTS = ['electron', 'shared', 'renderer'];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

const files = ROOTS.flatMap(sources);
const graph = new Map<string, string[]>();
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const targets = [...text.matchAll(IMPORT)]
    .map((m) => path.normalize(path.join(path.dirname(file), m[1]!)))
    .filter((t) => files.includes(t));
  graph.set(file, targets);
}

const cycles = new Set<string>();
const state = new Map<string, 'open' | 'done'>();
const stack: string[] = [];
function visit(file: string): void {
  state.set(file, 'open');
  stack.push(file);
  for (const next of graph.get(file) ?? []) {
    if (state.get(next) === 'open') cycles.add([...stack.slice(stack.indexOf(next)), next].join(' -> '));
    else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(file, 'done');
}
for (const file of files) if (!state.has(file)) visit(file);

if (cycles.size > 0) {
  console.error(`Import cycles (type-only imports count too):\n${[...cycles].map((c) => `  ${c}`).join('\n')}`);
  process.exit(1);
}
console.log(`No import cycles among ${files.length} modules.`);
