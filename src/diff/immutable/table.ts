// Fields of built-in kinds the API server refuses to change on update, as data. Each entry names
// the validation function of Kubernetes v1.36.3 (k8s.io/kubernetes, the version the e2e cluster
// runs) that refuses the change; `src/diff/immutable/check.ts` applies the table to a field diff.
//
// Paths are dotted from the object's root; `[*]` matches any list index. A rule is one of:
//   field       any change at or below `path` is refused;
//   spec-except any change below `path` is refused, except at or below one of `mutable`.
// `when` limits a rule to old objects where a field has a value (ConfigMap data once `immutable`),
// `unless` lifts it when a field of the old object has one (a suspended Job's template).
// `keptWhenRemoved`: the server keeps the old value when the update omits the field (a Service's
// clusterIP is copied over from the stored object), so only a different value is a change.

export interface FieldCondition {
  readonly path: string;
  readonly equals: unknown;
}

export interface ImmutableRule {
  /** API group ('' for the core group). */
  readonly group: string;
  readonly kinds: readonly string[];
  readonly rule: 'field' | 'spec-except';
  readonly path: string;
  readonly mutable?: readonly string[];
  readonly when?: FieldCondition;
  readonly unless?: FieldCondition;
  readonly keptWhenRemoved?: boolean;
  /** Where Kubernetes refuses the change (file in k8s.io/kubernetes v1.36.3, function). */
  readonly source: string;
}

const APPS = 'pkg/apis/apps/validation/validation.go';
const BATCH = 'pkg/apis/batch/validation/validation.go';
const CORE = 'pkg/apis/core/validation/validation.go';

export const IMMUTABLE_FIELDS: readonly ImmutableRule[] = [
  {
    group: 'apps',
    kinds: ['Deployment'],
    rule: 'field',
    path: 'spec.selector',
    source: `${APPS} ValidateDeploymentUpdate`,
  },
  {
    group: 'apps',
    kinds: ['ReplicaSet'],
    rule: 'field',
    path: 'spec.selector',
    source: `${APPS} ValidateReplicaSetUpdate`,
  },
  {
    group: 'apps',
    kinds: ['DaemonSet'],
    rule: 'field',
    path: 'spec.selector',
    source: `${APPS} ValidateDaemonSetSpecUpdate`,
  },
  {
    // Everything of a StatefulSet's spec but these is refused: selector, serviceName,
    // volumeClaimTemplates, podManagementPolicy, ...
    group: 'apps',
    kinds: ['StatefulSet'],
    rule: 'spec-except',
    path: 'spec',
    mutable: [
      'spec.replicas',
      'spec.ordinals',
      'spec.template',
      'spec.updateStrategy',
      'spec.minReadySeconds',
      'spec.revisionHistoryLimit',
      'spec.persistentVolumeClaimRetentionPolicy',
    ],
    source: `${APPS} ValidateStatefulSetUpdate`,
  },
  {
    group: 'batch',
    kinds: ['Job'],
    rule: 'field',
    path: 'spec.selector',
    source: `${BATCH} ValidateJobSpecUpdate`,
  },
  {
    group: 'batch',
    kinds: ['Job'],
    rule: 'field',
    path: 'spec.template',
    unless: { path: 'spec.suspend', equals: true },
    source: `${BATCH} validatePodTemplateUpdate`,
  },
  {
    // A suspended Job may change its scheduling directives (the API server allows it until the
    // Job has started); the rest of the template stays fixed.
    group: 'batch',
    kinds: ['Job'],
    rule: 'spec-except',
    path: 'spec.template',
    mutable: [
      'spec.template.metadata.labels',
      'spec.template.metadata.annotations',
      'spec.template.spec.nodeSelector',
      'spec.template.spec.tolerations',
      'spec.template.spec.affinity.nodeAffinity',
      'spec.template.spec.schedulingGates',
    ],
    when: { path: 'spec.suspend', equals: true },
    source: `${BATCH} validatePodTemplateUpdate (AllowMutableSchedulingDirectives while suspended)`,
  },
  {
    group: 'batch',
    kinds: ['Job'],
    rule: 'field',
    path: 'spec.completions',
    unless: { path: 'spec.completionMode', equals: 'Indexed' },
    source: `${BATCH} validateCompletions (Indexed Jobs may scale)`,
  },
  ...['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'].map(
    (f): ImmutableRule => ({
      group: 'batch',
      kinds: ['Job'],
      rule: 'field',
      path: `spec.${f}`,
      source: `${BATCH} ValidateJobSpecUpdate`,
    }),
  ),
  ...['clusterIP', 'clusterIPs'].map(
    (f): ImmutableRule => ({
      group: '',
      kinds: ['Service'],
      rule: 'field',
      path: `spec.${f}`,
      keptWhenRemoved: true,
      source: `${CORE} ValidateServiceUpdate (validateUpgradeDowngradeClusterIPs)`,
    }),
  ),
  {
    group: '',
    kinds: ['PersistentVolumeClaim'],
    rule: 'spec-except',
    path: 'spec',
    // As for a bound claim; an unbound one cannot change its storage request either.
    mutable: ['spec.resources.requests.storage', 'spec.volumeName', 'spec.volumeAttributesClassName'],
    source: `${CORE} ValidatePersistentVolumeClaimUpdate`,
  },
  {
    group: '',
    kinds: ['PersistentVolume'],
    rule: 'field',
    path: 'spec.volumeMode',
    source: `${CORE} ValidatePersistentVolumeUpdate`,
  },
  {
    group: '',
    kinds: ['Pod'],
    rule: 'spec-except',
    path: 'spec',
    mutable: [
      'spec.containers[*].image',
      'spec.initContainers[*].image',
      'spec.activeDeadlineSeconds',
      'spec.tolerations',
      'spec.terminationGracePeriodSeconds',
      'spec.schedulingGates',
    ],
    source: `${CORE} ValidatePodUpdate (updatablePodSpecFields)`,
  },
  ...[
    { kind: 'ConfigMap', fields: ['data', 'binaryData', 'immutable'], fn: 'ValidateConfigMapUpdate' },
    { kind: 'Secret', fields: ['data', 'immutable'], fn: 'ValidateSecretUpdate' },
  ].flatMap(({ kind, fields, fn }) =>
    fields.map(
      (f): ImmutableRule => ({
        group: '',
        kinds: [kind],
        rule: 'field',
        path: f,
        when: { path: 'immutable', equals: true },
        source: `${CORE} ${fn} (when the stored object has immutable: true)`,
      }),
    ),
  ),
  {
    group: '',
    kinds: ['Secret'],
    rule: 'field',
    path: 'type',
    source: `${CORE} ValidateSecretUpdate`,
  },
  {
    group: 'rbac.authorization.k8s.io',
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    rule: 'field',
    path: 'roleRef',
    source:
      'pkg/apis/rbac/validation/validation.go ValidateRoleBindingUpdate, ValidateClusterRoleBindingUpdate',
  },
  ...['parameters', 'provisioner', 'reclaimPolicy', 'volumeBindingMode'].map(
    (f): ImmutableRule => ({
      group: 'storage.k8s.io',
      kinds: ['StorageClass'],
      rule: 'field',
      path: f,
      source: 'pkg/apis/storage/validation/validation.go ValidateStorageClassUpdate',
    }),
  ),
  {
    group: 'networking.k8s.io',
    kinds: ['IngressClass'],
    rule: 'field',
    path: 'spec.controller',
    source: 'pkg/apis/networking/validation/validation.go validateIngressClassSpecUpdate',
  },
];
