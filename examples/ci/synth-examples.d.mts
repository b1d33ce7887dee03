// Types of synth-examples.mjs, for the test that regenerates the examples' output.
export interface SynthJob {
  /** Where the checked-in output lives, relative to the repository root. */
  readonly out: string;
  /** `kro-gen` arguments, relative to the repository root. */
  readonly args: readonly string[];
  /** `false`: the example's main.ts does not reproduce this output (apps.test.ts skips it). */
  readonly app?: false;
}
export declare const JOBS: readonly SynthJob[];
export declare function jobArgs(job: SynthJob, dir: string): string[];
export declare function compareDirs(expected: string, actual: string): string[];
