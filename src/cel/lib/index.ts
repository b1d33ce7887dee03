// Every CEL library kro enables, in registration order.
import type { CelLibrary } from '../library.js';

// --- cel-go extensions and core gaps (owned by the CEL environment work) ---
import { attributesLibrary } from './attributes.js';
import { bindLibrary } from './bind.js';
import { comprehensionsLibrary } from './comprehensions.js';
import { coreLibrary } from './core.js';
import { encodersLibrary } from './encoders.js';
import { equalityTypingLibrary } from './equality-typing.js';
import { evaluationOrderLibrary } from './evaluation-order.js';
import { indexOverloadsLibrary } from './index-overloads.js';
import { listsLibrary } from './lists.js';
import { literalsLibrary } from './literals.js';
import { negationLibrary } from './negation.js';
import { nullAssignabilityLibrary } from './null-assignability.js';
import { optionalLibrary } from './optional.js';
import { overloadResolutionLibrary } from './overload-resolution.js';
import { regexLibrary } from './regex.js';
import { runtimeDispatchLibrary } from './runtime-dispatch.js';
import { runtimeTypesLibrary } from './runtime-types.js';
import { staticTypesLibrary } from './static-types.js';
import { stringsLibrary } from './strings.js';
import { typedEqualityLibrary } from './typed-equality.js';

const celGoLibraries: readonly CelLibrary[] = [
  literalsLibrary,
  negationLibrary,
  nullAssignabilityLibrary,
  equalityTypingLibrary,
  attributesLibrary,
  evaluationOrderLibrary,
  overloadResolutionLibrary,
  indexOverloadsLibrary,
  runtimeDispatchLibrary,
  runtimeTypesLibrary,
  staticTypesLibrary,
  typedEqualityLibrary,
  comprehensionsLibrary,
  bindLibrary,
  stringsLibrary,
  listsLibrary,
  optionalLibrary,
  encodersLibrary,
  regexLibrary,
  coreLibrary,
];

// --- Kubernetes and kro libraries ---
import { kubernetesCidrLibrary } from './k8s-cidr.js';
import { kubernetesIpLibrary } from './k8s-ip.js';
import { kubernetesListsLibrary } from './k8s-lists.js';
import { kubernetesQuantityLibrary } from './k8s-quantity.js';
import { kubernetesRegexLibrary } from './k8s-regex.js';
import { kubernetesSemverLibrary } from './k8s-semver.js';
import { kubernetesUrlsLibrary } from './k8s-urls.js';
import { kroHashLibrary } from './kro-hash.js';
import { kroJsonLibrary } from './kro-json.js';
import { kroListsLibrary } from './kro-lists.js';
import { kroMapsLibrary } from './kro-maps.js';
import { kroOmitLibrary } from './kro-omit.js';
import { kroRandomLibrary } from './kro-random.js';

// In kro's BaseDeclarations order. kro's runtime library (runtime.newCondition/condition) is
// valid only in schema.status.conditions, so it is not here: see kro-runtime.ts.
const kubernetesAndKroLibraries: readonly CelLibrary[] = [
  kubernetesListsLibrary,
  kubernetesUrlsLibrary,
  kubernetesRegexLibrary,
  kubernetesQuantityLibrary,
  kubernetesIpLibrary,
  kubernetesCidrLibrary,
  kubernetesSemverLibrary,
  kroRandomLibrary,
  kroMapsLibrary,
  kroJsonLibrary,
  kroHashLibrary,
  kroListsLibrary,
  kroOmitLibrary,
];

export const libraries: readonly CelLibrary[] = [...celGoLibraries, ...kubernetesAndKroLibraries];

// Libraries the API server has for x-kubernetes-validations rules and kro does not.
import { kubernetesFormatLibrary } from './k8s-format.js';
import { kubernetesSetsLibrary } from './k8s-sets.js';

export const crdRuleLibraries: readonly CelLibrary[] = [kubernetesSetsLibrary, kubernetesFormatLibrary];
