// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// RGD texts for the diff tests, loaded with positions as the CLI loads them.
import { compareRgds } from '../../../src/diff/compare-sets.js';
import type { DiffReport } from '../../../src/diff/report.js';
import { loadRgds } from '../../../src/rgd/load.js';
import type { Rgd } from '../../../src/rgd/model.js';

export function load(text: string, file: string): Rgd[] {
  const loaded = loadRgds([{ path: file, text }]);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('\n'));
  return loaded.rgds;
}

/** The report for one RGD changed from `before` to `after`. */
export function diffTexts(before: string, after: string): DiffReport {
  const { output, diagnostics } = compareRgds(load(before, 'old.yaml'), load(after, 'new.yaml'));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('\n'));
  if (output.rgds.length !== 1) throw new Error(`expected one RGD, got ${output.rgds.length}`);
  return output.rgds[0] as DiffReport;
}

/** A small web app RGD; `edit` rewrites its text. */
export const WEB_APP = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: web-app
spec:
  schema:
    apiVersion: v1alpha1
    kind: Application
    spec:
      name: string
      replicas: integer | default=1 minimum=0
      svcType: string | default="ClusterIP" enum="ClusterIP,NodePort"
      ports: "[]Port"
    types:
      Port:
        name: string
        port: integer
    status:
      available: \${deployment.status.availableReplicas}
  resources:
    - id: deployment
      readyWhen:
        - \${deployment.status.availableReplicas == deployment.spec.replicas}
      template:
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \${schema.spec.name}
        spec:
          replicas: \${schema.spec.replicas}
          selector:
            matchLabels:
              app: \${schema.spec.name}
          template:
            metadata:
              labels:
                app: \${schema.spec.name}
            spec:
              containers:
                - name: app
                  image: nginx
    - id: service
      template:
        apiVersion: v1
        kind: Service
        metadata:
          name: \${schema.spec.name}
        spec:
          type: \${schema.spec.svcType}
          selector: \${deployment.spec.selector.matchLabels}
          ports:
            - port: 80
`;

/** WEB_APP with one replacement, which must apply. */
export function edit(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`edit did not apply: ${String(from)}`);
  return out;
}

/** `text` with the spec field svcType removed (and the Service's type no longer read from it). */
export const dropSvcType = (text: string) =>
  edit(edit(text, /\n {6}svcType: [^\n]*/, ''), 'type: ${schema.spec.svcType}', 'type: ClusterIP');

/** The one CRD change of `dropSvcType(WEB_APP)`, as the JSON report has it. */
export const SVC_TYPE_REMOVED = {
  path: '.properties.spec.properties.svcType',
  field: 'spec.svcType',
  type: 'PROPERTY_REMOVED',
  breaking: true,
  allowed: false,
  message: 'Property svcType was removed',
  pos: { file: 'new.yaml', line: 9, col: 5 },
};
