// The expression tree the cost estimate walks, shaped as cel-go's checked AST: macros expanded
// into comprehensions (with cel-go's accumulator, loop condition and step), operators as calls
// carrying cel-go's overload ids, and every node typed. Built from @marcbachmann/cel-js's parsed
// and type-checked AST (`fromLibraryAst`), whose types the checker left on each node.

/** The types the estimate tells apart. */
export type CostType =
  | {
      readonly kind:
        | 'bool'
        | 'int'
        | 'uint'
        | 'double'
        | 'string'
        | 'bytes'
        | 'null'
        | 'timestamp'
        | 'duration'
        | 'dyn'
        | 'param'
        | 'type';
    }
  | { readonly kind: 'list'; readonly elem: CostType }
  | { readonly kind: 'map'; readonly key: CostType; readonly value: CostType }
  | { readonly kind: 'optional'; readonly inner: CostType }
  /** Objects of the schema, and the Kubernetes library's types (Quantity, IP, URL, ...) by name. */
  | { readonly kind: 'struct'; readonly name: string };

interface Base {
  readonly id: number;
  readonly type: CostType;
}

export type CostExpr =
  | (Base & { readonly kind: 'literal'; readonly size: bigint | undefined; readonly value: unknown })
  | (Base & { readonly kind: 'ident'; readonly name: string })
  | (Base & {
      readonly kind: 'select';
      readonly operand: CostExpr;
      readonly field: string;
      readonly testOnly: boolean;
    })
  | (Base & {
      readonly kind: 'call';
      readonly fn: string;
      readonly target: CostExpr | undefined;
      readonly args: readonly CostExpr[];
      /** cel-go's overload ids the checker keeps for this call (several when operands are dyn). */
      readonly overloads: readonly string[];
    })
  | (Base & { readonly kind: 'list'; readonly elements: readonly CostExpr[] })
  | (Base & { readonly kind: 'map'; readonly entries: readonly (readonly [CostExpr, CostExpr])[] })
  | (Base & {
      readonly kind: 'comprehension';
      readonly range: CostExpr;
      readonly iterVar: string;
      readonly iterVar2: string | undefined;
      readonly accuVar: string;
      readonly accuInit: CostExpr;
      readonly loopCondition: CostExpr;
      readonly loopStep: CostExpr;
      readonly result: CostExpr;
      /** `cel.bind`: no iterations, the value bound as the accumulator. */
      readonly bind: boolean;
    });

export const T = {
  bool: { kind: 'bool' },
  int: { kind: 'int' },
  string: { kind: 'string' },
  dyn: { kind: 'dyn' },
} as const satisfies Record<string, CostType>;
