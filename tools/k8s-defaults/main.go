// Command k8s-defaults lists, for every built-in kind of data/k8s-openapi/builtin.json, the fields
// the API server fills in when it decodes an object that leaves them out, by running Kubernetes'
// own defaulting functions (the SetObjectDefaults_* that the install packages register) on
// objects built from the kind's OpenAPI schema, and comparing what comes out with what went in.
//
// A default whose value came out the same in every probe, and that was filled in in every probe
// where its parent object was present, is recorded with that value; one that varied, or was left
// out in some probe, is recorded as conditional (its value depends on other fields).
// See README.md for the probes and their limits.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"

	apiextensionsinstall "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/install"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	apiregistrationinstall "k8s.io/kube-aggregator/pkg/apis/apiregistration/install"
	"k8s.io/kubernetes/pkg/api/legacyscheme"

	_ "k8s.io/kubernetes/pkg/apis/admissionregistration/install"
	_ "k8s.io/kubernetes/pkg/apis/apiserverinternal/install"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/authentication/install"
	_ "k8s.io/kubernetes/pkg/apis/authorization/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	_ "k8s.io/kubernetes/pkg/apis/certificates/install"
	_ "k8s.io/kubernetes/pkg/apis/coordination/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/apis/discovery/install"
	_ "k8s.io/kubernetes/pkg/apis/events/install"
	_ "k8s.io/kubernetes/pkg/apis/flowcontrol/install"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	_ "k8s.io/kubernetes/pkg/apis/node/install"
	_ "k8s.io/kubernetes/pkg/apis/policy/install"
	_ "k8s.io/kubernetes/pkg/apis/rbac/install"
	_ "k8s.io/kubernetes/pkg/apis/resource/install"
	_ "k8s.io/kubernetes/pkg/apis/scheduling/install"
	_ "k8s.io/kubernetes/pkg/apis/storage/install"
	_ "k8s.io/kubernetes/pkg/apis/storagemigration/install"
)

type builtin struct {
	KubernetesVersion string                                 `json:"kubernetesVersion"`
	Modules           map[string]string                      `json:"modules"`
	Kinds             map[string]struct{ Definition string } `json:"kinds"`
	Definitions       map[string]map[string]any              `json:"definitions"`
}

type shape int

const (
	scalar shape = iota
	object
	mapping
	array
	opaque // preserve-unknown-fields or an object with no declared fields
)

type tool struct {
	defs   map[string]map[string]any
	scheme *runtime.Scheme
}

// resolve follows $ref and single-element allOf wrappers; name is the last definition reached.
func (t *tool) resolve(s map[string]any) (r map[string]any, name string) {
	for s != nil {
		if ref, ok := s["$ref"].(string); ok {
			name = strings.TrimPrefix(ref, "#/definitions/")
			s = t.defs[name]
			continue
		}
		if all, ok := s["allOf"].([]any); ok && len(all) == 1 {
			s, _ = all[0].(map[string]any)
			continue
		}
		return s, name
	}
	return nil, name
}

func shapeOf(s map[string]any) shape {
	if s == nil || s["x-kubernetes-preserve-unknown-fields"] == true {
		return opaque
	}
	if _, ok := s["oneOf"]; ok {
		return scalar // IntOrString, Quantity
	}
	switch s["type"] {
	case "array":
		return array
	case "object":
		if p, ok := s["properties"].(map[string]any); ok && len(p) > 0 {
			return object
		}
		if ap, ok := s["additionalProperties"].(map[string]any); ok && ap != nil {
			return mapping
		}
		return opaque
	case nil:
		if p, ok := s["properties"].(map[string]any); ok && len(p) > 0 {
			return object
		}
		return opaque
	}
	return scalar
}

func props(s map[string]any) map[string]any {
	p, _ := s["properties"].(map[string]any)
	return p
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// samples are the values a scalar field is tried with: the first is used when building objects.
// Strings are tried with and without an image-style tag, since that is what one default parses.
func samples(s map[string]any) []any {
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		return e
	}
	if s["x-kubernetes-int-or-string"] == true || s["format"] == "int-or-string" {
		return []any{int64(1), "50%"}
	}
	if _, ok := s["oneOf"]; ok {
		return []any{"1", "2"}
	}
	switch s["type"] {
	case "boolean":
		return []any{true, false}
	case "integer":
		return []any{int64(1), int64(2)}
	case "number":
		return []any{float64(1), float64(2)}
	case "string":
		switch s["format"] {
		case "date-time":
			return []any{"2020-01-01T00:00:00.000000Z"}
		case "byte":
			return []any{"YQ=="}
		}
		return []any{"a", "a:1"}
	}
	return nil
}

// full builds the largest object of schema s: every object-valued field present, one element in
// every list, one entry in every map, and no scalar field set. Recursive definitions stop at
// their second occurrence on the way down.
func (t *tool) full(s map[string]any, stack []string) any {
	r, name := t.resolve(s)
	if name != "" {
		for _, n := range stack {
			if n == name {
				return nil
			}
		}
		stack = append(stack, name)
	}
	switch shapeOf(r) {
	case object:
		m := map[string]any{}
		for _, k := range sortedKeys(props(r)) {
			ps, _ := props(r)[k].(map[string]any)
			if v := t.full(ps, stack); v != nil {
				m[k] = v
			}
		}
		return m
	case mapping:
		ap := r["additionalProperties"].(map[string]any)
		if v := t.element(ap, stack); v != nil {
			return map[string]any{"k": v}
		}
	case array:
		items, _ := r["items"].(map[string]any)
		if v := t.element(items, stack); v != nil {
			return []any{v}
		}
	}
	return nil
}

// element is a list item or map value: scalars get a sample, since an empty list is no probe.
func (t *tool) element(s map[string]any, stack []string) any {
	r, _ := t.resolve(s)
	if shapeOf(r) == scalar {
		if v := samples(r); len(v) > 0 {
			return v[0]
		}
		return nil
	}
	return t.full(s, stack)
}

type observation struct {
	values  map[string]int // JSON of the value written -> probes
	written int
	missed  int // probes where the parent was present, the field absent and not filled in
	zero    bool
}

type recorder map[string]*observation

func (rec recorder) get(p string) *observation {
	o := rec[p]
	if o == nil {
		o = &observation{values: map[string]int{}, zero: true}
		rec[p] = o
	}
	return o
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// walk compares what went in (in), what the typed object serialises to before defaulting (base)
// and after (out). A field absent from in but present in out was written by the server: by
// defaulting, or (zero) because its Go field has no omitempty and serialises its zero value.
func (t *tool) walk(in, base, out any, s map[string]any, path string, rec recorder) {
	r, _ := t.resolve(s)
	switch shapeOf(r) {
	case object:
		im, _ := in.(map[string]any)
		bm, _ := base.(map[string]any)
		om, _ := out.(map[string]any)
		if om == nil {
			return
		}
		required := map[string]bool{}
		if req, ok := r["required"].([]any); ok {
			for _, k := range req {
				required[fmt.Sprint(k)] = true
			}
		}
		for _, k := range sortedKeys(props(r)) {
			if path == "" && (k == "status" || k == "apiVersion" || k == "kind") {
				continue
			}
			ps, _ := props(r)[k].(map[string]any)
			p := join(path, k)
			iv, inHas := im[k]
			ov, outHas := om[k]
			bv, baseHas := bm[k]
			switch {
			case inHas && outHas:
				t.walk(iv, bv, ov, ps, p, rec)
			case required[k]:
				// The server refuses an object without a required field: no one reads its default.
			case !inHas && outHas:
				o := rec.get(p)
				o.written++
				if pr, _ := t.resolve(ps); pr["format"] == "date-time" {
					o.missed++ // the server's clock: never a constant
				}
				js, _ := json.Marshal(withoutNulls(ov))
				o.values[string(js)]++
				if !baseHas || !reflect.DeepEqual(bv, ov) {
					o.zero = false
				}
			case !inHas:
				rec.get(p).missed++
			}
		}
	case array:
		il, _ := in.([]any)
		bl, _ := base.([]any)
		ol, _ := out.([]any)
		items, _ := r["items"].(map[string]any)
		for i := 0; i < len(il) && i < len(ol); i++ {
			var b any
			if i < len(bl) {
				b = bl[i]
			}
			t.walk(il[i], b, ol[i], items, path+"[]", rec)
		}
	case mapping:
		im, _ := in.(map[string]any)
		bm, _ := base.(map[string]any)
		om, _ := out.(map[string]any)
		ap := r["additionalProperties"].(map[string]any)
		for _, k := range sortedKeys(im) {
			if ov, ok := om[k]; ok {
				t.walk(im[k], bm[k], ov, ap, path+".*", rec)
			}
		}
	}
}

// withoutNulls drops the null fields of a defaulted value: they are the unset required fields of
// an object the probe built, absent from any object the server accepts.
func withoutNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e != nil {
				out[k] = withoutNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = withoutNulls(e)
		}
		return out
	}
	return v
}

// probe decodes in into the kind's Go type, serialises it, defaults it and serialises it again.
func (t *tool) probe(gvk schema.GroupVersionKind, in map[string]any) (base, out map[string]any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	obj, err := t.scheme.New(gvk)
	if err != nil {
		return nil, nil, err
	}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(in, obj); err != nil {
		return nil, nil, err
	}
	if base, err = runtime.DefaultUnstructuredConverter.ToUnstructured(obj); err != nil {
		return nil, nil, err
	}
	t.scheme.Default(obj)
	out, err = runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	return base, out, err
}

type step struct {
	key   string
	index bool
}

// nodes lists the route to every object in v (map values and list items included).
func nodes(v any, route []step, out *[][]step) {
	switch x := v.(type) {
	case map[string]any:
		*out = append(*out, append([]step(nil), route...))
		for _, k := range sortedKeys(x) {
			nodes(x[k], append(route, step{key: k}), out)
		}
	case []any:
		if len(x) > 0 {
			nodes(x[0], append(route, step{index: true}), out)
		}
	}
}

// skeleton is the object holding only the route's chain of objects, ending in an empty one; each
// list on the way has one element.
func skeleton(head map[string]any, route []step) (root, leaf map[string]any) {
	root = copyMap(head)
	root["metadata"] = copyMap(head["metadata"].(map[string]any))
	cur := root
	for i, st := range route {
		if st.index {
			continue // the key step before it made the list
		}
		elem, ok := cur[st.key].(map[string]any)
		if !ok {
			elem = map[string]any{}
		}
		if i+1 < len(route) && route[i+1].index {
			cur[st.key] = []any{elem}
		} else {
			cur[st.key] = elem
		}
		cur = elem
	}
	return root, cur
}

// schemaAt is the schema of the object a route leads to.
func (t *tool) schemaAt(s map[string]any, route []step) map[string]any {
	for _, st := range route {
		r, _ := t.resolve(s)
		switch {
		case st.index:
			s, _ = r["items"].(map[string]any)
		case props(r)[st.key] != nil:
			s, _ = props(r)[st.key].(map[string]any)
		default:
			s, _ = r["additionalProperties"].(map[string]any)
		}
	}
	r, _ := t.resolve(s)
	return r
}

func copyMap(m map[string]any) map[string]any {
	c := map[string]any{}
	for k, v := range m {
		c[k] = v
	}
	return c
}

// nestedList says whether the route enters a list of lists, which skeleton does not build.
func nestedList(route []step) bool {
	for i := 1; i < len(route); i++ {
		if route[i].index && route[i-1].index {
			return true
		}
	}
	return false
}

// slot is a scalar field of the full object, with the values it is tried with.
type slot struct {
	parent  map[string]any
	key     string
	samples []any
}

func (t *tool) slots(v any, s map[string]any, out *[]slot) {
	r, _ := t.resolve(s)
	switch shapeOf(r) {
	case object:
		m, _ := v.(map[string]any)
		if m == nil {
			return
		}
		for _, k := range sortedKeys(props(r)) {
			ps, _ := props(r)[k].(map[string]any)
			pr, _ := t.resolve(ps)
			if child, ok := m[k]; ok {
				t.slots(child, ps, out)
			} else if shapeOf(pr) == scalar && k != "apiVersion" && k != "kind" {
				*out = append(*out, slot{parent: m, key: k, samples: samples(pr)})
			}
		}
	case array:
		l, _ := v.([]any)
		items, _ := r["items"].(map[string]any)
		for _, x := range l {
			t.slots(x, items, out)
		}
	case mapping:
		m, _ := v.(map[string]any)
		ap := r["additionalProperties"].(map[string]any)
		for _, k := range sortedKeys(m) {
			t.slots(m[k], ap, out)
		}
	}
}

type row struct {
	Value       json.RawMessage `json:"value,omitempty"`
	Conditional bool            `json:"conditional,omitempty"`
	Zero        bool            `json:"zero,omitempty"`
	By          string          `json:"by,omitempty"`
}

// Fields the API server sets outside the defaulting functions, so the probes above cannot see
// them. Their values are the cluster's (uids, times, allocated addresses), never modelled.
// Reviewed against the v1.36.3 sources named in each group; the e2e test
// test/e2e/server-defaults checks that a dry-run create adds nothing that the table misses.
var everyKind = map[string]string{
	// pkg/registry/rest/create.go (BeforeCreate), the etcd3 store and server-side apply.
	"metadata.uid":               "registry",
	"metadata.resourceVersion":   "registry",
	"metadata.creationTimestamp": "registry",
	"metadata.generation":        "registry",
	"metadata.managedFields":     "registry",
}

var serverSet = map[string]map[string]string{
	// pkg/registry/core/service/storage: IP and port allocation; the IP family fields follow the
	// cluster's service CIDRs.
	"v1/Service": {
		"spec.clusterIP":           "allocation",
		"spec.clusterIPs":          "allocation",
		"spec.ipFamilies":          "allocation",
		"spec.ipFamilyPolicy":      "allocation",
		"spec.ports[].nodePort":    "allocation",
		"spec.healthCheckNodePort": "allocation",
	},
	// plugin/pkg/admission: serviceaccount (the account and its token volume), defaulttolerationseconds,
	// priority. Admission acts on Pods, not on pod templates.
	"v1/Pod": {
		"spec.serviceAccountName":                 "admission",
		"spec.serviceAccount":                     "admission",
		"spec.volumes":                            "admission",
		"spec.containers[].volumeMounts":          "admission",
		"spec.initContainers[].volumeMounts":      "admission",
		"spec.ephemeralContainers[].volumeMounts": "admission",
		"spec.tolerations":                        "admission",
		"spec.priority":                           "admission",
		"spec.preemptionPolicy":                   "admission",
	},
	// pkg/registry/batch/job/strategy.go: a generated selector and matching template labels
	// (with the job's uid) unless manualSelector is set.
	"batch/v1/Job": {
		"spec.selector":                 "registry",
		"spec.template.metadata":        "registry",
		"spec.template.metadata.labels": "registry",
	},
	// pkg/registry/core/namespace/strategy.go: the kubernetes finalizer and the name label.
	"v1/Namespace": {
		"spec":            "registry",
		"spec.finalizers": "registry",
		"metadata.labels": "registry",
	},
	// plugin/pkg/admission/storage/storageobjectinuseprotection: the protection finalizers.
	"v1/PersistentVolumeClaim": {"metadata.finalizers": "admission"},
	"v1/PersistentVolume":      {"metadata.finalizers": "admission"},
	// pkg/registry/apps/statefulset/strategy.go: the claim templates' apiVersion and kind.
	"apps/v1/StatefulSet": {
		"spec.volumeClaimTemplates[].apiVersion": "registry",
		"spec.volumeClaimTemplates[].kind":       "registry",
	},
}

func (t *tool) kind(key, definition string) (map[string]row, int, error) {
	cut := strings.LastIndex(key, "/")
	gvk := schema.FromAPIVersionAndKind(key[:cut], key[cut+1:])
	if !t.scheme.Recognizes(gvk) {
		return nil, 0, nil
	}
	def := map[string]any{"$ref": "#/definitions/" + definition}
	full, _ := t.full(def, nil).(map[string]any)
	delete(full, "status")
	head := map[string]any{"apiVersion": key[:cut], "kind": key[cut+1:], "metadata": map[string]any{"name": "x"}}
	for k, v := range head {
		if k == "metadata" {
			if md, ok := full["metadata"].(map[string]any); ok {
				md["name"] = "x"
				continue
			}
		}
		full[k] = v
	}
	rec := recorder{}
	probes := 0
	run := func(in map[string]any) error {
		probes++
		base, out, err := t.probe(gvk, in)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		t.walk(in, base, out, def, "", rec)
		return nil
	}
	if err := run(full); err != nil {
		return nil, 0, err
	}
	var routes [][]step
	nodes(full, nil, &routes)
	for _, route := range routes {
		if len(route) > 0 && route[0].key == "status" || nestedList(route) {
			continue
		}
		root, leaf := skeleton(head, route)
		if err := run(root); err != nil {
			return nil, 0, err
		}
		// The empty object with one of its own scalars set: finds defaults of a sibling that
		// depend on it (a Deployment strategy's rollingUpdate only for type RollingUpdate).
		s := t.schemaAt(def, route)
		if shapeOf(s) != object {
			continue
		}
		for _, k := range sortedKeys(props(s)) {
			ps, _ := props(s)[k].(map[string]any)
			pr, _ := t.resolve(ps)
			if shapeOf(pr) != scalar || len(route) == 0 && (k == "apiVersion" || k == "kind") {
				continue
			}
			saved, had := leaf[k]
			for _, v := range samples(pr) {
				leaf[k] = v
				if err := run(root); err != nil {
					return nil, 0, err
				}
			}
			if had {
				leaf[k] = saved
			} else {
				delete(leaf, k)
			}
		}
	}
	var ss []slot
	t.slots(full, def, &ss)
	for _, sl := range ss {
		for _, v := range sl.samples {
			sl.parent[sl.key] = v
			err := run(full)
			delete(sl.parent, sl.key)
			if err != nil {
				return nil, 0, err
			}
		}
	}
	rows := map[string]row{}
	for p, by := range serverSet[key] {
		rows[p] = row{By: by}
	}
	for p, o := range rec {
		if rows[p].By != "" {
			continue
		}
		if o.written == 0 {
			continue
		}
		rw := row{Zero: o.zero}
		if o.missed == 0 && len(o.values) == 1 {
			for v := range o.values {
				rw.Value = json.RawMessage(v)
			}
		} else {
			rw.Conditional = true
		}
		rows[p] = rw
	}
	return rows, probes, nil
}

// checkRelease makes sure this program links the Kubernetes release builtin.json was generated
// from (the output header repeats builtin.json's module versions).
func checkRelease(want map[string]string) error {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Errorf("no build info: build with module support")
	}
	for _, dep := range info.Deps {
		if dep.Path == "k8s.io/kubernetes" {
			if dep.Version != want[dep.Path] {
				return fmt.Errorf("linked k8s.io/kubernetes %s, builtin.json has %s: align go.mod", dep.Version, want[dep.Path])
			}
			return nil
		}
	}
	return fmt.Errorf("k8s.io/kubernetes not in build info")
}

func main() {
	in := flag.String("builtin", "../../data/k8s-openapi/builtin.json", "the bundled OpenAPI data")
	outFile := flag.String("out", "../../data/k8s-openapi/defaults.json", "where to write the table")
	flag.Parse()
	if err := generate(*in, *outFile); err != nil {
		fmt.Fprintln(os.Stderr, "k8s-defaults:", err)
		os.Exit(1)
	}
}

func generate(inFile, outFile string) error {
	raw, err := os.ReadFile(inFile)
	if err != nil {
		return err
	}
	var b builtin
	if err := json.Unmarshal(raw, &b); err != nil {
		return err
	}
	scheme := legacyscheme.Scheme
	apiextensionsinstall.Install(scheme)
	apiregistrationinstall.Install(scheme)
	t := &tool{defs: b.Definitions, scheme: scheme}
	if err := checkRelease(b.Modules); err != nil {
		return err
	}
	var buf bytes.Buffer
	header, _ := json.Marshal(b.Modules)
	fmt.Fprintf(&buf, "{\n\"kubernetesVersion\": %q,\n\"generatedBy\": \"tools/k8s-defaults (npm run gen:k8s-defaults)\",\n\"modules\": %s,\n", b.KubernetesVersion, header)
	buf.WriteString("\"kinds\": {")
	first := true
	var skipped []string
	total := 0
	for _, key := range sortedKeys(b.Kinds) {
		rows, probes, err := t.kind(key, b.Kinds[key].Definition)
		if err != nil {
			return err
		}
		if probes == 0 {
			skipped = append(skipped, key)
			continue
		}
		fmt.Fprintf(os.Stderr, "%s: %d probes, %d fields\n", key, probes, len(rows))
		if !first {
			buf.WriteString(",")
		}
		first = false
		fmt.Fprintf(&buf, "\n%q: {", key)
		for i, p := range sortedKeys(rows) {
			if i > 0 {
				buf.WriteString(",")
			}
			js, _ := json.Marshal(rows[p])
			fmt.Fprintf(&buf, "\n  %q: %s", p, js)
			total++
		}
		buf.WriteString("\n}")
	}
	buf.WriteString("\n},\n\"everyKind\": {")
	for i, p := range sortedKeys(everyKind) {
		if i > 0 {
			buf.WriteString(",")
		}
		js, _ := json.Marshal(row{By: everyKind[p]})
		fmt.Fprintf(&buf, "\n  %q: %s", p, js)
	}
	buf.WriteString("\n}\n}\n")
	if len(skipped) > 0 {
		fmt.Fprintf(os.Stderr, "no Go type registered (not judged): %s\n", strings.Join(skipped, ", "))
	}
	fmt.Fprintf(os.Stderr, "%d fields\n", total)
	var check any
	if err := json.Unmarshal(buf.Bytes(), &check); err != nil {
		return fmt.Errorf("output is not JSON: %w", err)
	}
	return os.WriteFile(outFile, buf.Bytes(), 0o644)
}
