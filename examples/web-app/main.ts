// The web-app example as a cdk8s app, using the construct kro-gen generated from rgd.yaml
// (generated/application.ts). The same two instances as instances/*.yaml.
//
//   kro-gen synth --app examples/web-app/main.ts                 # expanded: Deployments and Services
//   kro-gen synth --app examples/web-app/main.ts --mode bundle   # the RGD, then two Application objects
import { App, Chart } from 'cdk8s';
import { Application } from '../../generated/index.js';

const app = new App();
const chart = new Chart(app, 'web-app', { namespace: 'default' });

new Application(chart, 'web-app-1', {
  metadata: { name: 'web-app-1' },
  spec: { name: 'web-app-1', image: 'httpd:2.4', replicas: 3, svcType: 'NodePort' },
});
// Only the image: replicas (1) and svcType (ClusterIP) come from the schema's defaults.
new Application(chart, 'web-app-2', {
  metadata: { name: 'web-app-2' },
  spec: { name: 'web-app-2', image: 'nginx' },
});

app.synth();
