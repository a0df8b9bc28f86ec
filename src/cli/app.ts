/**
 * azconform's command dispatcher. Each command is a module exporting `run(argv): Promise<number>` (the exit code);
 * this file only dispatches, and turns any unexpected error into a message and exit code 2.
 */
import { EXIT, UsageError } from './exit-codes.js';

interface Command {
  readonly summary: string;
  readonly load: () => Promise<{ run: (argv: string[]) => Promise<number> }>;
}

const COMMANDS: { readonly [name: string]: Command } = {
  run: { summary: 'run the conformance suites against the embedded Prism mock or a URL', load: () => import('./run.js') },
  emulate: { summary: 'serve a faithful, stateful emulator of the four operations (optionally with a fault)', load: () => import('./emulate.js') },
  merge: { summary: "merge the reports of a run's shards (run --shard i/n) into one", load: () => import('./merge.js') },
  restore: { summary: 'finish the clean-up of a killed run from its restore journal (reports/restore-journal.jsonl)', load: () => import('./restore.js') },
  diff: { summary: 'what changed in one operation between two api-versions, breaking for clients or for services', load: () => import('./diff.js') },
  compare: { summary: 'compare two runs (summary.json): what regressed, what was fixed, what is new', load: () => import('./compare.js') },
  'validate-traffic': { summary: 'validate recorded traffic (HAR 1.2, Azure SDK test-proxy recordings)', load: () => import('./validate-traffic.js') },
};

const USAGE = `azconform — contract tests for four Azure REST operations

Usage: azconform <command> [options]     (azconform <command> --help for its options)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(18)} ${c.summary}`)
  .join('\n')}

Exit codes: 0 no violations, 1 violations found, 2 usage error, unreachable target or broken input.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`azconform: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`azconform ${name}: ${err.message}`);
    } else {
      console.error(`azconform ${name}: internal error: ${err instanceof Error ? err.message : String(err)}`);
      if (process.env.AZCONFORM_DEBUG) console.error(err);
    }
    return EXIT.usage;
  }
}
