/**
 * `azconform restore JOURNAL`: finish the clean-up of a run that was killed (SIGKILL, a cancelled CI job) from the
 * journal it wrote to its reports folder. Restores exactly as the run's own end would have, then marks the journal
 * done, so a second call says there is nothing to do.
 */
import { fixedTokens } from '../auth/tokens.js';
import { PLACEHOLDER_TOKEN } from '../auth/placeholder.js';
import { authOptions } from './auth-options.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HttpClient } from '../http/client.js';
import { retrying } from '../http/retry.js';
import { loadOperations } from '../model/registry.js';
import { Journal, JOURNAL_FILE, readJournal, type JournalLine } from '../restore/journal.js';
import { replay, resume } from '../restore/resume.js';
import { HOUSEKEEPING } from '../restore/retry.js';
import { problemLines, restoreLine } from '../restore/summary.js';
import { EXIT, UsageError } from './exit-codes.js';

const HELP = `azconform restore — finish the clean-up of a run that was killed

Usage: azconform restore [JOURNAL] [options]   (JOURNAL: the restore-journal.jsonl in that run's reports folder)

A run against a live target journals its snapshot and every write before it is sent. If the run was killed
before its own restore (SIGKILL, a cancelled CI job), this puts back what it changed, exactly as the run would
have, removes a certificate it imported (--provision), verifies, and marks the journal done.

  --reports DIR     without JOURNAL: DIR/restore-journal.jsonl (default reports/)
  --token TOKEN     bearer token for both planes (default: $AZURE_ACCESS_TOKEN, else a placeholder for
                    emulators); the journal holds none
  --vault-token T, --arm-token T   a plane's own token (default: --token, else $AZURE_VAULT_ACCESS_TOKEN /
                    $AZURE_ARM_ACCESS_TOKEN, else $AZURE_ACCESS_TOKEN)
  --timeout MS      per-request deadline (default 5000)
  -h, --help        this text

Exit codes: 0 restored (or nothing to do), 1 something could not be restored, 2 usage error or unreadable journal.`;

export async function run(argv: string[]): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { token: { type: 'string' }, 'vault-token': { type: 'string' }, 'arm-token': { type: 'string' }, reports: { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${HELP}`);
  }
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  const [named, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`name one journal file\n\n${HELP}`);
  const file = named ?? path.join(values.reports ?? 'reports', JOURNAL_FILE);
  const timeoutMs = Number(values.timeout ?? 5000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new UsageError(`--timeout must be an integer ≥ 1, got ${JSON.stringify(values.timeout)}`);
  let lines: JournalLine[];
  try {
    lines = readJournal(file);
  } catch (err) {
    throw new UsageError(`cannot read the restore journal ${file}: ${(err as Error).message}`);
  }
  if (lines.length === 0) {
    console.log(`restore: nothing to do (${file} is empty: the run was stopped before it sent any write)`);
    return EXIT.ok;
  }
  const operations = loadOperations();
  const auth = authOptions(values, {});
  const token = auth.kind === 'tokens' ? fixedTokens(auth.data, auth.arm) : fixedTokens(PLACEHOLDER_TOKEN);
  let journaled;
  try {
    journaled = replay(lines, token, (id, v) => operations.find((o) => o.id === id && o.apiVersion === v));
  } catch (err) {
    throw new UsageError(`cannot restore from ${file}: ${(err as Error).message}`);
  }
  const client = new HttpClient({ timeoutMs, connections: 2 });
  try {
    const r = await resume(journaled, retrying((req) => client.sendUnobserved(req), HOUSEKEEPING));
    if (r.kind === 'done') {
      console.log(`restore: nothing to do (the run finished its restore at ${r.at})`);
      return EXIT.ok;
    }
    if (r.kind === 'restored') {
      console.log(`restore: ${r.writes} journaled write(s)`);
      console.log(restoreLine(r.items));
      for (const l of problemLines(r.items)) console.log(l);
    } else console.log(`restore: nothing to do (${r.why})`);
    // Appended to the same file: the journal now says its run is cleaned up.
    const journal = Journal.append(file);
    journal.append({ t: 'done', at: new Date().toISOString() }, true);
    journal.close();
    return r.kind === 'restored' && r.items.some((i) => i.outcome === 'failed') ? EXIT.violations : EXIT.ok;
  } finally {
    await client.close();
  }
}
