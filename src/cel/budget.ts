// The evaluation budget: kro-gen's counterpart of Kubernetes' per-expression CEL cost limit.
//
// Mechanism (runtime only, no wall clock, no static estimate):
// - every comprehension iteration (all/exists/existsOne/map/filter/transform*/sortBy/...) costs
//   one unit, and every call of a library function that builds a list, map or string costs one
//   unit plus the size of what it builds: one unit per list element or map entry and one unit per
//   `STRING_COST_DIVISOR` characters or bytes (Kubernetes charges string traversal at 0.1 per
//   character). Functions charge *before* they allocate, so `lists.range(100000000)` fails
//   without building the list;
// - the total of one evaluation must stay within `maxCost` (Kubernetes' default per-expression
//   limit is 1,000,000);
// - independently of the running total, a single string may not exceed `maxStringLength`
//   characters and a single list or map `maxListLength` elements. These checks need no state, so
//   they also hold when the underlying library is used without `runWithBudget`.
//
// Evaluation is synchronous (kro-gen registers no async functions), so the active budget is a
// module-level slot that `runWithBudget` sets and restores; nesting is allowed.

export interface BudgetLimits {
  /** Maximum total cost units of one evaluation. */
  readonly maxCost: number;
  /** Maximum length of any single string (UTF-16 code units) or bytes value produced. */
  readonly maxStringLength: number;
  /** Maximum number of elements of any single list or map produced. */
  readonly maxListLength: number;
}

export const DEFAULT_BUDGET: BudgetLimits = Object.freeze({
  maxCost: 1_000_000,
  maxStringLength: 4 * 1024 * 1024,
  maxListLength: 500_000,
});

/** Characters per cost unit when a function produces or scans a string. */
export const STRING_COST_DIVISOR = 10;

export type BudgetLimitName = keyof BudgetLimits;

export class BudgetExceededError extends Error {
  readonly limit: BudgetLimitName;
  readonly maximum: number;
  constructor(limit: BudgetLimitName, maximum: number, detail: string) {
    super(`CEL evaluation budget exceeded: ${detail} (limit ${limit} = ${maximum})`);
    this.name = 'BudgetExceededError';
    this.limit = limit;
    this.maximum = maximum;
  }
}

class ActiveBudget {
  spent = 0;
  constructor(readonly limits: BudgetLimits) {}
}

let active: ActiveBudget | undefined;
// Size limits that apply even when no budget is active.
let sizeLimits: BudgetLimits = DEFAULT_BUDGET;

export function resolveBudget(overrides?: Partial<BudgetLimits>): BudgetLimits {
  if (!overrides) return DEFAULT_BUDGET;
  const merged = { ...DEFAULT_BUDGET, ...overrides };
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !(value > 0)) {
      throw new RangeError(`budget.${key} must be a positive number, got ${String(value)}`);
    }
  }
  return Object.freeze(merged);
}

/** Runs `fn` (one evaluation) under `limits`; budgets nest, the inner one counts separately. */
export function runWithBudget<T>(limits: BudgetLimits, fn: () => T): T {
  const outer = active;
  const outerSizes = sizeLimits;
  active = new ActiveBudget(limits);
  sizeLimits = limits;
  try {
    return fn();
  } finally {
    active = outer;
    sizeLimits = outerSizes;
  }
}

/** Adds `units` to the running total of the active evaluation, if any. */
export function charge(units: number): void {
  const b = active;
  if (b === undefined) return;
  b.spent += units;
  if (b.spent > b.limits.maxCost) {
    throw new BudgetExceededError(
      'maxCost',
      b.limits.maxCost,
      `expression cost exceeds ${b.limits.maxCost} units`,
    );
  }
}

/** Cost units spent so far by the active evaluation (0 when none is active). */
export function spent(): number {
  return active?.spent ?? 0;
}

/** Charges for a string (or bytes) of `length` about to be produced, and checks its size. */
export function chargeString(length: number): void {
  if (length > sizeLimits.maxStringLength) {
    throw new BudgetExceededError(
      'maxStringLength',
      sizeLimits.maxStringLength,
      `a string of ${length} characters would be produced`,
    );
  }
  charge(1 + Math.ceil(length / STRING_COST_DIVISOR));
}

/** Charges for a list or map of `length` elements about to be produced, and checks its size. */
export function chargeList(length: number): void {
  if (length > sizeLimits.maxListLength) {
    throw new BudgetExceededError(
      'maxListLength',
      sizeLimits.maxListLength,
      `a list of ${length} elements would be produced`,
    );
  }
  charge(1 + length);
}

/** Charges one comprehension iteration. */
export function chargeIteration(): void {
  const b = active;
  if (b === undefined) return;
  if (++b.spent > b.limits.maxCost) charge(0);
}
