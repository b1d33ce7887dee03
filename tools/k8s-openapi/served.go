package main

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	apiextensionsapiserver "k8s.io/apiextensions-apiserver/pkg/apiserver"
	crdregistry "k8s.io/apiextensions-apiserver/pkg/registry/customresourcedefinition"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilversion "k8s.io/apimachinery/pkg/util/version"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	"k8s.io/apiserver/pkg/authorization/authorizerfactory"
	"k8s.io/apiserver/pkg/registry/generic"
	"k8s.io/apiserver/pkg/registry/rest"
	genericapiserver "k8s.io/apiserver/pkg/server"
	serverstorage "k8s.io/apiserver/pkg/server/storage"
	"k8s.io/apiserver/pkg/storage"
	"k8s.io/apiserver/pkg/storage/storagebackend"
	"k8s.io/apiserver/pkg/storage/storagebackend/factory"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	restclient "k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	aggregatorapiserver "k8s.io/kube-aggregator/pkg/apiserver"
	apiservicerest "k8s.io/kube-aggregator/pkg/registry/apiservice/rest"
	api "k8s.io/kubernetes/pkg/apis/core"
	"k8s.io/kubernetes/pkg/controlplane"
	controlplaneapiserver "k8s.io/kubernetes/pkg/controlplane/apiserver"
	kubeletclient "k8s.io/kubernetes/pkg/kubelet/client"
	admissionregistrationrest "k8s.io/kubernetes/pkg/registry/admissionregistration/rest"
	apiserverinternalrest "k8s.io/kubernetes/pkg/registry/apiserverinternal/rest"
	appsrest "k8s.io/kubernetes/pkg/registry/apps/rest"
	authenticationrest "k8s.io/kubernetes/pkg/registry/authentication/rest"
	authorizationrest "k8s.io/kubernetes/pkg/registry/authorization/rest"
	autoscalingrest "k8s.io/kubernetes/pkg/registry/autoscaling/rest"
	batchrest "k8s.io/kubernetes/pkg/registry/batch/rest"
	certificatesrest "k8s.io/kubernetes/pkg/registry/certificates/rest"
	coordinationrest "k8s.io/kubernetes/pkg/registry/coordination/rest"
	"k8s.io/kubernetes/pkg/registry/core/componentstatus"
	endpointsstore "k8s.io/kubernetes/pkg/registry/core/endpoint/storage"
	limitrangestore "k8s.io/kubernetes/pkg/registry/core/limitrange/storage"
	nodestore "k8s.io/kubernetes/pkg/registry/core/node/storage"
	pvstore "k8s.io/kubernetes/pkg/registry/core/persistentvolume/storage"
	pvcstore "k8s.io/kubernetes/pkg/registry/core/persistentvolumeclaim/storage"
	podstore "k8s.io/kubernetes/pkg/registry/core/pod/storage"
	podtemplatestore "k8s.io/kubernetes/pkg/registry/core/podtemplate/storage"
	controllerstore "k8s.io/kubernetes/pkg/registry/core/replicationcontroller/storage"
	corerest "k8s.io/kubernetes/pkg/registry/core/rest"
	servicestore "k8s.io/kubernetes/pkg/registry/core/service/storage"
	discoveryrest "k8s.io/kubernetes/pkg/registry/discovery/rest"
	eventsrest "k8s.io/kubernetes/pkg/registry/events/rest"
	flowcontrolrest "k8s.io/kubernetes/pkg/registry/flowcontrol/rest"
	networkingrest "k8s.io/kubernetes/pkg/registry/networking/rest"
	noderest "k8s.io/kubernetes/pkg/registry/node/rest"
	policyrest "k8s.io/kubernetes/pkg/registry/policy/rest"
	rbacrest "k8s.io/kubernetes/pkg/registry/rbac/rest"
	resourcerest "k8s.io/kubernetes/pkg/registry/resource/rest"
	schedulingrest "k8s.io/kubernetes/pkg/registry/scheduling/rest"
	storagerest "k8s.io/kubernetes/pkg/registry/storage/rest"
	svmrest "k8s.io/kubernetes/pkg/registry/storagemigration/rest"
)

// servedKind is one top-level resource as the API server would list it in discovery.
type servedKind struct {
	GVK        schema.GroupVersionKind
	Resource   string
	Namespaced bool
	// Versioned Go object of the kind, used to find its OpenAPI model.
	Example runtime.Object
}

// resourceConfigs are the three API servers that make up a kube-apiserver process;
// each has its own notion of which group/versions are on.
type resourceConfigs struct {
	kube, apiextensions, aggregator *serverstorage.ResourceConfig
}

func defaultResourceConfigs() resourceConfigs {
	return resourceConfigs{
		kube:          controlplane.DefaultAPIResourceConfigSource(),
		apiextensions: apiextensionsapiserver.DefaultAPIResourceConfigSource(),
		aggregator:    aggregatorapiserver.DefaultAPIResourceConfigSource(),
	}
}

// everythingEnabled turns on every group/version the default configs know about
// (they list disabled alpha/beta versions explicitly for exactly this purpose).
func everythingEnabled() resourceConfigs {
	c := defaultResourceConfigs()
	all := func(schema.GroupVersion) bool { return true }
	c.kube.EnableMatchingVersions(all)
	c.apiextensions.EnableMatchingVersions(all)
	c.aggregator.EnableMatchingVersions(all)
	return c
}

// noStorageOptions lets the registry build its stores without an etcd: the
// decorator hands back no backend, which is fine because nothing is ever read
// or written; only the stores' static properties (scope, kind) are inspected.
type noStorageOptions struct{}

func (noStorageOptions) GetRESTOptions(resource schema.GroupResource, _ runtime.Object) (generic.RESTOptions, error) {
	return generic.RESTOptions{
		StorageConfig:  &storagebackend.ConfigForResource{GroupResource: resource},
		Decorator:      noBackend,
		ResourcePrefix: "/" + resource.Group + "/" + resource.Resource,
	}, nil
}

func noBackend(
	_ *storagebackend.ConfigForResource, _ string, _ func(runtime.Object) (string, error),
	_ func() runtime.Object, _ func() runtime.Object, _ storage.AttrFunc,
	_ storage.IndexerFuncs, _ *cache.Indexers,
) (storage.Interface, factory.DestroyFunc, error) {
	return nil, func() {}, nil
}

// groupInfo pairs a registry's APIGroupInfo with the config it was built from,
// so prerelease-lifecycle filtering can consult the right one.
type groupInfo struct {
	name   string
	info   genericapiserver.APIGroupInfo
	config *serverstorage.ResourceConfig
}

// kubeStorageProviders mirrors the provider list of pkg/controlplane's
// CompletedConfig.StorageProviders, which cannot be called without a fully
// configured server. Collaborators are inert stand-ins: none is used while
// storage is only constructed. A forgotten provider is caught by the
// client-go cross-check (a group with typed clients but nothing served).
func kubeStorageProviders(authz authorizer.Authorizer, client kubernetes.Interface) []controlplaneapiserver.RESTStorageProvider {
	return []controlplaneapiserver.RESTStorageProvider{
		&corerest.GenericConfig{EventTTL: time.Hour},
		apiserverinternalrest.StorageProvider{},
		authenticationrest.RESTStorageProvider{},
		authorizationrest.RESTStorageProvider{Authorizer: authz, RuleResolver: authorizerfactory.NewAlwaysDenyAuthorizer()},
		autoscalingrest.RESTStorageProvider{},
		batchrest.RESTStorageProvider{},
		certificatesrest.RESTStorageProvider{Authorizer: authz},
		coordinationrest.RESTStorageProvider{},
		discoveryrest.StorageProvider{},
		networkingrest.RESTStorageProvider{},
		noderest.RESTStorageProvider{},
		policyrest.RESTStorageProvider{},
		rbacrest.RESTStorageProvider{Authorizer: authz},
		schedulingrest.RESTStorageProvider{},
		storagerest.RESTStorageProvider{},
		svmrest.RESTStorageProvider{},
		flowcontrolrest.RESTStorageProvider{InformerFactory: informers.NewSharedInformerFactory(client, 0)},
		appsrest.StorageProvider{},
		admissionregistrationrest.RESTStorageProvider{Authorizer: authz, DiscoveryClient: client.Discovery()},
		eventsrest.RESTStorageProvider{TTL: time.Hour},
		resourcerest.RESTStorageProvider{NamespaceClient: client.CoreV1().Namespaces(), Authorizer: authz},
	}
}

// addLegacyCoreStorage adds the core/v1 resources that pkg/registry/core/rest's
// legacy provider serves on top of its generic part. That provider wires
// service IP allocators to etcd at construction, so its stores are built here
// one by one with the same public constructors it uses.
func addLegacyCoreStorage(info *genericapiserver.APIGroupInfo, cfg *serverstorage.ResourceConfig, authz authorizer.Authorizer, client kubernetes.Interface) error {
	opts := noStorageOptions{}
	podTemplates, err := podtemplatestore.NewREST(opts)
	if err != nil {
		return err
	}
	limitRanges, err := limitrangestore.NewREST(opts)
	if err != nil {
		return err
	}
	pvs, _, err := pvstore.NewREST(opts)
	if err != nil {
		return err
	}
	pvcs, _, err := pvcstore.NewREST(opts)
	if err != nil {
		return err
	}
	endpoints, err := endpointsstore.NewREST(opts)
	if err != nil {
		return err
	}
	nodes, err := nodestore.NewStorage(opts, kubeletclient.KubeletClientConfig{}, http.DefaultTransport)
	if err != nil {
		return err
	}
	pods, err := podstore.NewStorage(opts, nodes.KubeletConnectionInfo, http.DefaultTransport, client.PolicyV1(), authz)
	if err != nil {
		return err
	}
	services, _, _, err := servicestore.NewREST(opts, api.IPv4Protocol, nil, nil, endpoints, pods.Pod, http.DefaultTransport)
	if err != nil {
		return err
	}
	controllers, err := controllerstore.NewStorage(opts)
	if err != nil {
		return err
	}
	legacy := map[string]rest.Storage{
		"pods":                   pods.Pod,
		"bindings":               pods.LegacyBinding,
		"podtemplates":           podTemplates,
		"replicationcontrollers": controllers.Controller,
		"services":               services,
		"endpoints":              endpoints,
		"nodes":                  nodes.Node,
		"limitranges":            limitRanges,
		"persistentvolumes":      pvs,
		"persistentvolumeclaims": pvcs,
		"componentstatuses":      componentstatus.NewStorage(func() map[string]componentstatus.Server { return nil }),
	}
	v1 := info.VersionedResourcesStorageMap["v1"]
	if v1 == nil {
		v1 = map[string]rest.Storage{}
		info.VersionedResourcesStorageMap["v1"] = v1
	}
	for resource, s := range legacy {
		if cfg.ResourceEnabled(schema.GroupVersionResource{Version: "v1", Resource: resource}) {
			v1[resource] = s
		}
	}
	return nil
}

// apiextensionsGroup mirrors the one resource apiextensions-apiserver registers itself.
func apiextensionsGroup(cfg *serverstorage.ResourceConfig) (genericapiserver.APIGroupInfo, error) {
	scheme := apiextensionsapiserver.Scheme
	info := genericapiserver.NewDefaultAPIGroupInfo("apiextensions.k8s.io", scheme, runtime.NewParameterCodec(scheme), apiextensionsapiserver.Codecs)
	gvr := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	if cfg.ResourceEnabled(gvr) {
		crds, err := crdregistry.NewREST(scheme, noStorageOptions{})
		if err != nil {
			return info, err
		}
		info.VersionedResourcesStorageMap[gvr.Version] = map[string]rest.Storage{gvr.Resource: crds}
	}
	return info, nil
}

// collectServed builds every registry as kube-apiserver would for the given
// configs and returns the kinds that discovery would then list.
func collectServed(cfgs resourceConfigs, binaryVersion *utilversion.Version) (map[schema.GroupVersionKind]servedKind, error) {
	authz := authorizerfactory.NewAlwaysDenyAuthorizer()
	// Never contacted: clients are only handed to constructors.
	client, err := kubernetes.NewForConfig(&restclient.Config{Host: "http://127.0.0.1:1"})
	if err != nil {
		return nil, err
	}

	var groups []groupInfo
	for _, p := range kubeStorageProviders(authz, client) {
		info, err := p.NewRESTStorage(cfgs.kube, noStorageOptions{})
		if err != nil {
			return nil, fmt.Errorf("group %q: %w", p.GroupName(), err)
		}
		if p.GroupName() == "" {
			if err := addLegacyCoreStorage(&info, cfgs.kube, authz, client); err != nil {
				return nil, fmt.Errorf("core group: %w", err)
			}
		}
		groups = append(groups, groupInfo{p.GroupName(), info, cfgs.kube})
	}
	ext, err := apiextensionsGroup(cfgs.apiextensions)
	if err != nil {
		return nil, fmt.Errorf("apiextensions.k8s.io: %w", err)
	}
	groups = append(groups, groupInfo{"apiextensions.k8s.io", ext, cfgs.apiextensions})
	groups = append(groups, groupInfo{"apiregistration.k8s.io", apiservicerest.NewRESTStorage(cfgs.aggregator, noStorageOptions{}, false), cfgs.aggregator})

	expiration, err := genericapiserver.NewResourceExpirationEvaluator(binaryVersion)
	if err != nil {
		return nil, err
	}

	served := map[schema.GroupVersionKind]servedKind{}
	for _, g := range groups {
		if len(g.info.VersionedResourcesStorageMap) == 0 {
			continue
		}
		groupName := g.name
		// Kinds whose prerelease lifecycle says they are removed in, or not yet
		// introduced by, this release are dropped exactly as InstallAPIs does.
		if err := expiration.RemoveUnavailableKinds(groupName, g.info.Scheme, g.info.VersionedResourcesStorageMap, g.config); err != nil {
			return nil, err
		}
		for version, resources := range g.info.VersionedResourcesStorageMap {
			gv := schema.GroupVersion{Group: groupName, Version: version}
			for resource, s := range resources {
				if strings.Contains(resource, "/") {
					continue // subresource
				}
				kind, err := servedKindOf(g.info.Scheme, gv, resource, s)
				if err != nil {
					return nil, err
				}
				if prev, dup := served[kind.GVK]; dup {
					return nil, fmt.Errorf("%s is served by both %q and %q", kind.GVK, prev.Resource, resource)
				}
				served[kind.GVK] = kind
			}
		}
	}
	return served, nil
}

func servedKindOf(scheme *runtime.Scheme, gv schema.GroupVersion, resource string, s rest.Storage) (servedKind, error) {
	scoper, ok := s.(rest.Scoper)
	if !ok {
		return servedKind{}, fmt.Errorf("%s %s: storage does not say whether it is namespaced", gv, resource)
	}
	var gvk schema.GroupVersionKind
	if p, ok := s.(rest.GroupVersionKindProvider); ok {
		gvk = p.GroupVersionKind(gv)
	} else {
		kinds, _, err := scheme.ObjectKinds(s.New())
		if err != nil {
			return servedKind{}, fmt.Errorf("%s %s: %w", gv, resource, err)
		}
		gvk = gv.WithKind(kinds[0].Kind)
	}
	example, err := scheme.New(gvk)
	if err != nil {
		return servedKind{}, fmt.Errorf("%s %s: no versioned type for %s: %w", gv, resource, gvk, err)
	}
	return servedKind{GVK: gvk, Resource: resource, Namespaced: scoper.NamespaceScoped(), Example: example}, nil
}
