// What the benches share to measure: medians, and the CPU time of a whole node process.

/** The median (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
}

/**
 * A script for `node -r`: reports the CPU time of the whole node process (bootstrap included) on
 * stderr as it exits, for cpuMicroseconds to read back.
 */
export const CPU_PROBE =
  "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('CPU_US ' + (u.user + u.system) + '\\n'); });\n";

/** The CPU microseconds a process run with CPU_PROBE reported on `stderr`, NaN if none. */
export function cpuMicroseconds(stderr: string): number {
  return Number(/CPU_US (\d+)/.exec(stderr)?.[1] ?? Number.NaN);
}
