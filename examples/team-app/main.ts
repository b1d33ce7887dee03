// The team-app example as a cdk8s app, using the construct kro-gen generated from rgd.yaml
// (generated/team-app.ts): the same instance as instances/api.yaml. Bundle mode only: the
// Deployment's image comes from the ConfigMap platform-defaults that the externalRef reads, which
// kro reads from the cluster and `kro-gen synth --external` from a file, but a cdk8s app has no
// way to hand it over yet.
//
//   kro-gen synth --app examples/team-app/main.ts --mode bundle
//   kro-gen synth examples/team-app/rgd.yaml --instance examples/team-app/instances \
//     --external examples/team-app/cluster                     # expanded, without the app
import { App, Chart } from 'cdk8s';
import { TeamApp } from '../../generated/index.js';

const app = new App();
const chart = new Chart(app, 'team-app', { namespace: 'team-a' });

new TeamApp(chart, 'api', { metadata: { name: 'api' }, spec: { image: 'api:1.4.2', replicas: 2 } });

app.synth();
