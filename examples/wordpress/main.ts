// The wordpress example as a cdk8s app, using the construct kro-gen generated from rgd.yaml
// (generated/word-press.ts): the same site as instances/blog.yaml.
//
//   kro-gen synth --app examples/wordpress/main.ts --annotations depends-on,argocd,kapp
//   kro-gen synth --app examples/wordpress/main.ts --mode bundle
import { App, Chart } from 'cdk8s';
import { WordPress } from '../../generated/index.js';

const app = new App();
const chart = new Chart(app, 'wordpress', { namespace: 'sites' });

// A medium site (two WordPress pods) behind an nginx Ingress; the database keeps its defaults but
// its passwords, which are in the Secret blog-db that you create (kro-gen never sees them).
new WordPress(chart, 'blog', {
  metadata: { name: 'blog' },
  spec: {
    siteName: 'blog',
    databaseSecret: 'blog-db',
    tier: 'medium',
    ingress: { enabled: true, host: 'blog.example.com' },
  },
});

app.synth();
