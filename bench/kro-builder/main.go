// kro-builder times kro v0.9.3's own graph builder (graph.Builder.NewResourceGraphDefinition) on
// RGD files, for `npm run bench` (bench/validate.ts) to compare kro-gen with in the same run.
//
// Kinds resolve from kro-gen's bundled OpenAPI (data/k8s-openapi/builtin.json, refs populated as
// the API server's schema resolver populates them), so both sides type-check against the same
// schemas; the REST mapper knows the same kinds and scopes. YAML decoding is outside the timed
// loop, as in kro's own benchmarks (pkg/graph/builder_bench_test.go).
//
// With -resolver fake, kinds resolve from kro's fake resolver instead, set up exactly as kro's
// benchmarks set it up (its small hand-written Pod, ConfigMap and other schemas), to reproduce
// kro's own benchmark figures on its three benchmark RGDs.
//
// Usage: kro-builder [-resolver bundled|fake] -openapi builtin.json -passes 5 -ms 200 file.yaml...
// Prints one JSON line per file: {"file", "nsPerBuild" (median over passes), "error"}.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	memory "k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/restmapper"
	"k8s.io/apimachinery/pkg/runtime/schema"
	apiresolver "k8s.io/apiserver/pkg/cel/openapi/resolver"
	"k8s.io/kube-openapi/pkg/validation/spec"
	"sigs.k8s.io/yaml"

	"github.com/kubernetes-sigs/kro/api/v1alpha1"
	"github.com/kubernetes-sigs/kro/pkg/graph"
	krok8s "github.com/kubernetes-sigs/kro/pkg/testutil/k8s"
)

type bundle struct {
	Kinds map[string]struct {
		Definition string `json:"definition"`
		Namespaced bool   `json:"namespaced"`
	} `json:"kinds"`
	Definitions map[string]*spec.Schema `json:"definitions"`
}

// staticResolver answers from schemas resolved once at start-up, as kro's cached resolver does
// after its first look-up of a kind.
type staticResolver map[schema.GroupVersionKind]*spec.Schema

func (r staticResolver) ResolveSchema(gvk schema.GroupVersionKind) (*spec.Schema, error) {
	if s, ok := r[gvk]; ok {
		return s, nil
	}
	return nil, fmt.Errorf("no schema for %s", gvk)
}

func parseKindKey(key string) schema.GroupVersionKind {
	parts := strings.Split(key, "/")
	if len(parts) == 2 {
		return schema.GroupVersionKind{Version: parts[0], Kind: parts[1]}
	}
	return schema.GroupVersionKind{Group: parts[0], Version: parts[1], Kind: parts[2]}
}

func loadBundle(path string) (staticResolver, meta.RESTMapper, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var b bundle
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, nil, err
	}
	const prefix = "#/definitions/"
	schemaOf := func(ref string) (*spec.Schema, bool) {
		s, ok := b.Definitions[strings.TrimPrefix(ref, prefix)]
		return s, ok
	}
	resolver := staticResolver{}
	mapper := meta.NewDefaultRESTMapper(nil)
	for key, k := range b.Kinds {
		gvk := parseKindKey(key)
		s, err := apiresolver.PopulateRefs(schemaOf, prefix+k.Definition)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", key, err)
		}
		resolver[gvk] = s
		scope := meta.RESTScopeRoot
		if k.Namespaced {
			scope = meta.RESTScopeNamespace
		}
		mapper.Add(gvk, scope)
	}
	return resolver, mapper, nil
}

type result struct {
	File       string  `json:"file"`
	NsPerBuild float64 `json:"nsPerBuild,omitempty"`
	Error      string  `json:"error,omitempty"`
}

func main() {
	openapi := flag.String("openapi", "", "kro-gen's data/k8s-openapi/builtin.json")
	resolverKind := flag.String("resolver", "bundled", "bundled (the -openapi file) or fake (kro's benchmark resolver)")
	passes := flag.Int("passes", 5, "timed passes per file (the median is reported)")
	ms := flag.Int("ms", 200, "length of one timed pass, in milliseconds")
	flag.Parse()
	var resolver apiresolver.SchemaResolver
	var mapper meta.RESTMapper
	if *resolverKind == "fake" {
		fakeResolver, fakeDiscovery := krok8s.NewFakeResolver()
		resolver = fakeResolver
		mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(fakeDiscovery))
	} else {
		var err error
		resolver, mapper, err = loadBundle(*openapi)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	builder, err := graph.NewBuilder(nil, nil, graph.WithSchemaResolver(resolver), graph.WithRESTMapper(mapper))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// kro's default maximum collection size settings (cmd/controller flags).
	config := graph.RGDConfig{MaxCollectionSize: 1000, MaxCollectionDimensionSize: 10}
	out := json.NewEncoder(os.Stdout)
	for _, file := range flag.Args() {
		r := result{File: file}
		rgd, err := readRgd(file)
		if err == nil {
			_, err = builder.NewResourceGraphDefinition(rgd, config)
		}
		if err != nil {
			r.Error = err.Error()
		} else {
			r.NsPerBuild = timeBuilds(func() { _, _ = builder.NewResourceGraphDefinition(rgd, config) }, *passes, *ms)
		}
		if err := out.Encode(r); err != nil {
			os.Exit(1)
		}
	}
}

func readRgd(file string) (*v1alpha1.ResourceGraphDefinition, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var rgd v1alpha1.ResourceGraphDefinition
	if err := yaml.UnmarshalStrict(data, &rgd); err != nil {
		if err := yaml.Unmarshal(data, &rgd); err != nil {
			return nil, err
		}
	}
	return &rgd, nil
}

// timeBuilds returns the median over passes of the mean time per build within one pass.
func timeBuilds(build func(), passes, ms int) float64 {
	for i := 0; i < 3; i++ {
		build()
	}
	per := make([]float64, 0, passes)
	for p := 0; p < passes; p++ {
		n := 0
		start := time.Now()
		for time.Since(start) < time.Duration(ms)*time.Millisecond {
			build()
			n++
		}
		per = append(per, float64(time.Since(start).Nanoseconds())/float64(n))
	}
	sort.Float64s(per)
	return per[len(per)/2]
}
