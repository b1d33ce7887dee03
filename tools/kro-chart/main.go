// Command kro-chart renders kro's own Helm chart, as `helm template --include-crds` would, into
// the JSON file `kro-gen synth --with-kro` reads (data/kro/<version>.json). The chart is the one in
// kro's Go module at the given version; the values are data/kro/values.yaml plus what kro's own
// release process injects (chart version, appVersion, image tag). Each RBAC mode the chart offers
// is rendered as its own variant.
//
//	go run . -kro v0.9.3 -values ../../data/kro/values.yaml -out ../../data/kro/v0.9.3.json
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	release "helm.sh/helm/v4/pkg/release/v1"
	"sigs.k8s.io/yaml"
)

const kroModule = "github.com/kubernetes-sigs/kro"

// settings is the part of values.yaml that is not chart values: how the release is named.
type settings struct {
	ReleaseName string         `json:"releaseName"`
	Namespace   string         `json:"namespace"`
	KubeVersion string         `json:"kubeVersion"`
	RBACModes   []string       `json:"rbacModes"`
	Values      map[string]any `json:"values"`
}

type variant struct {
	// Values are exactly the values given to Helm for this variant (after kro-gen's file and the
	// release injections; Helm merges them over the chart's values.yaml).
	Values  map[string]any   `json:"values"`
	Objects []map[string]any `json:"objects"`
}

type output struct {
	Generator   string             `json:"generator"`
	KroVersion  string             `json:"kroVersion"`
	Chart       map[string]string  `json:"chart"`
	ReleaseName string             `json:"releaseName"`
	Namespace   string             `json:"namespace"`
	KubeVersion string             `json:"kubeVersion"`
	Variants    map[string]variant `json:"variants"`
}

func main() {
	kroVersion := flag.String("kro", "v0.9.3", "kro release whose chart to render")
	valuesFile := flag.String("values", "../../data/kro/values.yaml", "release settings and chart values")
	out := flag.String("out", "", "output JSON file (default stdout)")
	flag.Parse()
	if err := run(*kroVersion, *valuesFile, *out); err != nil {
		fmt.Fprintf(os.Stderr, "kro-chart: %v\n", err)
		os.Exit(1)
	}
}

func run(kroVersion, valuesFile, out string) error {
	raw, err := os.ReadFile(valuesFile)
	if err != nil {
		return err
	}
	var s settings
	if err := yaml.UnmarshalStrict(raw, &s); err != nil {
		return fmt.Errorf("%s: %w", valuesFile, err)
	}
	if s.ReleaseName == "" || s.Namespace == "" || len(s.RBACModes) == 0 {
		return fmt.Errorf("%s: releaseName, namespace and rbacModes are required", valuesFile)
	}
	dir, err := moduleDir(kroVersion)
	if err != nil {
		return err
	}
	ch, err := loader.LoadDir(filepath.Join(dir, "helm"))
	if err != nil {
		return err
	}
	// What kro's `make inject-helm-version` writes before `helm package`: the published chart
	// carries the release as its version and appVersion.
	ch.Metadata.Version = kroVersion
	ch.Metadata.AppVersion = kroVersion
	doc := output{
		Generator:   "tools/kro-chart (helm.sh/helm/v4 " + helmVersion() + ")",
		KroVersion:  kroVersion,
		Chart:       map[string]string{"name": ch.Metadata.Name, "version": ch.Metadata.Version, "source": kroModule + "@" + kroVersion + "/helm"},
		ReleaseName: s.ReleaseName,
		Namespace:   s.Namespace,
		KubeVersion: s.KubeVersion,
		Variants:    map[string]variant{},
	}
	for _, mode := range s.RBACModes {
		vals := deepCopy(s.Values)
		image, _ := vals["image"].(map[string]any)
		if image == nil {
			image = map[string]any{}
			vals["image"] = image
		}
		image["tag"] = kroVersion // kro's inject-helm-version replaces the chart's `${VERSION}`
		rbac, _ := vals["rbac"].(map[string]any)
		if rbac == nil {
			rbac = map[string]any{}
			vals["rbac"] = rbac
		}
		rbac["mode"] = mode
		objects, err := render(ch, s, vals)
		if err != nil {
			return fmt.Errorf("rbac mode %s: %w", mode, err)
		}
		doc.Variants[mode] = variant{Values: vals, Objects: objects}
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if out == "" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(out, data, 0o644)
}

// render runs a client-only install, the code path of `helm template`, and returns the CRDs and
// the manifests in Helm's install order.
func render(ch *chart.Chart, s settings, vals map[string]any) ([]map[string]any, error) {
	cfg := action.NewConfiguration()
	install := action.NewInstall(cfg)
	install.DryRunStrategy = action.DryRunClient
	install.ReleaseName = s.ReleaseName
	install.Namespace = s.Namespace
	install.Replace = true
	install.IncludeCRDs = true
	if s.KubeVersion != "" {
		kv, err := common.ParseKubeVersion(s.KubeVersion)
		if err != nil {
			return nil, err
		}
		install.KubeVersion = kv
	}
	rel, err := install.Run(ch, vals)
	if err != nil {
		return nil, err
	}
	r, ok := rel.(*release.Release)
	if !ok {
		return nil, fmt.Errorf("unexpected release type %T", rel)
	}
	if len(r.Hooks) > 0 {
		return nil, errors.New("the chart has hooks, which a static bundle cannot run")
	}
	var objects []map[string]any
	for _, part := range strings.Split(r.Manifest, "\n---") {
		var obj map[string]any
		if err := yaml.Unmarshal([]byte(part), &obj); err != nil {
			return nil, err
		}
		if len(obj) == 0 {
			continue
		}
		objects = append(objects, obj)
	}
	return objects, nil
}

// moduleDir downloads (or finds in the module cache) kro's module at version.
func moduleDir(version string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", kroModule+"@"+version)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %v\n%s", kroModule, version, err, stderr.String())
	}
	var info struct{ Dir string }
	if err := json.Unmarshal(data, &info); err != nil || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s: no module directory", kroModule, version)
	}
	return info.Dir, nil
}

func deepCopy(v map[string]any) map[string]any {
	data, _ := json.Marshal(v)
	out := map[string]any{}
	_ = json.Unmarshal(data, &out)
	return out
}

// helmVersion is the helm.sh/helm/v4 version this binary was built with.
func helmVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "helm.sh/helm/v4" {
				return dep.Version
			}
		}
	}
	return "unknown"
}
