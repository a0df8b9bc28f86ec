/**
 * The live block of a run on a terminal: one line per operation (cases done, violations, cases/s), redrawn in
 * place at most every 100 ms, with colours. Only on a TTY outside CI (CI=true, or output to a pipe or file, gets
 * the plain lines alone); NO_COLOR keeps the block but drops the colours.
 */
export interface LiveStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
}

const ESC = '\x1b[';

/** Whether a stream gets the live block: a TTY, and not CI. */
export const wantsLive = (out: LiveStream, env: NodeJS.ProcessEnv = process.env): boolean => out.isTTY === true && !env.CI;

interface Row {
  cases: number;
  violations: number;
  done: boolean;
  readonly started: number;
}

export class LiveBlock {
  private readonly rows = new Map<string, Row>();
  private drawn = 0;
  private last = 0;

  constructor(
    private readonly out: LiveStream,
    private readonly colour: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {}

  operation(key: string): void {
    if (!this.rows.has(key)) this.rows.set(key, { cases: 0, violations: 0, done: false, started: this.now() });
  }

  caseDone(key: string): void {
    this.operation(key);
    const r = this.rows.get(key) as Row;
    r.cases++;
    if (this.now() - this.last >= 100) this.redraw();
  }

  violation(key: string): void {
    this.operation(key);
    (this.rows.get(key) as Row).violations++;
  }

  operationDone(key: string): void {
    this.operation(key);
    (this.rows.get(key) as Row).done = true;
    this.redraw();
  }

  /** Write a plain line above the block: clear the block, write, draw it again. */
  line(s: string): void {
    this.clear();
    this.out.write(`${s}\n`);
    this.draw();
  }

  /** Remove the block for good (before the summary). */
  end(): void {
    this.clear();
    this.rows.clear();
  }

  private paint(code: string, s: string): string {
    return this.colour ? `${ESC}${code}m${s}${ESC}0m` : s;
  }

  private clear(): void {
    if (this.drawn > 0) this.out.write(`${ESC}${this.drawn}A${ESC}J`);
    this.drawn = 0;
  }

  private draw(): void {
    const t = this.now();
    const lines = [...this.rows].map(([key, r]) => {
      const rate = r.cases / Math.max((t - r.started) / 1000, 0.001);
      // Padded before painting: escape sequences take no columns.
      const state = r.done ? (r.violations > 0 ? this.paint('31', 'FAIL') : this.paint('32', 'done')) : this.paint('36', '…   ');
      const v = r.violations > 0 ? this.paint('31', `${r.violations} violation(s)`) : '0 violations';
      return `  ${state} ${key.padEnd(40)} ${String(r.cases).padStart(5)} cases  ${v}  ${Math.round(rate)} cases/s`;
    });
    if (lines.length > 0) this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
    this.last = t;
  }

  private redraw(): void {
    this.clear();
    this.draw();
  }
}
