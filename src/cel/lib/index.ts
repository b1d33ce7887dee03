// Every CEL library kro enables, in registration order.
import type { CelLibrary } from '../library.js';

// --- cel-go extensions and core gaps (owned by the CEL environment work) ---

// --- Kubernetes and kro libraries ---

export const libraries: readonly CelLibrary[] = [];
