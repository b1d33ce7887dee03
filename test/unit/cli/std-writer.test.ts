import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { mayBeTerminal, type StdWriterDeps, stdWriter } from '../../../src/cli/std-writer.js';

/** A fake process: a descriptor that takes at most `chunk` bytes per write, and a stream. */
function fake(
  opts: { terminal?: boolean; chunk?: number; fail?: (call: number) => string | undefined } = {},
) {
  const direct: Buffer[] = [];
  const streamed: string[] = [];
  let calls = 0;
  let streams = 0;
  let closed = 0;
  const stream = Object.assign(new EventEmitter(), {
    writableLength: 0,
    write(chunk: string | Uint8Array) {
      streamed.push(Buffer.from(chunk).toString('utf8'));
      return true;
    },
  });
  const deps: StdWriterDeps = {
    writeSync(fd, buffer, offset) {
      expect(fd).toBe(1);
      const code = opts.fail?.(calls++);
      if (code !== undefined) throw Object.assign(new Error(code), { code });
      const n = Math.min(opts.chunk ?? Number.POSITIVE_INFINITY, buffer.length - offset);
      direct.push(Buffer.from(buffer.subarray(offset, offset + n)));
      return n;
    },
    mayBeTerminal: () => opts.terminal === true,
    stream: () => {
      streams++;
      return stream as unknown as ReturnType<StdWriterDeps['stream']>;
    },
    closed: () => {
      closed++;
    },
  };
  return {
    writer: stdWriter(1, deps),
    stream,
    direct: () => Buffer.concat(direct).toString('utf8'),
    streamed: () => streamed.join(''),
    streams: () => streams,
    closed: () => closed,
  };
}

describe('stdWriter', () => {
  it('writes to the descriptor, byte for byte, across short writes, without a stream', () => {
    const f = fake({ chunk: 3 });
    f.writer.write('héllo, ');
    f.writer.write('wörld ✓\n');
    expect(f.direct()).toBe('héllo, wörld ✓\n');
    expect(f.streams()).toBe(0);
    expect(f.writer.pending()).toBe(0);
  });

  it("leaves a terminal to Node's stream", () => {
    const f = fake({ terminal: true });
    f.writer.write('a');
    f.writer.write('b');
    expect(f.direct()).toBe('');
    expect(f.streamed()).toBe('ab');
    expect(f.streams()).toBe(1);
  });

  it('hands the rest to the stream when the descriptor would block, and keeps the order after', () => {
    // The first write takes 4 bytes, the second would block.
    const f = fake({ chunk: 4, fail: (call) => (call === 1 ? 'EAGAIN' : undefined) });
    f.writer.write('0123456789');
    f.writer.write('next');
    expect(f.direct()).toBe('0123');
    expect(f.streamed()).toBe('456789next');
    f.stream.writableLength = 7;
    expect(f.writer.pending()).toBe(7);
  });

  it('stops quietly when the reader closed the pipe', () => {
    const f = fake({ fail: () => 'EPIPE' });
    f.writer.write('x');
    expect(f.closed()).toBe(1);
    const s = fake({ terminal: true });
    s.writer.write('x');
    s.stream.emit('error', Object.assign(new Error('EPIPE'), { code: 'EPIPE' }));
    expect(s.closed()).toBe(1);
  });

  it('throws any other write error', () => {
    const f = fake({ fail: () => 'EIO' });
    expect(() => f.writer.write('x')).toThrow('EIO');
    const s = fake({ terminal: true });
    s.writer.write('x');
    expect(() => s.stream.emit('error', Object.assign(new Error('EIO'), { code: 'EIO' }))).toThrow('EIO');
  });
});

describe('mayBeTerminal', () => {
  it('is true for character devices and when fstat fails, false otherwise', () => {
    expect(mayBeTerminal(1, () => ({ isCharacterDevice: () => true }))).toBe(true);
    expect(mayBeTerminal(1, () => ({ isCharacterDevice: () => false }))).toBe(false);
    expect(
      mayBeTerminal(1, () => {
        throw new Error('EBADF');
      }),
    ).toBe(true);
  });
});
