// Runs every benchmark module in this directory (`npm run bench`). A module exports
//   export async function run(): Promise<string[]>
// and returns the lines it wants printed; modules run one after another so they do not compete
// for the CPU.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchModule {
  run(): Promise<string[]>;
}

const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.d.ts'))
    .sort();
  let failed = false;
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') continue;
    try {
      for (const line of await mod.run()) console.log(line);
    } catch (e) {
      failed = true;
      console.error(`bench ${file}: failed: ${(e as Error).message}`);
    }
  }
  if (failed) process.exitCode = 1;
}

await main();
