// The documentation keeps up with the command line: docs/cli.md has a section for every command,
// each option a command's --help lists is documented there (or in the page the section links to),
// and the README's command table names every command.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/commands/index.js';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const CLI_MD = read('docs/cli.md');
const README = read('README.md');

/** The text of `## \`kro-gen <name>\`` up to the next `## `. */
function section(name: string): string | undefined {
  const start = CLI_MD.indexOf(`\n## \`kro-gen ${name}\`\n`);
  if (start < 0) return undefined;
  const end = CLI_MD.indexOf('\n## ', start + 1);
  return CLI_MD.slice(start, end < 0 ? undefined : end);
}

describe('docs/cli.md and README.md', () => {
  for (const command of commands) {
    it(`document kro-gen ${command.name} and every option it has`, async () => {
      const text = section(command.name);
      expect(text, `docs/cli.md has no section for ${command.name}`).toBeDefined();
      const linked = [...(text ?? '').matchAll(/\]\(([a-z-]+\.md)\)/g)].map((m) => read(`docs/${m[1]}`));
      const help = await command.help();
      const options = [...help.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]!);
      expect(options.length).toBeGreaterThan(0);
      for (const option of options) {
        if (option === '--help') continue;
        const documented = [text ?? '', ...linked].some((t) => t.includes(option));
        expect(documented, `${command.name} ${option}`).toBe(true);
      }
      expect(README).toContain(`| \`kro-gen ${command.name} `);
    });
  }
});
