// Standard output and error as the CLI writes them: straight to the file descriptor, the way Node
// itself writes to a file.
//
// Why: over a pipe (CI logs, editors, `| tee`, spawnSync) process.stdout is a net.Socket, and creating
// it loads Node's socket and stream modules, about 1.2 ms of a 110 ms run (generate of kro's 41
// schemas), before the first byte. A command that prints one report at its end never needs them.
// Node's stream stays in use where it does more than a write: a terminal (which Windows consoles need
// converted; any character device is taken for one, since asking node:tty would load the same
// modules), and a descriptor that would block (EAGAIN: a process sharing the pipe made it
// non-blocking, so a synchronous write cannot wait). From that moment on, everything that descriptor
// gets goes through the stream, so the order of the output never changes.

/** What a writer needs of the process; tests pass their own. */
export interface StdWriterDeps {
  writeSync(fd: number, buffer: Uint8Array, offset: number): number;
  /** Whether the descriptor may be a terminal (see mayBeTerminal). */
  mayBeTerminal(fd: number): boolean;
  /** Node's stream for the descriptor, created on first use. */
  stream(): NodeJS.WritableStream & { readonly writableLength: number };
  /** The reader closed the pipe: stop quietly (see exitQuietlyOnClosedPipe). */
  closed(): void;
}

export interface StdWriter {
  write(text: string): void;
  /** Bytes written to Node's stream that have not left the process yet. */
  pending(): number;
}

export function stdWriter(fd: number, deps: StdWriterDeps): StdWriter {
  let stream: ReturnType<StdWriterDeps['stream']> | undefined;
  let direct: boolean | undefined;
  const toStream = () => {
    if (stream === undefined) {
      stream = deps.stream();
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
        deps.closed();
      });
    }
    return stream;
  };
  return {
    write(text) {
      direct ??= !deps.mayBeTerminal(fd);
      if (!direct || stream !== undefined) {
        toStream().write(text);
        return;
      }
      const bytes = Buffer.from(text, 'utf8');
      let offset = 0;
      while (offset < bytes.length) {
        try {
          offset += deps.writeSync(fd, bytes, offset);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            toStream().write(bytes.subarray(offset));
            return;
          }
          if (code === 'EPIPE') {
            deps.closed();
            return;
          }
          throw e;
        }
      }
    },
    pending: () => stream?.writableLength ?? 0,
  };
}

/**
 * Whether `fd` is a character device (a terminal, or /dev/null): pipes, files and sockets are not.
 * fstat answers without node:tty, which loads net and the streams to answer isatty.
 */
export function mayBeTerminal(fd: number, fstat: (fd: number) => { isCharacterDevice(): boolean }): boolean {
  try {
    return fstat(fd).isCharacterDevice();
  } catch {
    return true;
  }
}
