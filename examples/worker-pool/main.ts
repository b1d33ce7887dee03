// The worker-pool example as a cdk8s app, using the construct kro-gen generated from rgd.yaml
// (generated/worker-pool.ts): the instance in its last state, instances/pool.2.yaml (one queue,
// monitoring off). An app describes one state; synthesizing it again after a change and applying
// with pruning (kapp, Argo CD, kubectl apply --prune) removes what kro would prune.
//
//   kro-gen synth --app examples/worker-pool/main.ts
//   kro-gen synth --app examples/worker-pool/main.ts --mode bundle
import { App, Chart } from 'cdk8s';
import { WorkerPool } from '../../generated/index.js';

const app = new App();
const chart = new Chart(app, 'worker-pool', { namespace: 'default' });

new WorkerPool(chart, 'pool', {
  metadata: { name: 'pool' },
  spec: { queues: ['emails'], monitoring: false },
});

app.synth();
