package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"k8s.io/kube-openapi/pkg/builder3"
	"k8s.io/kube-openapi/pkg/common"
	"k8s.io/kube-openapi/pkg/validation/spec"
	generatedopenapi "k8s.io/kubernetes/pkg/generated/openapi"
)

const (
	// Where builder3 points references (the /openapi/v3 document layout).
	servedRefPrefix = "#/components/schemas/"
	// Where they point in our data file, so they are valid JSON pointers in it.
	dataRefPrefix = "#/definitions/"
)

// modelName is the OpenAPI definition name of a versioned API type.
func modelName(obj any) (string, error) {
	named, ok := obj.(interface{ OpenAPIModelName() string })
	if !ok {
		return "", fmt.Errorf("%T has no OpenAPI model name", obj)
	}
	return named.OpenAPIModelName(), nil
}

// buildDefinitions turns the compiled-in OpenAPI definitions into the v3
// component schemas the API server publishes under /openapi/v3, restricted to
// the given models and everything they reference, and the summaries of
// their descriptions (describeDefinition), which the schemas drop.
func buildDefinitions(models []string) (map[string]any, map[string]map[string]string, error) {
	config := &common.OpenAPIV3Config{
		GetDefinitions: generatedopenapi.GetOpenAPIDefinitions,
		// Model names are already the published, REST-friendly names.
		GetDefinitionName: func(name string) (string, spec.Extensions) { return name, nil },
	}
	schemas, err := builder3.BuildOpenAPIDefinitionsForResources(config, models...)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[string]any, len(schemas))
	described := make(map[string]map[string]string, len(schemas))
	for name, s := range schemas {
		raw, err := json.Marshal(s)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		var node map[string]any
		if err := json.Unmarshal(raw, &node); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = slimSchema(node)
		if d := describeDefinition(node); len(d) > 0 {
			described[name] = d
		}
	}
	return out, described, nil
}

// droppedKeys carry documentation or server-side-apply hints; nothing that
// decides what a value may be. Dropping them shrinks the data by about 4x.
var droppedKeys = map[string]bool{
	"description":                     true,
	"example":                         true,
	"externalDocs":                    true,
	"title":                           true,
	"x-kubernetes-group-version-kind": true, // the kinds table holds this
	"x-kubernetes-patch-strategy":     true,
	"x-kubernetes-patch-merge-key":    true,
}

// slimSchema rewrites one schema node: drops documentation, re-points
// references into the data file, unwraps allOf wrappers left with a single
// $ref once documentation is gone, and marks int-or-string the way CRD
// schemas do so consumers need to test only one marker.
func slimSchema(node map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range node {
		if droppedKeys[k] {
			continue
		}
		switch k {
		case "$ref":
			if ref, ok := v.(string); ok {
				v = dataRefPrefix + strings.TrimPrefix(ref, servedRefPrefix)
			}
		case "properties", "patternProperties":
			v = slimSchemaMap(v)
		case "items", "additionalProperties", "not":
			v = slimSchemaOrOther(v)
		case "allOf", "anyOf", "oneOf":
			v = slimSchemaList(v)
		}
		out[k] = v
	}
	if out["format"] == "int-or-string" {
		out["x-kubernetes-int-or-string"] = true
	}
	if all, ok := out["allOf"].([]any); ok && len(all) == 1 && len(out) == 1 {
		if only, ok := all[0].(map[string]any); ok {
			return only
		}
	}
	return out
}

func slimSchemaMap(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for name, s := range m {
		out[name] = slimSchemaOrOther(s)
	}
	return out
}

func slimSchemaList(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = slimSchemaOrOther(s)
	}
	return out
}

// slimSchemaOrOther handles positions that hold a schema or, in OpenAPI,
// sometimes a boolean or a list of schemas.
func slimSchemaOrOther(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return slimSchema(t)
	case []any:
		return slimSchemaList(t)
	default:
		return v
	}
}
