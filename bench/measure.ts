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

/**
 * Makes the processes a bench starts run in Node's default set-up, and says what it changed.
 * NODE_EXTRA_CA_CERTS is unset: when it names a certificate bundle, every Node process parses it
 * at start (40 ms of CPU for the system bundle on the development VM, where `node -e 0` is 20 ms
 * without it), a cost of the machine, not of either tool, that both sides of a comparison would pay.
 * Returns a note for the printed line ('' when nothing was set).
 */
export function useNodeDefaults(): string {
  if (process.env.NODE_EXTRA_CA_CERTS !== undefined) {
    delete process.env.NODE_EXTRA_CA_CERTS;
    unsetCertificates = true;
  }
  return unsetCertificates
    ? "; NODE_EXTRA_CA_CERTS unset for every process (Node's default), as this machine sets it"
    : '';
}

let unsetCertificates = false;
