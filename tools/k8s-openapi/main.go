// Command k8s-openapi writes the OpenAPI v3 schemas and scopes of the built-in
// Kubernetes kinds, so kro-gen can type-check templates without a cluster.
//
// Kinds and scopes come from building kube-apiserver's own REST storage (no
// etcd needed) and are cross-checked against client-go's typed clients.
// Schemas come from the compiled-in definitions the API server publishes,
// converted to v3 by the same kube-openapi builder it uses.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"

	"k8s.io/apimachinery/pkg/runtime/schema"
	utilversion "k8s.io/apimachinery/pkg/util/version"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	componentversion "k8s.io/component-base/version"
)

// Modules whose versions decide the output; recorded in the data header.
var recordedModules = []string{
	"k8s.io/kubernetes",
	"k8s.io/api",
	"k8s.io/apimachinery",
	"k8s.io/apiserver",
	"k8s.io/apiextensions-apiserver",
	"k8s.io/kube-aggregator",
	"k8s.io/client-go",
	"k8s.io/kube-openapi",
}

type kindEntry struct {
	Definition      string `json:"definition"`
	Namespaced      bool   `json:"namespaced"`
	Resource        string `json:"resource"`
	ServedByDefault bool   `json:"servedByDefault"`
}

func main() {
	out := flag.String("out", "data/k8s-openapi/builtin.json", "output file")
	descriptions := flag.String("descriptions", "", "descriptions output file (default: descriptions.json beside -out)")
	flag.Parse()
	if *descriptions == "" {
		*descriptions = filepath.Join(filepath.Dir(*out), "descriptions.json")
	}
	if err := run(*out, *descriptions); err != nil {
		fmt.Fprintln(os.Stderr, "k8s-openapi:", err)
		os.Exit(1)
	}
}

func run(outPath, descriptionsPath string) error {
	binaryVersion := utilversion.MustParse(componentversion.DefaultKubeBinaryVersion)

	// First as a default kube-apiserver serves, then with every API version
	// and feature gate on, which is the most any 1.36 cluster can serve.
	defaults, err := collectServed(defaultResourceConfigs(), binaryVersion)
	if err != nil {
		return fmt.Errorf("default API surface: %w", err)
	}
	if err := utilfeature.DefaultMutableFeatureGate.SetFromMap(map[string]bool{"AllAlpha": true, "AllBeta": true}); err != nil {
		return err
	}
	all, err := collectServed(everythingEnabled(), binaryVersion)
	if err != nil {
		return fmt.Errorf("full API surface: %w", err)
	}
	for gvk := range defaults {
		if _, ok := all[gvk]; !ok {
			return fmt.Errorf("%s is served by default but not with everything enabled", gvk)
		}
	}

	clients, err := typedClientScopes()
	if err != nil {
		return fmt.Errorf("reading client-go: %w", err)
	}
	notes, err := crossCheck(all, clients)
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "note:", n)
	}
	if err != nil {
		return err
	}

	kinds := map[string]kindEntry{}
	var models []string
	for gvk, k := range all {
		name, err := modelName(k.Example)
		if err != nil {
			return fmt.Errorf("%s: %w", gvk, err)
		}
		_, byDefault := defaults[gvk]
		kinds[kindKey(gvk)] = kindEntry{Definition: name, Namespaced: k.Namespaced, Resource: k.Resource, ServedByDefault: byDefault}
		models = append(models, name)
	}
	sort.Strings(models)
	definitions, described, err := buildDefinitions(models)
	if err != nil {
		return fmt.Errorf("building definitions: %w", err)
	}

	modules, err := moduleVersions()
	if err != nil {
		return err
	}
	header := headerEntries(binaryVersion, modules)
	data, err := render(header, kinds, definitions)
	if err != nil {
		return err
	}
	if err := write(outPath, data); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d kinds (%d served by default), %d definitions, %d bytes\n",
		outPath, len(kinds), len(defaults), len(definitions), len(data))
	docs, err := renderDescriptions(header, described)
	if err != nil {
		return err
	}
	if err := write(descriptionsPath, docs); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d definitions described, %d bytes\n",
		descriptionsPath, len(described), len(docs))
	return nil
}

func write(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// kindKey is the apiVersion (as written in a manifest) and the kind.
func kindKey(gvk schema.GroupVersionKind) string {
	return gvk.GroupVersion().String() + "/" + gvk.Kind
}

func moduleVersions() (map[string]string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil, fmt.Errorf("no build info: build with module support")
	}
	versions := map[string]string{"go": info.GoVersion}
	for _, dep := range info.Deps {
		v := dep.Version
		if dep.Replace != nil {
			v = dep.Replace.Version
		}
		versions[dep.Path] = v
	}
	out := map[string]string{"go": info.GoVersion}
	for _, m := range recordedModules {
		v, ok := versions[m]
		if !ok {
			return nil, fmt.Errorf("module %s not in build info", m)
		}
		out[m] = v
	}
	return out, nil
}

type headerEntry struct {
	key   string
	value any
}

// headerEntries open both files: which release and modules they come from.
func headerEntries(binaryVersion *utilversion.Version, modules map[string]string) []headerEntry {
	return []headerEntry{
		{"kubernetesVersion", kubernetesRelease(binaryVersion, modules)},
		{"generatedBy", "tools/k8s-openapi (npm run gen:k8s-openapi)"},
		{"modules", modules},
	}
}

func writeHeader(b *bytes.Buffer, header []headerEntry) error {
	b.WriteString("{\n")
	for _, h := range header {
		if err := writeEntry(b, h.key, h.value, ",\n"); err != nil {
			return err
		}
	}
	return nil
}

// render writes one kind or definition per line: compact, yet a regeneration
// diffs by kind and definition.
func render(header []headerEntry, kinds map[string]kindEntry, definitions map[string]any) ([]byte, error) {
	var b bytes.Buffer
	header = append(header, headerEntry{"kindKey", "<apiVersion>/<kind>, e.g. apps/v1/Deployment, v1/Pod"})
	if err := writeHeader(&b, header); err != nil {
		return nil, err
	}
	if err := writeSection(&b, "kinds", kinds, ",\n"); err != nil {
		return nil, err
	}
	if err := writeSection(&b, "definitions", definitions, "\n"); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// renderDescriptions writes the summaries, one definition per line.
func renderDescriptions(header []headerEntry, described map[string]map[string]string) ([]byte, error) {
	var b bytes.Buffer
	header = append(header, headerEntry{"pathKey", "field path inside the definition, dot-separated; [] for items and map values; \"\" for the definition itself"})
	if err := writeHeader(&b, header); err != nil {
		return nil, err
	}
	if err := writeSection(&b, "definitions", described, "\n"); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

func kubernetesRelease(binaryVersion *utilversion.Version, modules map[string]string) string {
	if v, err := utilversion.ParseSemantic(modules["k8s.io/kubernetes"]); err == nil {
		return fmt.Sprintf("%d.%d.%d", v.Major(), v.Minor(), v.Patch())
	}
	return binaryVersion.String()
}

func writeSection[V any](b *bytes.Buffer, name string, entries map[string]V, after string) error {
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(b, "%q: {\n", name)
	for i, k := range keys {
		sep := ",\n"
		if i == len(keys)-1 {
			sep = "\n"
		}
		if err := writeEntry(b, k, entries[k], sep); err != nil {
			return err
		}
	}
	b.WriteString("}" + after)
	return nil
}

func writeEntry(b *bytes.Buffer, key string, value any, after string) error {
	k, err := marshal(key)
	if err != nil {
		return err
	}
	v, err := marshal(value)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	b.Write(k)
	b.WriteString(": ")
	b.Write(v)
	b.WriteString(after)
	return nil
}

// marshal is json.Marshal without HTML escaping, so regex patterns stay readable.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
