// One line per command, as `kro-gen --help` lists them. They live apart from the command modules
// so the list can be printed without importing any command (see index.ts).
export const SUMMARIES = {
  crd: 'print the CRD kro generates for each RGD',
  validate: 'check RGDs as kro would, offline: schema, graph and CEL types',
  diff: "what an RGD change will do: kro's CRD verdict, graph changes, instance plans",
  graph: 'draw the resource graph of an RGD (DOT, Mermaid, SVG or HTML)',
  synth: 'render instances into ordered, annotated manifests, or the controller bundle',
  krm: 'run as a KRM function (kpt, kustomize): a ResourceList in, rendered objects out',
  generate: 'generate typed cdk8s constructs for RGDs',
  schema: 'print JSON Schemas of RGD and instance files, for YAML editors',
  init: 'create a cdk8s TypeScript app wired to kro-gen, or add kro-gen to one (--into)',
  lsp: 'serve the Language Server Protocol to editors (diagnostics, hover, completion, ...)',
} as const;
