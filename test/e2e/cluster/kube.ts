/**
 * A small Kubernetes client for the e2e tests.
 *
 * Authentication and TLS come from @kubernetes/client-node's KubeConfig; the
 * requests themselves are plain REST calls so that every object is returned
 * exactly as the API server serialised it (client-node's typed models would
 * turn timestamps into Date objects and drop fields they do not know), which
 * matters when tests compare kro's output with kro-gen's field by field.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { parseJsonExact, stringifyJson } from '../../../src/json.js';
import { exactInteger } from '../../../src/rgd/int64.js';

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** Any Kubernetes object, as JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** Ignored for cluster-scoped kinds; defaults to `default` for namespaced ones. */
  namespace?: string | undefined;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  [key: string]: unknown;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

export interface ApplyOptions {
  /** Server-side dry run: the object is validated, defaulted and admitted but not stored. */
  dryRun?: boolean;
  /** Take ownership of conflicting fields (default true, like `kubectl apply --server-side --force-conflicts`). */
  force?: boolean;
  fieldManager?: string;
}

/** An error response from the API server (or a failed discovery lookup). */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string | undefined,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The conditions in `status.conditions`, or an empty list. */
export function conditionsOf(obj: unknown): Condition[] {
  if (!isRecord(obj) || !isRecord(obj.status) || !Array.isArray(obj.status.conditions)) return [];
  return obj.status.conditions.filter(
    (c): c is Condition => isRecord(c) && typeof c.type === 'string' && typeof c.status === 'string',
  );
}

/** Parses a (multi-document) YAML manifest into objects, skipping empty documents. */
export function parseManifests(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  // Integers as the API server reads them: int64s beyond 2^53 stay exact (bigint), as kro-gen keeps them.
  for (const doc of parseAllDocuments(text, { intAsBigInt: true })) {
    if (doc.errors.length > 0)
      throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS({ reviver: (_key, v) => (typeof v === 'bigint' ? exactInteger(v) : v) });
    if (value === null || value === undefined) continue;
    if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
      throw new Error('a manifest document is not a Kubernetes object (apiVersion/kind missing)');
    }
    out.push({ ...value, metadata: isRecord(value.metadata) ? value.metadata : {} } as KubeObject);
  }
  return out;
}

export function loadManifests(path: string): KubeObject[] {
  return parseManifests(readFileSync(path, 'utf8'));
}

const describe = (ref: { kind: string; name?: string | undefined; namespace?: string | undefined }): string =>
  `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name ?? ''}`.trim();

export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly fieldManager: string;
  private readonly discovery = new Map<string, ApiResource[]>();
  private objectApi: KubernetesObjectApi | undefined;

  constructor(kubeConfig: KubeConfig, options: { fieldManager?: string } = {}) {
    this.kubeConfig = kubeConfig;
    this.fieldManager = options.fieldManager ?? 'kro-gen-e2e';
  }

  static fromKubeconfigFile(path: string, options: { fieldManager?: string } = {}): KubeClient {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return new KubeClient(kc, options);
  }

  /** The API server URL of the current context. */
  get server(): string {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    return cluster.server.replace(/\/+$/, '');
  }

  /** client-node's generic object API, for callers that prefer it. */
  get objects(): KubernetesObjectApi {
    this.objectApi ??= KubernetesObjectApi.makeApiClient(this.kubeConfig);
    return this.objectApi;
  }

  /** One REST call. JSON in and out; a non-2xx answer throws KubeApiError. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      contentType?: string;
      query?: Record<string, string | undefined>;
      timeoutMs?: number;
    } = {},
  ): Promise<T> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const payload = options.body === undefined ? undefined : stringifyJson(options.body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (payload !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      // Without a length the body goes chunked, and the API server ignores a chunked DELETE body
      // (its DeleteOptions: propagationPolicy fell back to the kind's default, e.g. orphan for Jobs).
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const requestOptions: RequestOptions = { method, headers };
    await this.kubeConfig.applyToHTTPSOptions(requestOptions);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = send(url, requestOptions, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.setTimeout(options.timeoutMs ?? 30_000, () =>
        req.destroy(new Error(`${method} ${path} timed out`)),
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
    let body: unknown = text;
    try {
      body = text ? parseJsonExact(text) : undefined;
    } catch {
      // not JSON (e.g. /readyz): keep the text
    }
    if (status < 200 || status > 299) {
      const message = isRecord(body) && typeof body.message === 'string' ? body.message : text;
      const reason = isRecord(body) && typeof body.reason === 'string' ? body.reason : undefined;
      throw new KubeApiError(`${method} ${path}: ${status} ${message}`, status, reason, body);
    }
    return body as T;
  }

  /** GETs an arbitrary path (e.g. `/readyz`, `/openapi/v3`). */
  raw<T = unknown>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  private async resources(apiVersion: string, refresh: boolean): Promise<ApiResource[]> {
    const cached = this.discovery.get(apiVersion);
    if (cached && !refresh) return cached;
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const list = await this.request<{ resources?: ApiResource[] }>('GET', path);
    const resources = (list.resources ?? []).filter((r) => !r.name.includes('/'));
    this.discovery.set(apiVersion, resources);
    return resources;
  }

  /** Resolves a kind through discovery, refreshing once on a miss (new CRDs appear at any time). */
  async resourceFor(apiVersion: string, kind: string): Promise<ApiResource> {
    for (const refresh of [false, true]) {
      try {
        const found = (await this.resources(apiVersion, refresh)).find((r) => r.kind === kind);
        if (found) return found;
      } catch (err) {
        if (!(err instanceof KubeApiError && err.status === 404) || refresh) throw err;
      }
    }
    throw new KubeApiError(
      `no resource of kind ${kind} is served in ${apiVersion}`,
      404,
      'NoKindMatch',
      undefined,
    );
  }

  /** The REST path of an object (name given) or of its collection. */
  async pathFor(ref: {
    apiVersion: string;
    kind: string;
    name?: string | undefined;
    namespace?: string | undefined;
  }): Promise<string> {
    const resource = await this.resourceFor(ref.apiVersion, ref.kind);
    const base = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
    const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}` : '';
    const name = ref.name === undefined ? '' : `/${encodeURIComponent(ref.name)}`;
    return `${base}${ns}/${resource.name}${name}`;
  }

  private refOf(obj: KubeObject): ObjectRef {
    if (!obj.metadata.name) throw new Error(`${obj.kind} has no metadata.name`);
    return {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
    };
  }

  /** Server-side apply (creates or updates). Returns the object the server stored (or would store, on dry run). */
  async apply<T extends KubeObject = KubeObject>(obj: KubeObject, options: ApplyOptions = {}): Promise<T> {
    const path = await this.pathFor(this.refOf(obj));
    return this.request<T>('PATCH', path, {
      body: obj,
      contentType: 'application/apply-patch+yaml',
      query: {
        fieldManager: options.fieldManager ?? this.fieldManager,
        force: String(options.force ?? true),
        dryRun: options.dryRun ? 'All' : undefined,
      },
    });
  }

  /** Server-side apply with `dryRun=All`: what the API server would store, after defaulting and admission. */
  dryRunApply<T extends KubeObject = KubeObject>(
    obj: KubeObject,
    options: Omit<ApplyOptions, 'dryRun'> = {},
  ): Promise<T> {
    return this.apply<T>(obj, { ...options, dryRun: true });
  }

  /** POST; fails with 409 if the object exists. */
  async create<T extends KubeObject = KubeObject>(
    obj: KubeObject,
    options: { dryRun?: boolean } = {},
  ): Promise<T> {
    const path = await this.pathFor({ ...this.refOf(obj), name: undefined });
    return this.request<T>('POST', path, {
      body: obj,
      query: { fieldManager: this.fieldManager, dryRun: options.dryRun ? 'All' : undefined },
    });
  }

  /** The object, or undefined if it does not exist. */
  async get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    const path = await this.pathFor(ref);
    try {
      return await this.request<T>('GET', path);
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Lists objects of a kind (all namespaces unless `namespace` is set); items get apiVersion/kind filled in. */
  async list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    options: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {},
  ): Promise<T[]> {
    const resource = await this.resourceFor(apiVersion, kind);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns =
      resource.namespaced && options.namespace ? `/namespaces/${encodeURIComponent(options.namespace)}` : '';
    const list = await this.request<{ items?: T[] }>('GET', `${base}${ns}/${resource.name}`, {
      query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
    });
    return (list.items ?? []).map((item) => ({ ...item, apiVersion, kind }));
  }

  /** JSON-merge-patches the `status` subresource (the object must exist and have one). */
  async patchStatus<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    status: Record<string, unknown>,
  ): Promise<T> {
    const path = await this.pathFor(ref);
    return this.request<T>('PATCH', `${path}/status`, {
      body: { status },
      contentType: 'application/merge-patch+json',
      query: { fieldManager: this.fieldManager },
    });
  }

  /**
   * Reports a Deployment as fully rolled out and available. The local cluster
   * has no kube-controller-manager, scheduler or kubelet, so nothing else ever
   * writes a Deployment's status; tests whose RGDs wait on Deployment readiness
   * (readyWhen, or dependents of a Deployment) call this in their place.
   */
  async markDeploymentAvailable(ref: Omit<ObjectRef, 'apiVersion' | 'kind'>): Promise<KubeObject> {
    const full: ObjectRef = { apiVersion: 'apps/v1', kind: 'Deployment', ...ref };
    const deployment = await this.get(full);
    if (!deployment) throw new Error(`${describe(full)} does not exist`);
    const spec = isRecord(deployment.spec) ? deployment.spec : {};
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const condition = (type: string, reason: string, message: string): Condition => ({
      type,
      status: 'True',
      reason,
      message,
      lastUpdateTime: now,
      lastTransitionTime: now,
    });
    return this.patchStatus(full, {
      observedGeneration: deployment.metadata.generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: [
        condition('Available', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'),
        condition('Progressing', 'NewReplicaSetAvailable', 'Marked available by the kro-gen e2e tests.'),
      ],
    });
  }

  /** Deletes an object (absent is fine); with `wait`, until it is gone (finalizers included). */
  async delete(
    ref: ObjectRef,
    options: {
      wait?: boolean;
      propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
    } & WaitOptions = {},
  ): Promise<void> {
    const path = await this.pathFor(ref);
    try {
      await this.request('DELETE', path, {
        body: {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
          propagationPolicy: options.propagationPolicy ?? 'Background',
        },
      });
    } catch (err) {
      if (!(err instanceof KubeApiError && err.status === 404)) throw err;
    }
    if (options.wait) {
      await this.waitFor(
        `${describe(ref)} to be deleted`,
        async () => ((await this.get(ref)) ? undefined : true),
        options,
      );
    }
  }

  /**
   * Polls `probe` until it returns something other than undefined/false. Errors
   * thrown by the probe (e.g. a kind not yet served) are retried; the last one
   * is reported on timeout.
   */
  async waitFor<T>(
    description: string,
    probe: () => Promise<T | undefined | false>,
    options: WaitOptions = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 120_000;
    const intervalMs = options.intervalMs ?? 500;
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const result = await probe();
        if (result !== undefined && result !== false) return result;
        lastError = undefined;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() >= deadline) {
        const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${why}`);
      }
      await sleep(intervalMs);
    }
  }

  /** Waits until the object exists (and satisfies `predicate`, if given). */
  async waitForObject<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    predicate?: (obj: T) => boolean,
    options: WaitOptions = {},
  ): Promise<T> {
    let last: T | undefined;
    try {
      return await this.waitFor(
        describe(ref),
        async () => {
          last = await this.get<T>(ref);
          return last && (!predicate || predicate(last)) ? last : undefined;
        },
        options,
      );
    } catch (err) {
      if (last && err instanceof Error)
        err.message += `\nlast seen: ${stringifyJson(last.status ?? last, 2)}`;
      throw err;
    }
  }

  /** Waits until `status.conditions[type].status` equals `status`. */
  waitForCondition<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    type: string,
    status = 'True',
    options: WaitOptions = {},
  ): Promise<T> {
    return this.waitForObject<T>(
      ref,
      (obj) => conditionsOf(obj).some((c) => c.type === type && c.status === status),
      options,
    );
  }

  /** Waits until a CRD is Established (its kind is then served). */
  waitForCrdEstablished(name: string, options: WaitOptions = {}): Promise<KubeObject> {
    return this.waitForCondition(
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name },
      'Established',
      'True',
      options,
    );
  }

  /** Waits until kro reports the ResourceGraphDefinition `Active` with a `Ready=True` condition. */
  waitForRgdActive(name: string, options: WaitOptions = {}): Promise<KubeObject> {
    return this.waitForObject(
      { apiVersion: 'kro.run/v1alpha1', kind: 'ResourceGraphDefinition', name },
      (rgd) => {
        const status = isRecord(rgd.status) ? rgd.status : {};
        return (
          status.state === 'Active' &&
          conditionsOf(rgd).some((c) => c.type === 'Ready' && c.status === 'True')
        );
      },
      options,
    );
  }

  /**
   * The CustomResourceDefinition kro generated for an RGD (found by the group and
   * kind in `spec.schema`), or undefined if it does not exist (yet).
   */
  async generatedCrd(rgd: KubeObject | string): Promise<KubeObject | undefined> {
    const obj =
      typeof rgd === 'string'
        ? await this.get({ apiVersion: 'kro.run/v1alpha1', kind: 'ResourceGraphDefinition', name: rgd })
        : rgd;
    if (!obj) return undefined;
    const spec = isRecord(obj.spec) ? obj.spec : {};
    const schema = isRecord(spec.schema) ? spec.schema : {};
    const group = typeof schema.group === 'string' && schema.group !== '' ? schema.group : 'kro.run';
    const kind = schema.kind;
    const crds = await this.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
    return crds.find((crd) => {
      const crdSpec = isRecord(crd.spec) ? crd.spec : {};
      const names = isRecord(crdSpec.names) ? crdSpec.names : {};
      return crdSpec.group === group && names.kind === kind;
    });
  }

  /** Waits for the generated CRD to exist and be Established. */
  async waitForGeneratedCrd(rgd: KubeObject | string, options: WaitOptions = {}): Promise<KubeObject> {
    const name = typeof rgd === 'string' ? rgd : (rgd.metadata.name ?? '');
    return this.waitFor(
      `the CRD generated for RGD ${name}`,
      async () => {
        const crd = await this.generatedCrd(rgd);
        return crd && conditionsOf(crd).some((c) => c.type === 'Established' && c.status === 'True')
          ? crd
          : undefined;
      },
      options,
    );
  }

  /** Server-side applies every document of a YAML file or string, in order. */
  async applyManifests(
    source: { path: string } | { yaml: string },
    options: ApplyOptions = {},
  ): Promise<KubeObject[]> {
    const objects = 'path' in source ? loadManifests(source.path) : parseManifests(source.yaml);
    const out: KubeObject[] = [];
    for (const obj of objects) out.push(await this.apply(obj, options));
    return out;
  }
}
