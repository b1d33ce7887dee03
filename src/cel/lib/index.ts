// Every CEL library kro enables, in registration order.
import type { CelLibrary } from '../library.js';

// --- cel-go extensions and core gaps (owned by the CEL environment work) ---
import { stringsLibrary } from './strings.js';

const celGoLibraries: readonly CelLibrary[] = [stringsLibrary];

// --- Kubernetes and kro libraries ---

const kubernetesAndKroLibraries: readonly CelLibrary[] = [];

export const libraries: readonly CelLibrary[] = [...celGoLibraries, ...kubernetesAndKroLibraries];
