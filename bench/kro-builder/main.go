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
// Usage: kro-builder [-resolver bundled|fake] -openapi builtin.json -ms 150
// Reads one RGD file path per line on stdin and answers each with one timed pass on it, as a
// JSON line: {"file", "nsPerBuild" (wall), "cpuNsPerBuild" (CPU time of the process), "error"}.
// The caller alternates passes with its own, so both meet the same neighbours on a shared machine.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	apiresolver "k8s.io/apiserver/pkg/cel/openapi/resolver"
	memory "k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/restmapper"
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
	File          string  `json:"file"`
	NsPerBuild    float64 `json:"nsPerBuild,omitempty"`
	CPUNsPerBuild float64 `json:"cpuNsPerBuild,omitempty"`
	Error         string  `json:"error,omitempty"`
}

func main() {
	openapi := flag.String("openapi", "", "kro-gen's data/k8s-openapi/builtin.json")
	resolverKind := flag.String("resolver", "bundled", "bundled (the -openapi file) or fake (kro's benchmark resolver)")
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
	rgds := map[string]*v1alpha1.ResourceGraphDefinition{}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		file := in.Text()
		r := result{File: file}
		rgd, seen := rgds[file]
		var err error
		if !seen {
			// The first time: decode, check that kro accepts it, and warm up.
			rgd, err = readRgd(file)
			if err == nil {
				_, err = builder.NewResourceGraphDefinition(rgd, config)
			}
			if err != nil {
				rgd = nil
			} else {
				for i := 0; i < 3; i++ {
					_, _ = builder.NewResourceGraphDefinition(rgd, config)
				}
			}
			rgds[file] = rgd
		}
		switch {
		case err != nil:
			r.Error = err.Error()
		case rgd == nil:
			r.Error = "refused"
		default:
			r.NsPerBuild, r.CPUNsPerBuild = timePass(func() { _, _ = builder.NewResourceGraphDefinition(rgd, config) }, *ms)
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
	if err := yaml.Unmarshal(data, &rgd); err != nil {
		return nil, err
	}
	return &rgd, nil
}

func cpuNow() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// timePass builds for about ms milliseconds and returns the wall and CPU time per build.
func timePass(build func(), ms int) (float64, float64) {
	n := 0
	cpu := cpuNow()
	start := time.Now()
	for time.Since(start) < time.Duration(ms)*time.Millisecond {
		build()
		n++
	}
	wall := float64(time.Since(start).Nanoseconds()) / float64(n)
	return wall, float64((cpuNow() - cpu).Nanoseconds()) / float64(n)
}
