// Starts a planner thread. Compiled, the entry is JavaScript beside this file; from the sources it
// is TypeScript, which a worker thread does not inherit tsx's loader for, so tsx imports it here.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('./thread-entry.ts', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(source.href, import.meta.url);
} else {
  await import('./thread-entry.js');
}
