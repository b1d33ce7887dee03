// Kubernetes' CEL URL library (k8s.io/apiserver/pkg/cel/library/urls.go): url(), isURL() and the
// component getters, on Go's net/url parsing (see k8s-neturl.ts).
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import {
  formatGoUrl,
  type GoUrl,
  GoUrlError,
  parseGoUrl,
  parseRequestUri,
  urlEscapedPath,
  urlHostname,
  urlPort,
  urlQuery,
} from './k8s-neturl.js';

/** The CEL `kubernetes.URL` value. */
export class KubernetesUrl {
  readonly url: GoUrl;

  constructor(url: GoUrl) {
    this.url = url;
  }

  get [Symbol.toStringTag](): string {
    return URL_TYPE;
  }

  /** Kubernetes compares URLs by their String() form. */
  equals(other: KubernetesUrl): boolean {
    return this.toString() === other.toString();
  }

  toString(): string {
    return formatGoUrl(this.url);
  }
}

export const URL_TYPE = 'kubernetes.URL';

/**
 * `url(s)`: must pass Go's ParseRequestURI (absolute URI or absolute path, as OpenAPI's `uri`
 * format), then is parsed again with Parse, which keeps a fragment out of the path and query.
 */
export function toUrl(s: string): KubernetesUrl {
  try {
    parseRequestUri(s);
    return new KubernetesUrl(parseGoUrl(s));
  } catch (e) {
    if (e instanceof GoUrlError)
      throw new EvaluationError(`URL parse error during conversion from string: ${e.message}`);
    throw e;
  }
}

export function isUrl(s: string): boolean {
  try {
    parseRequestUri(s);
    return true;
  } catch (e) {
    if (e instanceof GoUrlError) return false;
    throw e;
  }
}

/** `getQuery()`: repeated keys collect every value; keys and values unescaped. */
export function urlQueryMap(u: KubernetesUrl): Map<string, string[]> {
  return urlQuery(u.url);
}

export const kubernetesUrlsLibrary: CelLibrary = {
  name: 'kubernetes.urls',
  register(env: Environment): void {
    env.registerType(URL_TYPE, KubernetesUrl);
    env.registerFunction(`url(string): ${URL_TYPE}`, toUrl);
    env.registerFunction('isURL(string): bool', isUrl);
    env.registerFunction(`${URL_TYPE}.getScheme(): string`, (u: KubernetesUrl) => u.url.scheme);
    env.registerFunction(`${URL_TYPE}.getHost(): string`, (u: KubernetesUrl) => u.url.host);
    env.registerFunction(`${URL_TYPE}.getHostname(): string`, (u: KubernetesUrl) => urlHostname(u.url));
    env.registerFunction(`${URL_TYPE}.getPort(): string`, (u: KubernetesUrl) => urlPort(u.url));
    env.registerFunction(`${URL_TYPE}.getEscapedPath(): string`, (u: KubernetesUrl) => urlEscapedPath(u.url));
    env.registerFunction(`${URL_TYPE}.getQuery(): map<string, list<string>>`, urlQueryMap);
    // Kubernetes compares URLs by their String() form.
    env.registerOperator(
      `${URL_TYPE} == ${URL_TYPE}`,
      (a: KubernetesUrl, b: KubernetesUrl) => a.toString() === b.toString(),
    );
  },
};
