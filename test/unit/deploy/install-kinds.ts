// The kinds `synth --with-kro` puts first with the chart's default RBAC mode (unrestricted), in order.
export const INSTALL_KINDS = [
  'Namespace',
  'CustomResourceDefinition',
  'CustomResourceDefinition',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Deployment',
];
