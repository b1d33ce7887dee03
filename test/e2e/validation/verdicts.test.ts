// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro-gen quotes ${...} expressions in its messages
/** The verdict readers and message comparison of the validation differential (no cluster needed). */
import { describe, expect, it } from 'vitest';
import { canonicalCycles, coreMessage, kroGenVerdict, kroVerdict, messagesEqual } from './verdicts.js';

const rgd = (state: string | undefined, conditions: object[]) => ({ status: { state, conditions } });

describe('kroVerdict', () => {
  it('accepts an Active RGD whose Ready condition is True', () => {
    expect(kroVerdict(rgd('Active', [{ type: 'Ready', status: 'True' }]))).toEqual({
      accepted: true,
      message: '',
    });
  });

  it('refuses with the message of the False GraphAccepted condition', () => {
    const obj = rgd('Inactive', [
      { type: 'Ready', status: 'False', message: 'not ready' },
      { type: 'GraphAccepted', status: 'False', message: 'graph contains a cycle: a -> b -> a' },
    ]);
    expect(kroVerdict(obj)).toEqual({ accepted: false, message: 'graph contains a cycle: a -> b -> a' });
  });

  it('has no verdict while kro is still reconciling (no status, or Inactive with nothing False yet)', () => {
    expect(kroVerdict({})).toBeUndefined();
    expect(kroVerdict(rgd('Inactive', [{ type: 'GraphAccepted', status: 'True' }]))).toBeUndefined();
  });
});

describe('kroGenVerdict', () => {
  it('accepts on exit 0, warnings or not', () => {
    expect(kroGenVerdict(0, 'a.yaml:1:1: warning: x')).toEqual({ accepted: true, message: '' });
  });

  it("takes the first error's message, without position and rule", () => {
    const stderr =
      'a.yaml:3:5: warning: w\na.yaml:7:9: error: self references are not allowed\na.yaml:8:1: error: b\n';
    expect(kroGenVerdict(1, stderr)).toEqual({ accepted: false, message: 'self references are not allowed' });
  });
});

describe('messagesEqual', () => {
  const refused = (message: string) => ({ accepted: false, message });

  it("finds kro-gen's message without its context inside kro's", () => {
    expect(
      messagesEqual(
        refused(
          'failed to validate resource "cm": failed to compile template expression "x" at path "data.v": ERROR: <input>:1:12: undefined field \'nosuch\'',
        ),
        refused(
          'resource "cm": failed to compile template expression "${x}" at path "data.v": undefined field \'nosuch\'',
        ),
      ),
    ).toBe(true);
  });

  it('tells different messages apart, and never equals an empty message', () => {
    expect(
      messagesEqual(
        refused('graph contains a cycle: a -> b -> a'),
        refused('graph contains a cycle: a -> c -> a'),
      ),
    ).toBe(false);
    expect(messagesEqual(refused('anything'), refused(''))).toBe(false);
  });

  it('agrees on two acceptances only', () => {
    expect(messagesEqual({ accepted: true, message: '' }, { accepted: true, message: '' })).toBe(true);
    expect(messagesEqual({ accepted: true, message: '' }, refused('x'))).toBe(false);
  });

  it('strips the schema field in front of SimpleSchema errors', () => {
    expect(coreMessage('spec.a.b: unknown type: strng')).toBe('unknown type: strng');
  });
});

describe('cycle messages', () => {
  const refused = (message: string) => ({ accepted: false, message });

  it('are equal in any rotation of the same cycle, as kro words it in Go map order', () => {
    const kro = refused('failed to build dependency graph: graph contains a cycle: first -> second -> first');
    const ours = refused(
      'failed to build dependency graph: graph contains a cycle: second -> first -> second',
    );
    expect(messagesEqual(kro, ours)).toBe(true);
    expect(canonicalCycles('graph contains a cycle: c -> a -> b -> c')).toBe(
      'graph contains a cycle: a -> b -> c -> a',
    );
  });

  it('differ when the direction or the ids differ', () => {
    const kro = refused('graph contains a cycle: a -> b -> c -> a');
    expect(messagesEqual(kro, refused('graph contains a cycle: a -> c -> b -> a'))).toBe(false);
    expect(messagesEqual(kro, refused('graph contains a cycle: a -> b -> d -> a'))).toBe(false);
  });
});
