// What `kro-gen`, `--help` and `--version` print (src/cli/usage.ts): the launcher answers them from
// the summaries alone, so the list it prints must be the commands run.ts knows, in their order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/commands/index.js';
import { LISTED, topLevelAnswer, usage } from '../../../src/cli/usage.js';

const PKG = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('topLevelAnswer', () => {
  it('lists the commands run.ts dispatches to, in its order, with their summaries', () => {
    expect(LISTED).toEqual(commands.map((c) => ({ name: c.name, summary: c.summary })));
  });

  it('answers no arguments, --help, -h, --version and -v; nothing else', () => {
    expect(topLevelAnswer([])).toEqual({ stream: 'stderr', text: usage(), code: 2 });
    for (const help of ['--help', '-h']) {
      expect(topLevelAnswer([help, 'x'])).toEqual({ stream: 'stdout', text: usage(), code: 0 });
    }
    for (const version of ['--version', '-v']) {
      expect(topLevelAnswer([version])).toEqual({ stream: 'stdout', text: `${PKG.version}\n`, code: 0 });
    }
    for (const argv of [['help'], ['help', 'crd'], ['validate'], ['--frobnicate'], ['']]) {
      expect(topLevelAnswer(argv), argv.join(' ')).toBeUndefined();
    }
  });
});
