// The team-namespaces example as a cdk8s app, using the construct kro-gen generated from rgd.yaml
// (generated/team-namespaces.ts): the same instance as instances/orga.yaml. Expanded, the
// Namespaces come before the ResourceQuotas that live in them.
//
//   kro-gen synth --app examples/team-namespaces/main.ts
//   kro-gen synth --app examples/team-namespaces/main.ts --mode bundle
import { App, Chart } from 'cdk8s';
import { TeamNamespaces } from '../../generated/index.js';

const app = new App();
const chart = new Chart(app, 'team-namespaces', { namespace: 'default' });

new TeamNamespaces(chart, 'orga', {
  metadata: { name: 'orga' },
  spec: { teams: ['web', 'api'], cpu: '2' },
});

app.synth();
