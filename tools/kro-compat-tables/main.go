// Converts the test tables of kro's CRD compatibility checker (pkg/graph/crd/compat: schema_test.go,
// compat_test.go) into test/conformance/kro/crd-compat.json. It reads the Go files as syntax trees and
// turns each table row's literal into JSON; nothing of kro is built or run. How each suite calls the
// checker (the loop around the table) is not data, so it is written down here per suite.
package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

// How each Go test function runs its rows: the function it calls, the path it passes, and how it
// builds the two schemas from a row (the Go loop body, restated).
var suites = map[string]map[string]any{
	"TestCompareSchemas":        {"call": "Compare", "schemas": "row.oldSchema / row.newSchema"},
	"TestCompareConstraints":    {"call": "Compare", "schemas": "row.oldSchema / row.newSchema"},
	"TestCompareProperties":     {"call": "compareProperties", "path": "root", "schemas": "{type: object, properties: row.oldProps|newProps, required: row.oldRequired|newRequired}"},
	"TestCompareRequiredFields": {"call": "compareRequiredFields", "path": "root", "schemas": "{type: object, properties: row.oldProps|newProps, required: row.oldRequired|newRequired}"},
	"TestCompareEnumValues":     {"call": "compareEnumValues", "path": "root", "schemas": "{type: string, enum: row.oldEnum|newEnum}"},
	"TestCompareArrayItems":     {"call": "compareArrayItems", "path": "root", "schemas": "{type: array, items: row.oldItems|newItems}"},
	"TestCompareVersions":       {"call": "CompareVersions", "schemas": "row.oldVersions / row.newVersions"},
}

// The assertions each suite makes, per row field (the Go loop body, restated).
var asserts = map[string]string{
	"TestCompareSchemas":        "breakingCount>0: incompatible, len(breaking)==breakingCount, expectedChangeType (if set) == breaking[0].type; else compatible. nonBreakingCount>0: len(nonBreaking)==nonBreakingCount",
	"TestCompareConstraints":    "as TestCompareSchemas",
	"TestCompareProperties":     "breakingCount>0: hasBreaking, len(breaking)==breakingCount, expectedChangeType (if set) == breaking[0].type; else no breaking. nonBreakingCount>0: len(nonBreaking)==nonBreakingCount",
	"TestCompareRequiredFields": "as TestCompareProperties, with checkBreakingType",
	"TestCompareEnumValues":     "expectBreaking: hasBreaking, len(breaking)==breakingCount, checkBreakingType (if set) == breaking[0].type; else no breaking. nonBreakingCount>0: len(nonBreaking)==nonBreakingCount",
	"TestCompareArrayItems":     "as TestCompareEnumValues",
	"TestCompareVersions":       "expectError: error containing errorMessage (if set). Else expectBreaking: incompatible, len(breaking)==breakingCount, checkBreakingType (if set) == breaking[0].type; else compatible. nonBreakingCount>0: len(nonBreaking)==nonBreakingCount",
}

type converter struct {
	fset   *token.FileSet
	consts map[string]string
}

func lowerFirst(s string) string {
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

func typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.Ident:
		return t.Name
	}
	return ""
}

// value turns a Go literal expression into its JSON value; schema types keep their JSON field names.
func (c *converter) value(e ast.Expr) (any, error) {
	switch v := e.(type) {
	case *ast.BasicLit:
		switch v.Kind {
		case token.STRING:
			return strconv.Unquote(v.Value)
		case token.INT:
			return strconv.ParseInt(v.Value, 0, 64)
		case token.FLOAT:
			return strconv.ParseFloat(v.Value, 64)
		}
	case *ast.Ident:
		switch v.Name {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "nil":
			return nil, nil
		}
		if s, ok := c.consts[v.Name]; ok {
			return s, nil
		}
	case *ast.UnaryExpr:
		if v.Op == token.AND {
			return c.value(v.X)
		}
	case *ast.CallExpr:
		// floatPtr(5), intPtr(3), []byte("...")
		if len(v.Args) == 1 {
			return c.value(v.Args[0])
		}
	case *ast.CompositeLit:
		return c.composite(v)
	}
	return nil, fmt.Errorf("%s: unsupported expression %T", c.fset.Position(e.Pos()), e)
}

func (c *converter) composite(v *ast.CompositeLit) (any, error) {
	name := typeName(v.Type)
	if _, isArray := v.Type.(*ast.ArrayType); isArray || (len(v.Elts) > 0 && !isKeyed(v.Elts[0])) {
		out := []any{}
		for _, el := range v.Elts {
			x, err := c.value(el)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		return out, nil
	}
	obj := map[string]any{}
	for _, el := range v.Elts {
		kv := el.(*ast.KeyValueExpr)
		x, err := c.value(kv.Value)
		if err != nil {
			return nil, err
		}
		var key string
		switch k := kv.Key.(type) {
		case *ast.Ident: // a struct field: its JSON name
			key = lowerFirst(k.Name)
		case *ast.BasicLit: // a map key
			key, err = strconv.Unquote(k.Value)
			if err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%s: unsupported key %T", c.fset.Position(kv.Pos()), kv.Key)
		}
		obj[key] = x
	}
	// v1.JSON{Raw: ...} is the JSON value its bytes hold; v1.JSONSchemaPropsOrArray{Schema: s} is s.
	if raw, ok := obj["raw"].(string); ok && len(obj) == 1 {
		var parsed any
		if err := json.Unmarshal([]byte(raw), &parsed); err != nil {
			return nil, err
		}
		return parsed, nil
	}
	if name == "JSONSchemaPropsOrArray" {
		return obj["schema"], nil
	}
	return obj, nil
}

func isKeyed(e ast.Expr) bool {
	_, ok := e.(*ast.KeyValueExpr)
	return ok
}

func readConsts(path string) (map[string]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for i, id := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						out[id.Name] = s
					}
				}
			}
		}
		return true
	})
	return out, nil
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			b.WriteRune('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

func blob(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}

func main() {
	kro := flag.String("kro", "", "kro module directory (e.g. $(go env GOMODCACHE)/github.com/kubernetes-sigs/kro@v0.9.3)")
	out := flag.String("out", "", "output JSON file")
	flag.Parse()
	dir := filepath.Join(*kro, "pkg/graph/crd/compat")
	consts, err := readConsts(filepath.Join(dir, "changes.go"))
	check(err)
	var cases []map[string]any
	sources := []map[string]any{}
	for _, file := range []string{"schema_test.go", "compat_test.go"} {
		path := filepath.Join(dir, file)
		id, err := blob(path)
		check(err)
		sources = append(sources, map[string]any{"file": "pkg/graph/crd/compat/" + file, "blob": id})
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		check(err)
		c := &converter{fset: fset, consts: consts}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || !strings.HasPrefix(fn.Name.Name, "Test") {
				continue
			}
			suite := fn.Name.Name
			if suites[suite] == nil {
				check(fmt.Errorf("%s: suite %s has no calling convention here", file, suite))
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				as, ok := n.(*ast.AssignStmt)
				if !ok || len(as.Lhs) != 1 || typeName(as.Lhs[0]) != "tests" {
					return true
				}
				table := as.Rhs[0].(*ast.CompositeLit)
				for _, row := range table.Elts {
					v, err := c.value(row)
					check(err)
					fields := v.(map[string]any)
					name, _ := fields["name"].(string)
					delete(fields, "name")
					cases = append(cases, map[string]any{
						"id":     "crd-compat/" + suite + "/" + slug(name),
						"suite":  suite,
						"name":   name,
						"call":   suites[suite],
						"row":    fields,
						"source": map[string]any{"file": "pkg/graph/crd/compat/" + file, "func": suite, "funcLine": fset.Position(fn.Pos()).Line, "line": fset.Position(row.Pos()).Line},
					})
				}
				return false
			})
		}
	}
	doc := map[string]any{
		"sources":    sources,
		"assertions": asserts,
		"cases":      cases,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	check(enc.Encode(doc))
	check(os.WriteFile(*out, buf.Bytes(), 0o644))
	fmt.Fprintf(os.Stderr, "%d cases\n", len(cases))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
