// cel-oracle evaluates CEL expressions in kro v0.9.3's own CEL environment, for kro-gen's
// differential fuzzing (test/fuzz/cel, docs/cel.md). It reads cases as JSON lines on stdin and
// writes one result line per case on stdout, in order, flushing after each batch (an empty line
// or end of input), so a caller can keep one process running behind a pipe.
//
// A case without a schema declares each variable as dyn (kro's resource ids are dyn); a case with
// a SimpleSchema builds the instance CRD schema the way kro's graph builder does and declares
// `schema` typed, wrapping the instance object with that schema as kro's runtime does.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apiserver/pkg/cel/openapi"
	"k8s.io/kube-openapi/pkg/validation/spec"

	"github.com/kubernetes-sigs/kro/api/v1alpha1"
	krocel "github.com/kubernetes-sigs/kro/pkg/cel"
	celunstructured "github.com/kubernetes-sigs/kro/pkg/cel/unstructured"
	"github.com/kubernetes-sigs/kro/pkg/graph/crd"
	kroschema "github.com/kubernetes-sigs/kro/pkg/graph/schema"
	"github.com/kubernetes-sigs/kro/pkg/simpleschema"
)

// Case is one expression to evaluate.
type Case struct {
	ID   string `json:"id"`
	Expr string `json:"expr"`
	// Vars are dyn variables in the typed value encoding (see decode).
	Vars map[string]json.RawMessage `json:"vars,omitempty"`
	// Schema is a SimpleSchema `spec` block; Instance is the plain JSON object bound to `schema`.
	Schema   map[string]any `json:"schema,omitempty"`
	Instance map[string]any `json:"instance,omitempty"`
}

// Result is a value with its CEL type, or an error class with its message.
type Result struct {
	ID      string `json:"id"`
	Value   any    `json:"value,omitempty"`
	Error   string `json:"error,omitempty"`
	Message string `json:"message,omitempty"`
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--functions" {
		if err := printFunctions(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, err := in.ReadBytes('\n')
		text := strings.TrimSpace(string(line))
		if text == "" {
			if ferr := out.Flush(); ferr != nil {
				os.Exit(1)
			}
		} else {
			var c Case
			var r Result
			dec := json.NewDecoder(strings.NewReader(text))
			dec.UseNumber()
			if jerr := dec.Decode(&c); jerr != nil {
				r = Result{Error: "bad_case", Message: jerr.Error()}
			} else {
				r = evaluate(c)
			}
			r.ID = c.ID
			if eerr := enc.Encode(r); eerr != nil {
				fmt.Fprintln(os.Stderr, eerr)
				os.Exit(1)
			}
		}
		if err == io.EOF {
			_ = out.Flush()
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func evaluate(c Case) (r Result) {
	defer func() {
		if p := recover(); p != nil {
			r = Result{Error: "panic", Message: fmt.Sprint(p)}
		}
	}()
	activation := map[string]any{}
	names := make([]string, 0, len(c.Vars))
	for name := range c.Vars {
		names = append(names, name)
	}
	sort.Strings(names)
	// Declared dyn: the values come in typed, as kro's runtime activation hands over whatever the
	// objects hold. (kro's WithResourceIDs declares `any`, which cel-go refuses to iterate.)
	decls := make([]cel.EnvOption, len(names))
	for i, name := range names {
		decls[i] = cel.Variable(name, cel.DynType)
	}
	options := []krocel.EnvOption{krocel.WithCustomDeclarations(decls)}
	if c.Schema != nil {
		s, serr := instanceSchema(c.Schema)
		if serr != nil {
			return Result{Error: "bad_case", Message: serr.Error()}
		}
		options = append(options, krocel.WithTypedResources(map[string]*spec.Schema{"schema": s}))
		instance := c.Instance
		if instance == nil {
			instance = map[string]any{}
		}
		activation["schema"] = celunstructured.UnstructuredToVal(normalizeJSON(instance), &openapi.Schema{Schema: s})
	}
	env, err := krocel.DefaultEnvironment(options...)
	if err != nil {
		return Result{Error: "bad_case", Message: err.Error()}
	}
	for name, raw := range c.Vars {
		v, derr := decode(raw)
		if derr != nil {
			return Result{Error: "bad_case", Message: fmt.Sprintf("variable %s: %v", name, derr)}
		}
		activation[name] = v
	}
	// As kro's graph builder: parse, check, then program with default options.
	parsed, iss := env.Parse(c.Expr)
	if iss != nil && iss.Err() != nil {
		return Result{Error: "compile", Message: iss.Err().Error()}
	}
	checked, iss := env.Check(parsed)
	if iss != nil && iss.Err() != nil {
		return Result{Error: "compile", Message: iss.Err().Error()}
	}
	prg, err := env.Program(checked)
	if err != nil {
		return Result{Error: "compile", Message: err.Error()}
	}
	val, _, err := prg.Eval(activation)
	if err != nil {
		return Result{Error: errorClass(err.Error()), Message: err.Error()}
	}
	enc, err := encode(val)
	if err != nil {
		return Result{Error: "unencodable", Message: err.Error()}
	}
	return Result{Value: enc}
}

// errorClass sorts cel-go's evaluation errors into the classes both sides report.
func errorClass(msg string) string {
	switch {
	case strings.Contains(msg, "no such overload"), strings.Contains(msg, "no matching overload"):
		return "no_such_overload"
	case strings.Contains(msg, "division by zero"), strings.Contains(msg, "modulus by zero"):
		return "division_by_zero"
	case strings.Contains(msg, "overflow"), strings.Contains(msg, "out of range"), strings.Contains(msg, "range error"):
		return "overflow"
	case strings.Contains(msg, "index out of bounds"), strings.Contains(msg, "index out of range"):
		return "index_out_of_bounds"
	case strings.Contains(msg, "no such key"):
		return "no_such_key"
	}
	return "other"
}

// instanceSchema is the `schema` variable's OpenAPI schema as kro's graph builder derives it: the
// instance CRD from the SimpleSchema, without status, with the full ObjectMeta schema.
func instanceSchema(simple map[string]any) (*spec.Schema, error) {
	specProps, err := simpleschema.ToOpenAPISpec(simple, map[string]any{})
	if err != nil {
		return nil, err
	}
	c := crd.SynthesizeCRD("fuzz.kro.run", "v1alpha1", "Fuzz", *specProps, extv1.JSONSchemaProps{}, true,
		extv1.NamespaceScoped, &v1alpha1.Schema{})
	props := c.Spec.Versions[0].Schema.OpenAPIV3Schema.DeepCopy()
	delete(props.Properties, "status")
	s, err := kroschema.ConvertJSONSchemaPropsToSpecSchema(props)
	if err != nil {
		return nil, err
	}
	if s.Properties == nil {
		s.Properties = map[string]spec.Schema{}
	}
	s.Properties["metadata"] = kroschema.ObjectMetaSchema
	return s, nil
}

// normalizeJSON turns encoding/json's float64 numbers into int64 where integral, as Kubernetes'
// unstructured decoding does.
func normalizeJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalizeJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeJSON(e)
		}
		return out
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x)
		}
		return x
	}
	return v
}

// typed is the value encoding shared with the TypeScript side (test/fuzz/cel/values.ts):
// {"t": type, "v": value}; 64-bit numbers and doubles travel as strings so that nothing is lost.
type typed struct {
	T string               `json:"t"`
	V json.RawMessage      `json:"v,omitempty"`
	E [][2]json.RawMessage `json:"e,omitempty"`
	L []json.RawMessage    `json:"l,omitempty"`
}

func decode(raw json.RawMessage) (ref.Val, error) {
	var t typed
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, err
	}
	str := func() (string, error) {
		var s string
		err := json.Unmarshal(t.V, &s)
		return s, err
	}
	switch t.T {
	case "null":
		return types.NullValue, nil
	case "bool":
		var b bool
		err := json.Unmarshal(t.V, &b)
		return types.Bool(b), err
	case "int":
		s, err := str()
		if err != nil {
			return nil, err
		}
		i, err := strconv.ParseInt(s, 10, 64)
		return types.Int(i), err
	case "uint":
		s, err := str()
		if err != nil {
			return nil, err
		}
		u, err := strconv.ParseUint(s, 10, 64)
		return types.Uint(u), err
	case "double":
		s, err := str()
		if err != nil {
			return nil, err
		}
		f, err := strconv.ParseFloat(s, 64)
		return types.Double(f), err
	case "string":
		s, err := str()
		return types.String(s), err
	case "bytes":
		s, err := str()
		if err != nil {
			return nil, err
		}
		b, err := base64.StdEncoding.DecodeString(s)
		return types.Bytes(b), err
	case "duration":
		s, err := str()
		if err != nil {
			return nil, err
		}
		ns, err := strconv.ParseInt(s, 10, 64)
		return types.Duration{Duration: time.Duration(ns)}, err
	case "timestamp":
		s, err := str()
		if err != nil {
			return nil, err
		}
		ns, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("bad timestamp %q", s)
		}
		sec, nsec := new(big.Int).DivMod(ns, big.NewInt(1e9), new(big.Int))
		return types.Timestamp{Time: time.Unix(sec.Int64(), nsec.Int64()).UTC()}, nil
	case "list":
		items := make([]ref.Val, len(t.L))
		for i, e := range t.L {
			v, err := decode(e)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		return types.NewRefValList(types.DefaultTypeAdapter, items), nil
	case "map":
		m := make(map[ref.Val]ref.Val, len(t.E))
		for _, kv := range t.E {
			k, err := decode(kv[0])
			if err != nil {
				return nil, err
			}
			v, err := decode(kv[1])
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return types.NewRefValMap(types.DefaultTypeAdapter, m), nil
	case "optional":
		if len(t.V) == 0 {
			return types.OptionalNone, nil
		}
		v, err := decode(t.V)
		if err != nil {
			return nil, err
		}
		return types.OptionalOf(v), nil
	}
	return nil, fmt.Errorf("unknown typed value %q", t.T)
}

func formatDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0 && math.Signbit(f):
		return "-0"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// timestampText is seconds since the epoch and nanoseconds, exact for every CEL timestamp.
func timestampText(t time.Time) string {
	ns := new(big.Int).Mul(big.NewInt(t.Unix()), big.NewInt(1e9))
	ns.Add(ns, big.NewInt(int64(t.Nanosecond())))
	return ns.String()
}

func encode(v ref.Val) (any, error) {
	if types.IsError(v) {
		return nil, fmt.Errorf("%v", v)
	}
	name := v.Type().(ref.Type).TypeName()
	out := map[string]any{"t": name}
	switch x := v.(type) {
	case types.Null:
		out["t"] = "null"
	case types.Bool:
		out["v"] = bool(x)
	case types.Int:
		out["v"] = strconv.FormatInt(int64(x), 10)
	case types.Uint:
		out["v"] = strconv.FormatUint(uint64(x), 10)
	case types.Double:
		out["v"] = formatDouble(float64(x))
	case types.String:
		out["v"] = string(x)
	case types.Bytes:
		out["v"] = base64.StdEncoding.EncodeToString([]byte(x))
	case types.Duration:
		out["t"] = "duration"
		out["v"] = strconv.FormatInt(int64(x.Duration), 10)
	case types.Timestamp:
		out["t"] = "timestamp"
		out["v"] = timestampText(x.Time)
	case *types.Optional:
		out["t"] = "optional"
		if x.HasValue() {
			inner, err := encode(x.GetValue())
			if err != nil {
				return nil, err
			}
			out["v"] = inner
		}
	case *types.Type:
		out["t"] = "type"
		out["v"] = x.TypeName()
	default:
		if mapper, ok := v.(traits.Mapper); ok {
			entries := [][2]any{}
			it := mapper.Iterator()
			for it.HasNext() == types.True {
				k := it.Next()
				ke, err := encode(k)
				if err != nil {
					return nil, err
				}
				ve, err := encode(mapper.Get(k))
				if err != nil {
					return nil, err
				}
				entries = append(entries, [2]any{ke, ve})
			}
			if name != "map" {
				out["object"] = name
			}
			out["t"] = "map"
			out["e"] = entries
			return out, nil
		}
		if lister, ok := v.(traits.Lister); ok {
			size, _ := lister.Size().(types.Int)
			items := make([]any, 0, int(size))
			for i := types.Int(0); i < size; i++ {
				e, err := encode(lister.Get(i))
				if err != nil {
					return nil, err
				}
				items = append(items, e)
			}
			out["t"] = "list"
			out["l"] = items
			return out, nil
		}
		// Library types (kubernetes.Quantity, net.IP, ...): their string form.
		if s, ok := v.(fmt.Stringer); ok {
			out["v"] = s.String()
		} else {
			out["v"] = fmt.Sprint(v.Value())
		}
	}
	return out, nil
}
