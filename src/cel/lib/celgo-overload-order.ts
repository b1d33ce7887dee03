// cel-go's declaration order of the overloads whose order in kro-gen's registry differs, where a
// free type parameter makes it matter: cel-go's checker binds the parameter to the first overload
// it unifies with (`optional.none().value() + duration("1s")` is a duration: add_duration_duration
// comes before add_timestamp_duration). Read from kro v0.9.3's environment
// (FunctionDecl.OverloadDecls); each entry lists the parameter types, receiver first, `_` for a
// type parameter. Keys: an operator, or `call:name` / `rcall:name` with the argument count.

const ORDERING = [
  'bool,bool',
  'int,int',
  'int,double',
  'int,uint',
  'uint,uint',
  'uint,double',
  'uint,int',
  'double,double',
  'double,int',
  'double,uint',
  'string,string',
  'bytes,bytes',
  'google.protobuf.Timestamp,google.protobuf.Timestamp',
  'google.protobuf.Duration,google.protobuf.Duration',
];
const ARITHMETIC = ['double,double', 'int,int', 'uint,uint'];
const TIME_GETTER = ['google.protobuf.Timestamp', 'google.protobuf.Duration'];

const ORDER: Readonly<Record<string, readonly string[]>> = {
  '+': [
    'bytes,bytes',
    'double,double',
    'google.protobuf.Duration,google.protobuf.Duration',
    'google.protobuf.Duration,google.protobuf.Timestamp',
    'google.protobuf.Timestamp,google.protobuf.Duration',
    'int,int',
    'list<_>,list<_>',
    'string,string',
    'uint,uint',
  ],
  '-': [
    'double,double',
    'google.protobuf.Duration,google.protobuf.Duration',
    'int,int',
    'google.protobuf.Timestamp,google.protobuf.Duration',
    'google.protobuf.Timestamp,google.protobuf.Timestamp',
    'uint,uint',
  ],
  '*': ARITHMETIC,
  '/': ARITHMETIC,
  '<': ORDERING,
  '<=': ORDERING,
  '>': ORDERING,
  '>=': ORDERING,
  'call:bytes:1': ['bytes', 'string'],
  'call:double:1': ['double', 'int', 'string', 'uint'],
  'call:int:1': ['int', 'double', 'google.protobuf.Duration', 'string', 'google.protobuf.Timestamp', 'uint'],
  'call:uint:1': ['uint', 'double', 'int', 'string'],
  'call:timestamp:1': ['google.protobuf.Timestamp', 'int', 'string'],
  'call:size:1': ['bytes', 'list<dyn>', 'map<dyn, dyn>', 'string'],
  'rcall:size:0': ['bytes', 'list<dyn>', 'map<dyn, dyn>', 'string'],
  'call:string:1': [
    'string',
    'bool',
    'bytes',
    'double',
    'google.protobuf.Duration',
    'int',
    'google.protobuf.Timestamp',
    'uint',
    'net.IP',
    'net.CIDR',
  ],
  'rcall:reverse:0': ['list<_>', 'string'],
  'rcall:containsCIDR:1': ['net.CIDR,string', 'net.CIDR,net.CIDR'],
  'rcall:containsIP:1': ['net.CIDR,string', 'net.CIDR,net.IP'],
  'rcall:getHours:0': TIME_GETTER,
  'rcall:getMinutes:0': TIME_GETTER,
  'rcall:getSeconds:0': TIME_GETTER,
  'rcall:getMilliseconds:0': TIME_GETTER,
};

/** The key of a declaration's parameter types in ORDER. */
export function signatureKey(params: readonly { toString(): string }[]): string {
  return params.map((p) => String(p).replace(/\b[A-Z]\b/g, '_')).join(',');
}

/** `items` in cel-go's order for `key`, when it differs from the registry's. */
export function inCelGoOrder<T>(
  key: string,
  items: readonly T[],
  params: (item: T) => readonly object[],
): T[] {
  const order = ORDER[key];
  if (!order) return [...items];
  const rank = (item: T): number => {
    const i = order.indexOf(signatureKey(params(item)));
    return i < 0 ? order.length : i;
  };
  return [...items].sort((a, b) => rank(a) - rank(b));
}
