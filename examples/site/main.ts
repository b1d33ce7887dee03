// The site example as a cdk8s app, using the constructs kro-gen generated from rgd.yaml
// (generated/site.ts, generated/bucket.ts): the same instance as instances/shop.yaml. Expanded,
// the two Bucket instances the Site creates are replaced by their ConfigMaps, since the app imports
// the Bucket RGD too; bundle mode ships both RGDs, bucket first.
//
//   kro-gen synth --app examples/site/main.ts
//   kro-gen synth --app examples/site/main.ts --no-expand-chained   # keeps the Bucket objects
//   kro-gen synth --app examples/site/main.ts --mode bundle
import { App, Chart } from 'cdk8s';
import { Site } from '../../generated/index.js';

const app = new App();
const chart = new Chart(app, 'site', { namespace: 'default' });

new Site(chart, 'shop', { metadata: { name: 'shop' }, spec: { name: 'shop', mediaSizeGi: 20 } });

app.synth();
