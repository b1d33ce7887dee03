// The API server's CEL `format` library. Expected errors are written out from the functions the
// library calls (apimachinery v0.36.3 pkg/util/validation and pkg/api/validate/content, Go's
// net/url, kube-openapi strfmt), not produced by the code under test; the differential against
// the real API server is test/e2e/validation/format-library.test.ts.
import { describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { NAMED_FORMATS } from '../../../src/cel/lib/k8s-named-formats.js';

const errors = (format: string, s: string): string[] => {
  const f = NAMED_FORMATS.get(format);
  if (!f) throw new Error(`no format ${format}`);
  return f.validate(s);
};

const LABEL_REGEX =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_REGEX =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('format library checks', () => {
  it('words DNS labels as apimachinery does, lengths in bytes', () => {
    expect(errors('dns1123Label', 'my-name')).toEqual([]);
    expect(errors('dns1123Label', 'a.b')).toEqual(['must not contain dots']);
    expect(errors('dns1123Label', 'A')).toEqual([LABEL_REGEX]);
    // 32 two-byte characters: 64 bytes.
    expect(errors('dns1123Label', 'é'.repeat(32))).toEqual([
      'must be no more than 63 characters',
      LABEL_REGEX,
    ]);
    expect(errors('dns1123Subdomain', '-x')).toEqual([SUBDOMAIN_REGEX]);
    expect(errors('dns1035Label', '1a')).toHaveLength(1);
    expect(errors('dns1035Label', '1a')[0]).toMatch(/^a DNS-1035 label must .* 'abc-123', regex used/);
  });

  it('lets the *Prefix formats end in a dash by replacing the last two bytes with one `a`', () => {
    expect(errors('dns1123LabelPrefix', 'ab-')).toEqual([]);
    expect(errors('dns1123Label', 'ab-')).toEqual([LABEL_REGEX]);
    // 64 bytes ending in a dash mask to 63: within the limit.
    expect(errors('dns1123LabelPrefix', `${'a'.repeat(63)}-`)).toEqual([]);
    expect(errors('dns1123SubdomainPrefix', 'a.b-')).toEqual([]);
    // The cut splits the second `é`: what is left is no label, whatever its length.
    expect(errors('dns1123LabelPrefix', 'éé-')).toEqual([LABEL_REGEX]);
    expect(errors('dns1035LabelPrefix', '-')).toEqual(errors('dns1035Label', '-'));
  });

  it('checks qualified names part by part, in content.IsLabelKey words', () => {
    expect(errors('qualifiedName', 'example.com/MyName')).toEqual([]);
    expect(errors('qualifiedName', '/x')).toEqual(['prefix part must be non-empty']);
    expect(errors('qualifiedName', 'x/')).toEqual([
      'name part must be non-empty',
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
    expect(errors('qualifiedName', `x/${'a'.repeat(64)}`)).toEqual([
      'name part must be no more than 63 bytes',
    ]);
    expect(errors('qualifiedName', 'a/b/c')[0]).toMatch(
      /^a valid label key must consist .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/,
    );
    expect(errors('labelValue', '')).toEqual([]);
    expect(errors('labelValue', 'a'.repeat(64))).toEqual(['must be no more than 63 bytes']);
  });

  it('gives Go url.ParseRequestURI errors for uri', () => {
    expect(errors('uri', 'http://example.com/x?q=1')).toEqual([]);
    expect(errors('uri', '/abs')).toEqual([]);
    expect(errors('uri', 'rel')).toEqual(['parse "rel": invalid URI for request']);
    expect(errors('uri', '')).toEqual(['parse "": empty url']);
  });

  it('checks uuid, byte, date and datetime as kube-openapi strfmt does', () => {
    expect(errors('uuid', '123E4567E89B12D3A456426614174000')).toEqual([]);
    expect(errors('uuid', 'x')).toEqual(['does not match the UUID format']);
    expect(errors('byte', 'aGVsbG8=')).toEqual([]);
    expect(errors('byte', '')).toEqual(['invalid base64']);
    expect(errors('date', '2020-02-29')).toEqual([]);
    expect(errors('date', '2021-02-29')).toEqual(['invalid date']);
    expect(errors('date', '2021-1-01')).toEqual(['invalid date']);
    expect(errors('datetime', '2021-01-01t23:59:59.5+01:00')).toEqual([]);
    expect(errors('datetime', '2021-01-01T24:00:00Z')).toEqual(['invalid datetime']);
    // Split at every `t`: only the first two parts are looked at.
    expect(errors('datetime', '2021-01-01T00:00:00Zt-anything')).toEqual([]);
  });
});

describe('format library in CEL', () => {
  const env = createKroEnvironment({ crdRules: true });

  it('gives optional.none() for a valid string and the errors otherwise', () => {
    expect(env.evaluate("format.dns1123Label().validate('ok').hasValue()")).toBe(false);
    expect(env.evaluate("format.named('date').value().validate('x').value()")).toEqual(['invalid date']);
    expect(env.evaluate("format.named('nope').hasValue()")).toBe(false);
  });

  it('compares formats by name', () => {
    expect(env.evaluate("format.named('uri').value() == format.uri()")).toBe(true);
    expect(env.evaluate('format.uri() == format.uuid()')).toBe(false);
  });

  it('is in the API server rule environment only, not in kro', () => {
    expect(createKroEnvironment().check('format.uri()').valid).toBe(false);
    expect(createKroEnvironment().check("format.named('uri')").valid).toBe(false);
  });
});
