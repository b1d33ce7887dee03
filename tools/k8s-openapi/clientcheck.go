package main

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	apiextensionsclientset "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apiextensionsclientscheme "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset/scheme"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
	kubeclientscheme "k8s.io/client-go/kubernetes/scheme"
	aggregatorclientset "k8s.io/kube-aggregator/pkg/client/clientset_generated/clientset"
	aggregatorclientscheme "k8s.io/kube-aggregator/pkg/client/clientset_generated/clientset/scheme"
)

// clientScope is what client-gen decided from the +genclient markers on the
// API types: a typed client whose getter takes a namespace is namespaced.
type clientScope map[schema.GroupVersionKind]bool

// typedClientScopes reads the scope of every typed client in the generated
// clientsets, by the shape of their method signatures.
func typedClientScopes() (clientScope, error) {
	out := clientScope{}
	sets := []struct {
		iface  reflect.Type
		scheme *runtime.Scheme
	}{
		{reflect.TypeFor[kubernetes.Interface](), kubeclientscheme.Scheme},
		{reflect.TypeFor[apiextensionsclientset.Interface](), apiextensionsclientscheme.Scheme},
		{reflect.TypeFor[aggregatorclientset.Interface](), aggregatorclientscheme.Scheme},
	}
	for _, set := range sets {
		for i := range set.iface.NumMethod() {
			groupMethod := set.iface.Method(i)
			if groupMethod.Name == "Discovery" || groupMethod.Type.NumIn() != 0 || groupMethod.Type.NumOut() != 1 {
				continue
			}
			if err := addGroupClient(out, groupMethod.Type.Out(0), set.scheme); err != nil {
				return nil, fmt.Errorf("%s: %w", groupMethod.Name, err)
			}
		}
	}
	return out, nil
}

func addGroupClient(out clientScope, group reflect.Type, scheme *runtime.Scheme) error {
	if group.Kind() != reflect.Interface {
		return nil
	}
	for i := range group.NumMethod() {
		getter := group.Method(i)
		if getter.Type.NumOut() != 1 || getter.Type.Out(0).Kind() != reflect.Interface {
			continue
		}
		var namespaced bool
		switch {
		case getter.Type.NumIn() == 0:
			namespaced = false
		case getter.Type.NumIn() == 1 && getter.Type.In(0).Kind() == reflect.String:
			namespaced = true
		default:
			continue
		}
		objType := resourceObjectType(getter.Type.Out(0))
		if objType == nil {
			continue
		}
		obj, ok := reflect.New(objType).Interface().(runtime.Object)
		if !ok {
			continue
		}
		kinds, _, err := scheme.ObjectKinds(obj)
		if err != nil {
			return fmt.Errorf("%s: %w", getter.Name, err)
		}
		for _, gvk := range kinds {
			out[gvk] = namespaced
		}
	}
	return nil
}

// resourceObjectType is the struct a typed resource client reads or writes.
func resourceObjectType(client reflect.Type) reflect.Type {
	for _, verb := range []string{"Get", "Create"} {
		m, ok := client.MethodByName(verb)
		if !ok || m.Type.NumOut() == 0 {
			continue
		}
		t := m.Type.Out(0)
		if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
			return t.Elem()
		}
	}
	return nil
}

// crossCheck compares the registry's answer with client-go's. A scope
// disagreement is fatal. The remaining findings are reported: kinds served
// without a typed client, and groups with typed clients of which nothing is
// served (normal for long-removed versions, suspicious for a whole group).
func crossCheck(served map[schema.GroupVersionKind]servedKind, clients clientScope) (notes []string, err error) {
	var mismatches []string
	servedGroups := map[string]bool{}
	for gvk, k := range served {
		servedGroups[gvk.Group] = true
		ns, ok := clients[gvk]
		if !ok {
			notes = append(notes, fmt.Sprintf("served without a typed client: %s", gvk))
			continue
		}
		if ns != k.Namespaced {
			mismatches = append(mismatches, fmt.Sprintf("%s: registry namespaced=%v, client-go namespaced=%v", gvk, k.Namespaced, ns))
		}
	}
	clientGroups := map[string]bool{}
	for gvk := range clients {
		clientGroups[gvk.Group] = true
	}
	for g := range clientGroups {
		if !servedGroups[g] {
			notes = append(notes, fmt.Sprintf("typed clients but nothing served in group %q", g))
		}
	}
	sort.Strings(notes)
	if len(mismatches) > 0 {
		sort.Strings(mismatches)
		return notes, fmt.Errorf("scope disagreements:\n  %s", strings.Join(mismatches, "\n  "))
	}
	return notes, nil
}
