// createRequire, with node:module loaded on first use: loading it also loads Node's ES module loader
// (about 0.3 ms), and the commands that import this need it only for rare paths (an optional peer, a
// tsconfig that extends a package).
export function requireFrom(file: string): NodeJS.Require {
  return process.getBuiltinModule('node:module').createRequire(file);
}
