package main

import (
	"encoding/json"
	"os"
	"sort"
	"strings"

	"github.com/google/cel-go/common/types"

	krocel "github.com/kubernetes-sigs/kro/pkg/cel"
)

// Overload is one function overload of kro's environment, as the case generator reads it.
type Overload struct {
	Name     string   `json:"name"`
	ID       string   `json:"id"`
	Member   bool     `json:"member"`
	Args     []string `json:"args"`
	Result   string   `json:"result"`
	TypePars []string `json:"typeParams,omitempty"`
}

// typeText writes a cel-go type the way kro-gen's generator parses it: list<int>,
// map<string, dyn>, optional_type<int>, a type parameter as its name.
func typeText(t *types.Type) string {
	params := t.Parameters()
	switch t.Kind() {
	case types.ListKind:
		return "list<" + typeText(params[0]) + ">"
	case types.MapKind:
		return "map<" + typeText(params[0]) + ", " + typeText(params[1]) + ">"
	case types.TypeKind:
		if len(params) == 1 {
			return "type<" + typeText(params[0]) + ">"
		}
		return "type"
	case types.DynKind, types.AnyKind:
		return "dyn"
	}
	name := t.TypeName()
	if len(params) > 0 {
		parts := make([]string, len(params))
		for i, p := range params {
			parts[i] = typeText(p)
		}
		return name + "<" + strings.Join(parts, ", ") + ">"
	}
	return name
}

// printFunctions writes every overload of kro's base environment as JSON lines, sorted.
func printFunctions() error {
	env, err := krocel.DefaultEnvironment()
	if err != nil {
		return err
	}
	var out []Overload
	for name, fn := range env.Functions() {
		for _, o := range fn.OverloadDecls() {
			args := make([]string, len(o.ArgTypes()))
			for i, a := range o.ArgTypes() {
				args[i] = typeText(a)
			}
			out = append(out, Overload{
				Name: name, ID: o.ID(), Member: o.IsMemberFunction(), Args: args,
				Result: typeText(o.ResultType()), TypePars: o.TypeParams(),
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for _, o := range out {
		if err := enc.Encode(o); err != nil {
			return err
		}
	}
	return nil
}
