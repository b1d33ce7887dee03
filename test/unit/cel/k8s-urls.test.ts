import { describe, expect, it } from 'vitest';
import { urlEscapedPath } from '../../../src/cel/lib/k8s-neturl.js';
import { kubernetesUrlsLibrary, toUrl, urlQueryMap } from '../../../src/cel/lib/k8s-urls.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const URL_CASES: readonly Case[] = [
  {
    expr: "url('https://user:pass@example.com:80/path?query=val#fragment').getScheme()",
    type: 'string',
    value: 'https',
  },
  {
    expr: "url('https://user:pass@example.com:80/path?query=val#fragment').getHost()",
    type: 'string',
    value: 'example.com:80',
  },
  {
    expr: "url('https://user:pass@example.com:80/path?query=val#fragment').getHostname()",
    type: 'string',
    value: 'example.com',
  },
  {
    expr: "url('https://user:pass@example.com:80/path?query=val#fragment').getPort()",
    type: 'string',
    value: '80',
  },
  {
    expr: "url('https://user:pass@example.com:80/path?query=val#fragment').getEscapedPath()",
    type: 'string',
    value: '/path',
  },
  {
    expr: "url('https://user:pass@example.com:80/path?query=val#fragment').getQuery()",
    type: 'map',
    value: { query: ['val'] },
  },
  { expr: "url('/absolute-path').getScheme()", type: 'string', value: '' },
  { expr: "url('/absolute-path').getHost()", type: 'string', value: '' },
  { expr: "url('/absolute-path').getEscapedPath()", type: 'string', value: '/absolute-path' },
  {
    expr: "url('https://a:b:c/')",
    error:
      'URL parse error during conversion from string: parse "https://a:b:c/": invalid port ":b:c" after host',
  },
  {
    expr: "url('../relative-path')",
    error: 'URL parse error during conversion from string: parse "../relative-path": invalid URI for request',
  },
  { expr: "isURL('https://user:pass@example.com:80/path?query=val#fragment')", type: 'bool', value: true },
  { expr: "isURL('/absolute-path')", type: 'bool', value: true },
  { expr: "isURL('https://a:b:c/')", type: 'bool', value: false },
  { expr: "isURL('../relative-path')", type: 'bool', value: false },
  { expr: "isURL('')", type: 'bool', value: false },
  { expr: "url('')", error: 'URL parse error during conversion from string: parse "": empty url' },
  { expr: "url('https://example.com/').getScheme()", type: 'string', value: 'https' },
  { expr: "url('HTTPS://example.com/').getScheme()", type: 'string', value: 'https' },
  { expr: "url('https://example.com:80/').getHost()", type: 'string', value: 'example.com:80' },
  { expr: "url('https://example.com/').getHost()", type: 'string', value: 'example.com' },
  { expr: "url('https://[::1]:80/').getHost()", type: 'string', value: '[::1]:80' },
  { expr: "url('https://[::1]/').getHost()", type: 'string', value: '[::1]' },
  { expr: "url('https://[::1]:80/').getHostname()", type: 'string', value: '::1' },
  { expr: "url('https://127.0.0.1:80/').getHostname()", type: 'string', value: '127.0.0.1' },
  { expr: "url('https://example.com:80/').getPort()", type: 'string', value: '80' },
  { expr: "url('https://example.com/').getPort()", type: 'string', value: '' },
  { expr: "url('https://example.com/path').getEscapedPath()", type: 'string', value: '/path' },
  {
    expr: "url('https://example.com/path with spaces/').getEscapedPath()",
    type: 'string',
    value: '/path%20with%20spaces/',
  },
  { expr: "url('https://example.com').getEscapedPath()", type: 'string', value: '' },
  {
    expr: "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()",
    type: 'map',
    value: { k1: ['a'], k2: ['b', 'c'] },
  },
  {
    expr: "url('https://example.com/path?key with spaces=value with spaces').getQuery()",
    type: 'map',
    value: { 'key with spaces': ['value with spaces'] },
  },
  { expr: "url('https://example.com/path?').getQuery()", type: 'map', value: {} },
  { expr: "url('https://example.com/path').getQuery()", type: 'map', value: {} },
  { expr: "url('https://example.com/path?a=1;b=2&c=3').getQuery()", type: 'map', value: { c: ['3'] } },
  {
    expr: "url('https://example.com/path?a=%zz&b=%41+x&c').getQuery()",
    type: 'map',
    value: { b: ['A x'], c: [''] },
  },
  { expr: "url('https://example.com/a%2Fb%20c').getEscapedPath()", type: 'string', value: '/a%2Fb%20c' },
  { expr: "url('https://example.com/a%2fb').getEscapedPath()", type: 'string', value: '/a%2fb' },
  { expr: "url('https://example.com/caf%C3%A9').getEscapedPath()", type: 'string', value: '/caf%C3%A9' },
  { expr: "url('https://example.com/café').getEscapedPath()", type: 'string', value: '/caf%C3%A9' },
  {
    expr: "url('https://example.com/%zz')",
    error:
      'URL parse error during conversion from string: parse "https://example.com/%zz": invalid URL escape "%zz"',
  },
  {
    expr: "url('https://exa mple.com/')",
    error:
      'URL parse error during conversion from string: parse "https://exa mple.com/": invalid character " " in host name',
  },
  {
    expr: "url('https://example.com:abc/')",
    error:
      'URL parse error during conversion from string: parse "https://example.com:abc/": invalid port ":abc" after host',
  },
  {
    expr: "url('https://[::1/')",
    error: 'URL parse error during conversion from string: parse "https://[::1/": missing \']\' in host',
  },
  {
    expr: "url('https://[1.2.3.4]/')",
    error: 'URL parse error during conversion from string: parse "https://[1.2.3.4]/": invalid IP-literal',
  },
  {
    expr: "url('https://a[b]/')",
    error: 'URL parse error during conversion from string: parse "https://a[b]/": invalid IP-literal',
  },
  { expr: "url('https://[fe80::1%25en0]:8080/').getHost()", type: 'string', value: '[fe80::1%en0]:8080' },
  { expr: "url('https://[fe80::1%25en0]:8080/').getHostname()", type: 'string', value: 'fe80::1%en0' },
  {
    expr: "url('https://ex%41mple.com/')",
    error:
      'URL parse error during conversion from string: parse "https://ex%41mple.com/": invalid URL escape "%41"',
  },
  { expr: "url('https://ex%C3%A9mple.com/').getHost()", type: 'string', value: 'exémple.com' },
  {
    expr: "url('http://a:1:2/')",
    error:
      'URL parse error during conversion from string: parse "http://a:1:2/": invalid port ":1:2" after host',
  },
  { expr: "url('mongodb://a:1,b:2/').getHost()", type: 'string', value: 'a:1,b:2' },
  { expr: "url('mailto:someone@example.com').getScheme()", type: 'string', value: 'mailto' },
  { expr: "url('mailto:someone@example.com').getEscapedPath()", type: 'string', value: '' },
  { expr: "url('mailto:someone@example.com').getHost()", type: 'string', value: '' },
  { expr: "url('*').getEscapedPath()", type: 'string', value: '*' },
  {
    expr: "url(':foo')",
    error: 'URL parse error during conversion from string: parse ":foo": missing protocol scheme',
  },
  { expr: "url('http://u@ser:p@ss@example.com/').getHost()", type: 'string', value: 'example.com' },
  {
    expr: "url('http://us er@example.com/')",
    error:
      'URL parse error during conversion from string: parse "http://us er@example.com/": net/url: invalid userinfo',
  },
  {
    expr: "url('http://%zz@example.com/')",
    error:
      'URL parse error during conversion from string: parse "http://%zz@example.com/": invalid URL escape "%zz"',
  },
  { expr: "url('https://example.com:/').getPort()", type: 'string', value: '' },
  { expr: "url('https://example.com:/').getHostname()", type: 'string', value: 'example.com' },
  { expr: "url('https://example.com:8080').getPort()", type: 'string', value: '8080' },
  { expr: "url('http:///path').getHost()", type: 'string', value: '' },
  { expr: "url('http:///path').getEscapedPath()", type: 'string', value: '/path' },
  { expr: "url('//host/path')", type: 'kubernetes.URL', value: '//host/path' },
  { expr: "url('/path#frag').getEscapedPath()", type: 'string', value: '/path' },
  { expr: "url('/path?q=1#frag').getQuery()", type: 'map', value: { q: ['1'] } },
  {
    expr: "url('/p#%zz')",
    error: 'URL parse error during conversion from string: parse "/p#%zz": invalid URL escape "%zz"',
  },
  {
    expr: "url('https://example.com/?a=1&a=2&b').getQuery()",
    type: 'map',
    value: { a: ['1', '2'], b: [''] },
  },
  { expr: "url('https://example.com/?=x').getQuery()", type: 'map', value: { '': ['x'] } },
  { expr: "url('https://example.com/?a=b=c').getQuery()", type: 'map', value: { a: ['b=c'] } },
  { expr: "url('https://example.com/path?q').getQuery()", type: 'map', value: { q: [''] } },
  { expr: "url('https://example.com/a?b?c').getQuery()", type: 'map', value: { 'b?c': [''] } },
  { expr: "url('https://example.com/a?').getEscapedPath()", type: 'string', value: '/a' },
  {
    expr: "url('http://example.com/a\\tb')",
    error:
      'URL parse error during conversion from string: parse "http://example.com/a\\tb": net/url: invalid control character in URL',
  },
  { expr: "url('https://example.com') == url('https://example.com')", type: 'bool', value: true },
  { expr: "url('https://example.com') == url('https://example.com/')", type: 'bool', value: false },
  { expr: "url('https://EXAMPLE.com').getHost()", type: 'string', value: 'EXAMPLE.com' },
  { expr: "url('https://example.com/').getQuery().size()", type: 'int', value: '0' },
  { expr: "url('http://[::ffff:1.2.3.4]/').getHostname()", type: 'string', value: '::ffff:1.2.3.4' },
  {
    expr: "url('http://[::1%25]/')",
    error:
      'URL parse error during conversion from string: parse "http://[::1%25]/": invalid host: ParseAddr("::1%"): zone must be a non-empty string',
  },
  {
    expr: "url('http://[fe80::1%25%zz]/')",
    error:
      'URL parse error during conversion from string: parse "http://[fe80::1%25%zz]/": invalid URL escape "%zz"',
  },
  { expr: "url('http://[fe80::1%25a%20b]/').getHostname()", type: 'string', value: 'fe80::1%a b' },
  {
    expr: "url('http://[fe80::1%25a%0Ab]/')",
    error:
      'URL parse error during conversion from string: parse "http://[fe80::1%25a%0Ab]/": invalid URL escape "%0A"',
  },
  { expr: "url('http://example.com/%7e').getEscapedPath()", type: 'string', value: '/%7e' },
  { expr: "url('http://example.com/~').getEscapedPath()", type: 'string', value: '/~' },
  { expr: "url('http://example.com/a;b,c').getEscapedPath()", type: 'string', value: '/a;b,c' },
  { expr: "url('http://example.com/[x]').getEscapedPath()", type: 'string', value: '/[x]' },
  { expr: "url('http://example.com/a%5Bx%5D').getEscapedPath()", type: 'string', value: '/a%5Bx%5D' },
  { expr: "url('http://example.com/a?b').getEscapedPath()", type: 'string', value: '/a' },
];

describe('kubernetes url library', () => {
  const env = envWith(kubernetesUrlsLibrary);
  runTable(env, URL_CASES);

  it('keeps Go ParseRequestURI and Parse apart: a fragment never leaks into path or query', () => {
    const u = toUrl('https://example.com/p?q=1#frag');
    expect(urlEscapedPath(u.url)).toBe('/p');
    expect([...urlQueryMap(u)]).toEqual([['q', ['1']]]);
  });

  it('reassembles URLs as Go URL.String does (the identity == uses)', () => {
    expect(toUrl('HTTPS://user:p%40ss@Example.com:8080/a b?x=1#f g').toString()).toBe(
      'https://user:p%40ss@Example.com:8080/a%20b?x=1#f%20g',
    );
    expect(toUrl('//host/path').toString()).toBe('//host/path');
    expect(toUrl('http:///path').toString()).toBe('http:///path');
  });

  it('has kubernetes.URL as its CEL type', () => {
    expect(String(env.evaluate("type(url('https://example.com'))"))).toContain('kubernetes.URL');
  });
});
