import { describe, expect, it } from 'vitest';
import { classesForTest, pluralize, words } from '../../../src/schema/pluralize.js';

// Expected plurals are flect v1.0.3's (the library kro uses), including its oddities.
describe('pluralize (flect)', () => {
  it.each([
    ['application', 'applications'],
    ['webapp', 'webapps'],
    ['policy', 'policies'],
    ['clusterpolicy', 'clusterpolicies'],
    ['proxy', 'proxies'],
    ['gateway', 'gateways'],
    ['key', 'keys'],
    ['status', 'statuses'],
    ['ingress', 'ingresses'],
    ['address', 'addresses'],
    ['bus', 'buses'],
    ['box', 'boxes'],
    ['match', 'matches'],
    ['mesh', 'meshes'],
    ['quiz', 'quizzes'],
    ['hero', 'heroes'],
    ['photo', 'photos'],
    ['studio', 'studios'],
    ['leaf', 'leaves'],
    ['wolf', 'wolves'],
    ['knife', 'knives'],
    ['directive', 'directives'],
    ['analysis', 'analyses'],
    ['matrix', 'matrices'],
    ['index', 'indices'],
    ['vertex', 'vertices'],
    ['datum', 'data'],
    ['medium', 'media'],
    ['stadium', 'stadiums'],
    ['criterion', 'criteria'],
    ['person', 'people'],
    ['salesperson', 'salespeople'],
    ['child', 'children'],
    ['woman', 'women'],
    ['human', 'humans'],
    ['ox', 'oxen'],
    ['cactus', 'cacti'],
    ['octopus', 'octupuses'],
    ['alias', 'aliases'],
    ['base', 'bases'],
    ['database', 'databases'],
    ['deer', 'deer'],
    ['sheep', 'sheep'],
    ['series', 'series'],
    ['information', 'information'],
    ['equipment', 'equipment'],
    ['news', 'news'],
    ['people', 'people'],
    ['data', 'data'],
    ['s3bucket', 's3buckets'],
    ['vpc', 'vpcs'],
    ['aws', 'aws'],
    ['json', 'jsons'],
    ['api', 'apis'],
  ])('%s -> %s', (singular, plural) => {
    expect(pluralize(singular)).toBe(plural);
  });

  it('replaces the suffix of the last word only', () => {
    expect(pluralize('GoodChild')).toBe('GoodChildren');
    expect(pluralize('node_child')).toBe('node_children');
    expect(pluralize('SmartPerson')).toBe('SmartPeople');
    expect(pluralize('funky jeans')).toBe('funky jeans');
  });

  it('upper-cases known acronyms, which breaks lowercase kinds ending in one with S', () => {
    expect(words('dns')).toEqual(['DNS']);
    expect(pluralize('DNS')).toBe('DNSes');
    // The acronym no longer matches the lowercase original, so flect appends instead of replacing.
    expect(pluralize('dns')).toBe('dnsDNSes');
    expect(pluralize('ssh')).toBe('sshs');
    expect(pluralize('LAN')).toBe('LANs');
  });

  it('reads a lower-case string of letters and digits as one word, as the general split does', () => {
    // A trailing separator sends the same word through the character loop.
    const samples = ['webapp', 'dns', 'api', 'k8scluster2', 'a', '7', 'sqlinstance', 'http', 'utf8', 'pod'];
    const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (let i = 0; i < 400; i++) {
      let w = '';
      for (let n = 1 + (i % 9); n > 0; n--) w += letters[(i * 7 + n * 13 + w.length * 5) % letters.length];
      samples.push(w);
    }
    for (const w of samples) expect(words(w), w).toEqual(words(`${w}_`));
    expect(words('webapp')).toEqual(['webapp']);
    expect(words('dns')).toEqual(['DNS']);
    expect(pluralize('k8scluster2')).toBe('k8scluster2s');
  });

  it('splits words at separators and case changes', () => {
    expect(words('WebApp')).toEqual(['Web', 'App']);
    expect(words('my-web_app')).toEqual(['my', 'web', 'app']);
    expect(words('HTMLPage')).toEqual(['HTML', 'Page']);
    expect(pluralize('')).toBe('');
  });
});

// pluralize.ts answers ASCII characters from tables instead of Unicode property regexes (which are
// slow to compile); the tables must say what the regexes say for every ASCII character.
describe('pluralize character classes', () => {
  const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));
  const { isSeparator, isUpper, isWordChar, trimSpace } = classesForTest;

  it('agree with Unicode White_Space, Lu, and L|Nd|P|` on ASCII', () => {
    for (const c of ascii) {
      expect([c, isSeparator(c)]).toEqual([c, /^[_ :\-/]$/.test(c) || /^\p{White_Space}$/u.test(c)]);
      expect([c, isUpper(c)]).toEqual([c, /^\p{Lu}$/u.test(c)]);
      expect([c, isWordChar(c)]).toEqual([c, /^[\p{L}\p{Nd}\p{P}`]$/u.test(c)]);
    }
    // Outside ASCII the regexes answer.
    expect(isUpper('\u00c9')).toBe(true);
    expect(isWordChar('\u00e9')).toBe(true);
    expect(isWordChar('\u00a9')).toBe(false);
    expect(isSeparator('\u00a0')).toBe(true);
  });

  it('trims Unicode white space around a word', () => {
    for (const c of ascii)
      expect(trimSpace(`${c}x${c}`)).toBe(`${c}x${c}`.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, ''));
    expect(trimSpace('\u00a0web app\u2003')).toBe('web app');
  });
});
