// kro's CRD compatibility tests (pkg/graph/crd/compat: schema_test.go, compat_test.go), all of
// crd-compat.json. Each suite's loop body is restated here as the Go test runs it: which checker it
// calls, how it builds the two schemas from a row, what it asserts.
import { describe, expect } from 'vitest';
import {
  type CompatReport,
  type CrdVersion,
  compareArrayItems,
  compareEnumValues,
  compareProperties,
  compareRequiredFields,
  compareSchemas,
  compareVersions,
  type SchemaProps,
} from '../../src/diff/crd-compat.js';
import { loadKroJson, runCases } from '../helpers/conformance.js';

type Row = Record<string, unknown>;
interface CompatCase {
  id: string;
  suite: string;
  name: string;
  row: Row;
}

const data = loadKroJson<{ cases: CompatCase[] }>('crd-compat.json');

const schema = (v: unknown) => (v === null || v === undefined ? undefined : (v as SchemaProps));
const count = (v: unknown) => (typeof v === 'number' ? v : 0);

function objectSchemas(row: Row): [SchemaProps, SchemaProps] {
  const make = (p: unknown, r: unknown): SchemaProps => ({
    type: 'object',
    ...(p ? { properties: p } : {}),
    ...(r ? { required: r } : {}),
  });
  return [make(row['oldProps'], row['oldRequired']), make(row['newProps'], row['newRequired'])];
}

function run(c: CompatCase): CompatReport | { error: string } {
  const row = c.row;
  const report: CompatReport = { breaking: [], nonBreaking: [] };
  switch (c.suite) {
    case 'TestCompareSchemas':
    case 'TestCompareConstraints':
      return compareSchemas(schema(row['oldSchema']), schema(row['newSchema']));
    case 'TestCompareProperties': {
      const [o, n] = objectSchemas(row);
      compareProperties('root', o, n, report);
      return report;
    }
    case 'TestCompareRequiredFields': {
      const [o, n] = objectSchemas(row);
      compareRequiredFields('root', o, n, report);
      return report;
    }
    case 'TestCompareEnumValues':
      compareEnumValues(
        'root',
        { type: 'string', enum: row['oldEnum'] },
        { type: 'string', enum: row['newEnum'] },
        report,
      );
      return report;
    case 'TestCompareArrayItems': {
      const items = (v: unknown) => (v ? { items: v } : {});
      compareArrayItems(
        'root',
        { type: 'array', ...items(row['oldItems']) },
        { type: 'array', ...items(row['newItems']) },
        report,
      );
      return report;
    }
    case 'TestCompareVersions': {
      const r = compareVersions(row['oldVersions'] as CrdVersion[], row['newVersions'] as CrdVersion[]);
      return 'error' in r ? r : r.report;
    }
  }
  throw new Error(`unknown suite ${c.suite}`);
}

describe('kro CRD compatibility tables (crd-compat.json)', () => {
  runCases('crd-compat.json', data.cases, (c) => {
    const row = c.row;
    const result = run(c);
    if (row['expectError'] === true) {
      expect(result).toHaveProperty('error');
      if (typeof row['errorMessage'] === 'string')
        expect((result as { error: string }).error).toContain(row['errorMessage']);
      return;
    }
    if ('error' in result) throw new Error(`unexpected error: ${result.error}`);
    const breaking = ['TestCompareEnumValues', 'TestCompareArrayItems', 'TestCompareVersions'].includes(
      c.suite,
    )
      ? row['expectBreaking'] === true
      : count(row['breakingCount']) > 0;
    const typeKey = 'expectedChangeType' in row ? 'expectedChangeType' : 'checkBreakingType';
    if (breaking) {
      expect(result.breaking).toHaveLength(count(row['breakingCount']));
      if (typeof row[typeKey] === 'string' && result.breaking.length > 0) {
        expect(result.breaking[0]?.type).toBe(row[typeKey]);
      }
    } else {
      expect(result.breaking).toEqual([]);
    }
    if (count(row['nonBreakingCount']) > 0)
      expect(result.nonBreaking).toHaveLength(count(row['nonBreakingCount']));
  });
});
