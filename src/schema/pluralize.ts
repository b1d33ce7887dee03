// English pluralization as kro does it for CRD names: kro calls gobuffalo/flect v1.0.3's `Pluralize` on
// the lowercased kind. Reimplemented from flect's behaviour (its word list, suffix rules, and the way
// it splits a string into words and recognises acronyms), including its quirks, because the plural
// is the CRD's name and must be identical to the one kro installs.

import { goTrimSpace, isGoSpace } from './gostrconv.js';

// Irregular words, `singular plural [alternative] [flag]`; `-` for "no plural" (uncountable).
// Flags (one letter, at most one): u = one-way (the plural does not map back), x = exact word only
// (no suffix rule), c = uncountable.
const WORDS = `
aircraft aircraft|beef beef beefs|bison bison|blues blues u|chassis chassis|deer deer|fish fish fishes
moose moose|police police|salmon salmon salmons|series series|sheep sheep|shrimp shrimp shrimps
species species|swine swine swines|trout trout trouts|tuna tuna tunas|you you
child children|ox oxen x|foot feet|goose geese|man men|human humans|louse lice x|mouse mice|tooth teeth
woman women|die dice x|person people
adieu adieux adieus|fabliau fabliaux|bureau bureaus bureaux
criterion criteria|ganglion ganglia ganglions|lexicon lexica lexicons|mitochondrion mitochondria mitochondrions
noumenon noumena|phenomenon phenomena|taxon taxa
media media|medium media mediums u|stadium stadiums stadia|aquarium aquaria aquariums
auditorium auditoria auditoriums|symposium symposia symposiums|curriculum curriculums curricula|quota quotas
alumnus alumni alumnuses|bacillus bacilli|cactus cacti cactuses|coccus cocci|focus foci focuses
locus loci locuses|nucleus nuclei nucleuses|octopus octupuses octopi|radius radii radiuses|syllabus syllabi
corpus corpora corpuses|genus genera
alumna alumnae|vertebra vertebrae|differentia differentiae|minutia minutiae|vita vitae|larva larvae
postcava postcavae|praecava praecavae|uva uvae
apex apices apexes|codex codices codexes|index indices indexes|latex latices latexes|vertex vertices vertexes
vortex vortices vortexes
appendix appendices appendixes|radix radices radixes|helix helices helixes
axis axes x|crisis crises|ellipsis ellipses u|genesis geneses|oasis oases|thesis theses|testis testes
base bases|basis bases u
alias aliases x|vedalia vedalias
use uses x|abuse abuses|cause causes|clause clauses|cruse cruses|excuse excuses|fuse fuses|house houses
misuse misuses|muse muses|pause pauses|ache aches|topaz topazes|buffalo buffaloes buffalos|potato potatoes
tomato tomatoes
equipment - c|information - c|jeans - c|money - c|news - c|rice - c
dwarf dwarfs dwarves|hoof hoofs hooves|thief thieves|chive chives|hive hives|move moves
movie movies|cookie cookies
pretorium pretoriums|agenda agendas
formula formulas formulae
shoe shoes|toe toes x|graffiti graffiti
ID IDs x
`;

// Suffix rules in priority order, `singular>plural`.
const SUFFIXES = `
tive>tives eaf>eaves oaf>oaves afe>aves arf>arves rfe>rves rf>rves lf>lves fe>ves
ay>ays ey>eys oy>oys quy>quies uy>uys y>ies
eau>eaux
bula>bulae dula>bulae lula>bulae nula>bulae vula>bulae
hedron>hedra
ium>ia seum>seums eum>ea oum>oa stracum>straca dum>da elum>ela ilum>ila olum>ola ulum>ula llum>lla
ylum>yla imum>ima ernum>erna gnum>gna brum>bra crum>cra terum>tera serum>sera trum>tra antum>anta
atum>ata entum>enta etum>eta itum>ita otum>ota utum>uta ctum>cta ovum>ova
trix>trices
iasis>iases mesis>meses kinesis>kineses resis>reses gnosis>gnoses opsis>opses ysis>yses
ouse>ouses lause>lauses us>uses
ch>ches io>ios sh>shes ss>sses ez>ezzes iz>izzes tz>tzes zz>zzes ano>anos lo>los to>tos oo>oos o>oes x>xes
S>Ses
`;

// Upper-case words flect treats as acronyms (a word equal to one, in any case, is upper-cased).
const ACRONYMS = new Set(
  `OK UTF8 HTML JSON JWT ID UUID SQL ACK ACL ADSL AES ANSI API ARP ATM BGP BSS CCITT CHAP CIDR CIR CLI CPE
CPU CRC CRT CSMA CMOS DCE DEC DES DHCP DNS DRAM DSL DSLAM DTE DMI EHA EIA EIGRP EOF ESS FCC FCS FDDI FTP
GBIC GEPOF HDLC HTTP HTTPS IANA ICMP IDF IDS IEEE IETF IMAP IP IPS ISDN ISP LACP LAN LAPB LAPF LLC MAC MC
MDF MIB MPLS MTU NAC NAT NBMA NIC NRZ NRZI NVRAM OSI OSPF OUI PAP PAT PC PIM PCM PDU POP3 POTS PPP PPTP PTT
PVST RAM RARP RFC RIP RLL ROM RSTP RTP RCP SDLC SFD SFP SLARP SLIP SMTP SNA SNAP SNMP SOF SRAM SSH SSID STP
SYN TDM TFTP TIA TOFU UDP URL URI USB UTP VC VLAN VLSM VPN W3C WAN WEP WPA WWW`
    .replaceAll('\n', ' ')
    .split(' '),
);

interface Rule {
  readonly suffix: string;
  /** Undefined: the word already looks plural and is kept. */
  readonly replacement?: string;
}

const singleToPlural = new Map<string, string>();
const pluralToSingle = new Map<string, string>();
// The rules by the last character of their suffix, in priority order: a word is tried against the
// few that can match it instead of all of them (a few hundred).
const rulesByLastChar = new Map<string, Rule[]>();

function addRule(rule: Rule): void {
  const c = rule.suffix.at(-1) as string;
  const bucket = rulesByLastChar.get(c);
  if (bucket) bucket.push(rule);
  else rulesByLastChar.set(c, [rule]);
}

let tablesBuilt = false;

// Built on first use (a command may load this module and never pluralize), with plain loops over
// the texts above: these few hundred steps run once, in V8's interpreter. The texts are split at
// strings, not regexes: compiling one costs more than the splitting (about 0.05 ms each).
function buildTables(): void {
  tablesBuilt = true;
  const entries = WORDS.replaceAll('\n', '|').split('|');
  // Indexed loops: cold code (docs/architecture.md).
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as string;
    if (entry === '') continue;
    const parts = entry.split(' ');
    const singular = parts[0] as string;
    const plural = parts[1] === '-' ? singular : (parts[1] as string);
    singleToPlural.set(singular, plural);
    // After the plural: an alternative plural, a one-letter flag, or both.
    if (parts[2] === 'u' || parts[3] === 'u') continue;
    pluralToSingle.set(plural, singular);
    if (parts.length > 2 && (parts[2] as string).length > 1) pluralToSingle.set(parts[2] as string, singular);
  }
  // Word rules (later words first) take priority over the suffix rules; each rule pair checks
  // "already plural" before "singular to plural".
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as string;
    if (entry === '') continue;
    const parts = entry.split(' ');
    if (parts[2] === 'x' || parts[3] === 'x') continue;
    const singular = parts[0] as string;
    const plural = parts[1] === '-' ? singular : (parts[1] as string);
    addRule({ suffix: plural });
    addRule({ suffix: singular, replacement: plural });
  }
  const pairs = SUFFIXES.replaceAll('\n', ' ').split(' ');
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as string;
    if (pair === '') continue;
    const gt = pair.indexOf('>');
    const plural = pair.slice(gt + 1);
    addRule({ suffix: plural });
    addRule({ suffix: pair.slice(0, gt), replacement: plural });
  }
}

const SEPARATORS = new Set(['_', ' ', ':', '-', '/']);
// The character classes flect asks Go's unicode package about. ASCII characters (every kind kro
// accepts) are answered from tables: a Unicode property regex costs milliseconds to compile the
// first time a process uses it, more than the rest of a CRD's checks. The regexes stay for the
// rest; test/unit/schema/pluralize.test.ts checks the tables against them for all of ASCII.
// Unicode's punctuation (P) among ASCII; `$+<=>^`|~` are symbols (S).
const ASCII_PUNCTUATION = '!"#%&\'()*,-./:;?@[\\]_{}';
const isAscii = (c: string) => c.length === 1 && c.charCodeAt(0) < 0x80;
const isAsciiAlnum = (c: string) =>
  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
// flect's white space is Go's unicode.IsSpace, and its trimming strings.TrimSpace (gostrconv.ts).
const isSeparator = (c: string) => SEPARATORS.has(c) || isGoSpace(c);
const isUpper = (c: string) => (isAscii(c) ? c >= 'A' && c <= 'Z' : /^\p{Lu}$/u.test(c));
const isWordChar = (c: string) =>
  isAscii(c)
    ? isAsciiAlnum(c) || c === '`' || ASCII_PUNCTUATION.includes(c)
    : /^[\p{L}\p{Nd}\p{P}`]$/u.test(c);

function isLowerAlnum(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}

/** The ASCII tables above and the regexes they stand for (for the tests). */
export const classesForTest = { isSeparator, isUpper, isWordChar, trimSpace: goTrimSpace };

/** flect's split of a string into words: at separators and at lower-to-upper case changes. */
export function words(input: string): string[] {
  const s = goTrimSpace(input);
  if (s === '') return [];
  if (ACRONYMS.has(s.toUpperCase())) return [s.toUpperCase()];
  // Lower-case letters and digits only (a kind lower-cased, as kro pluralizes it): one word, as
  // the loop below would find it, without a call per character.
  if (isLowerAlnum(s)) return [s];
  const parts: string[] = [];
  const push = (w: string) => {
    let t = goTrimSpace(w);
    for (const sep of SEPARATORS) {
      while (t.startsWith(sep)) t = t.slice(sep.length);
      while (t.endsWith(sep)) t = t.slice(0, -sep.length);
    }
    if (ACRONYMS.has(t.toUpperCase())) t = t.toUpperCase();
    if (t !== '') parts.push(t);
  };
  let prev = '';
  let word = '';
  for (const c of s) {
    if (isSeparator(c) || (isUpper(c) && (!isUpper(prev) || ACRONYMS.has(word.toUpperCase())))) {
      push(word);
      word = c;
    } else if (isWordChar(c)) {
      word += c;
    } else {
      push(word);
      word = '';
    }
    prev = c;
  }
  push(word);
  return parts;
}

function capitalize(s: string): string {
  const first = s.codePointAt(0);
  if (first === undefined) return s;
  const ch = String.fromCodePoint(first);
  return ch.toUpperCase() + s.slice(ch.length);
}

/** The plural of `s` exactly as flect v1.0.3's `Pluralize` gives it. */
export function pluralize(s: string): string {
  if (!tablesBuilt) buildTables();
  const last = words(s).at(-1);
  if (last === undefined) return '';
  // flect replaces the last word's suffix in the original string; when the word was upper-cased as an
  // acronym the suffix no longer matches and the replacement is appended instead.
  const replaceSuffix = (old: string, replacement: string) =>
    (s.endsWith(old) ? s.slice(0, s.length - old.length) : s) + replacement;
  const exact = singleToPlural.get(s);
  if (exact !== undefined) return exact;
  if (pluralToSingle.has(s)) return s;
  const lower = last.toLowerCase();
  if (pluralToSingle.has(lower)) return s;
  const irregular = singleToPlural.get(lower);
  if (irregular !== undefined) {
    return replaceSuffix(last, last === capitalize(last) ? capitalize(irregular) : irregular);
  }
  // Indexed (cold code, see buildTables).
  const rules = rulesByLastChar.get(last.at(-1) as string) ?? [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as (typeof rules)[number];
    if (!last.endsWith(r.suffix)) continue;
    if (r.replacement === undefined) return replaceSuffix(last, last);
    return replaceSuffix(last, last.slice(0, last.length - r.suffix.length) + r.replacement);
  }
  if (lower.endsWith('s')) return s;
  return `${s}s`;
}
