/*
Copyright 2026 The schema-controller Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/spf13/pflag"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// FieldOwner is the field manager of what schemactl writes with
// server-side apply.
const FieldOwner = "schemactl"

// The CRDs' defaults (api/v1alpha1's +kubebuilder:default markers). create
// writes them out, so that `create --export` is what the API server stores
// and `export` after an apply prints the same YAML.
var (
	defaultSourceTimeout   = metav1.Duration{Duration: 60 * time.Second}
	defaultLockTimeout     = metav1.Duration{Duration: 5 * time.Second}
	defaultProviderTimeout = metav1.Duration{Duration: 15 * time.Second}
	defaultSchemas         = []string{"public"}
)

// CreateOptions are the flags every create command shares.
type CreateOptions struct {
	// Export prints the object as YAML instead of writing it.
	Export bool
	// Labels are key=value labels of the object.
	Labels []string
}

// BindFlags binds the options to fs.
func (o *CreateOptions) BindFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.Export, "export", false, "print the object as YAML to commit, instead of creating it")
	fs.StringSliceVar(&o.Labels, "label", nil, "set a label, KEY=VALUE (repeatable or comma-separated)")
}

func (o *CreateOptions) labels() (map[string]string, error) {
	if len(o.Labels) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, l := range o.Labels {
		k, v, ok := strings.Cut(l, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--label %q: want KEY=VALUE", l)
		}
		if errs := validation.IsQualifiedName(k); len(errs) > 0 {
			return nil, fmt.Errorf("--label %q: %s", l, strings.Join(errs, "; "))
		}
		if errs := validation.IsValidLabelValue(v); len(errs) > 0 {
			return nil, fmt.Errorf("--label %q: %s", l, strings.Join(errs, "; "))
		}
		out[k] = v
	}
	return out, nil
}

// CreateSourceGitOptions are the flags of `schemactl create source git`.
type CreateSourceGitOptions struct {
	CreateOptions
	URL       string
	Branch    string
	Tag       string
	SemVer    string
	RefName   string
	Commit    string
	SecretRef string
	Interval  time.Duration
	Ignore    string
}

// BindFlags binds the options to fs; the names are flux create source git's.
func (o *CreateSourceGitOptions) BindFlags(fs *pflag.FlagSet) {
	o.CreateOptions.BindFlags(fs)
	fs.StringVar(&o.URL, "url", "", "the repository URL: https://, ssh://, git@host:org/repo or file://")
	fs.StringVar(&o.Branch, "branch", "", "the branch to follow")
	fs.StringVar(&o.Tag, "tag", "", "the tag to check out")
	fs.StringVar(&o.SemVer, "tag-semver", "", "the semver range of tags to pick the newest from")
	fs.StringVar(&o.RefName, "ref-name", "", "a git reference name, e.g. refs/pull/42/head")
	fs.StringVar(&o.Commit, "commit", "", "the commit SHA to check out (with --branch: that commit on the branch)")
	fs.StringVar(&o.SecretRef, "secret-ref", "", "the Secret with the credentials: username/password, bearerToken or identity + known_hosts")
	fs.DurationVar(&o.Interval, "interval", time.Minute, "how often the remote is checked for new commits")
	fs.StringVar(&o.Ignore, "ignore-paths", "", "paths to ignore, in .gitignore format, comma-separated")
}

// CreateDatabaseOptions are the flags of `schemactl create database`.
type CreateDatabaseOptions struct {
	CreateOptions
	Source           string
	Path             string
	SecretRef        string
	Interval         time.Duration
	DriftPolicy      string
	AllowDestructive bool
	Schemas          []string
	Exclude          []string
	DependsOn        []string
}

// BindFlags binds the options to fs.
func (o *CreateDatabaseOptions) BindFlags(fs *pflag.FlagSet) {
	o.CreateOptions.BindFlags(fs)
	fs.StringVar(&o.Source, "source", "", "the source of the SQL, as [<kind>/]<name>[.<namespace>] (kind SchemaRepository)")
	fs.StringVar(&o.Path, "path", "./", "the folder of .sql files in the source")
	fs.StringVar(&o.SecretRef, "secret-ref", "", "the Secret with the connection: url, or host, port, user, password, dbname, sslmode")
	fs.DurationVar(&o.Interval, "interval", 5*time.Minute, "how often the live database is compared")
	fs.StringVar(&o.DriftPolicy, "drift-policy", string(v1alpha1.DriftPolicyCorrect), "what the agent does with drift: Correct or Report")
	fs.BoolVar(&o.AllowDestructive, "allow-destructive", false, "allow statements that can lose data")
	fs.StringSliceVar(&o.Schemas, "schema", defaultSchemas, "managed schema (repeatable)")
	fs.StringSliceVar(&o.Exclude, "exclude", nil, `objects to leave alone, as "schema.name" glob patterns (repeatable)`)
	fs.StringSliceVar(&o.DependsOn, "depends-on", nil, "Databases applied first, as <name> or <namespace>/<name> (repeatable)")
}

// CreateAlertProviderOptions are the flags of `schemactl create alert-provider`.
type CreateAlertProviderOptions struct {
	CreateOptions
	Type      string
	Channel   string
	Username  string
	SecretRef string
}

// BindFlags binds the options to fs; the names are flux create alert-provider's.
func (o *CreateAlertProviderOptions) BindFlags(fs *pflag.FlagSet) {
	o.CreateOptions.BindFlags(fs)
	fs.StringVar(&o.Type, "type", "", "the provider type: slack, generic, generic-hmac, msteams or discord")
	fs.StringVar(&o.Channel, "channel", "", "the channel to post to (slack)")
	fs.StringVar(&o.Username, "username", "", "the name the messages are posted as")
	fs.StringVar(&o.SecretRef, "secret-ref", "", "the Secret with the webhook address (key address; generic-hmac also token)")
}

// CreateAlertOptions are the flags of `schemactl create alert`.
type CreateAlertOptions struct {
	CreateOptions
	ProviderRef   string
	EventSeverity string
	EventSources  []string
	Exclusions    []string
}

// BindFlags binds the options to fs; the names are flux create alert's.
func (o *CreateAlertOptions) BindFlags(fs *pflag.FlagSet) {
	o.CreateOptions.BindFlags(fs)
	fs.StringVar(&o.ProviderRef, "provider-ref", "", "the AlertProvider to send to")
	fs.StringVar(&o.EventSeverity, "event-severity", v1alpha1.EventSeverityInfo, "the lowest severity sent: info or error")
	fs.StringSliceVar(&o.EventSources, "event-source", nil, `the objects whose events are sent, as <kind>/<name>[.<namespace>], name "*" for all (repeatable)`)
	fs.StringSliceVar(&o.Exclusions, "exclusion", nil, "regular expressions of event messages not to send (repeatable)")
}

// objectMeta returns the metadata of a new object.
func (o *CreateOptions) objectMeta(ns, name string) (metav1.ObjectMeta, error) {
	if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
		return metav1.ObjectMeta{}, fmt.Errorf("name %q: %s", name, strings.Join(errs, "; "))
	}
	l, err := o.labels()
	return metav1.ObjectMeta{Namespace: ns, Name: name, Labels: l}, err
}

// parseRef reads Flux's [<kind>/]<name>[.<namespace>] form.
func parseRef(s, defaultKind string) (kind, name, namespace string) {
	kind = defaultKind
	if k, rest, ok := strings.Cut(s, "/"); ok {
		kind, s = k, rest
	}
	name, namespace, _ = strings.Cut(s, ".")
	return kind, name, namespace
}

// newSourceGit builds the SchemaRepository of `create source git`.
func newSourceGit(ns, name string, o CreateSourceGitOptions) (*v1alpha1.SchemaRepository, error) {
	m, err := o.objectMeta(ns, name)
	if err != nil {
		return nil, err
	}
	if o.URL == "" {
		return nil, errors.New("--url is required")
	}
	ref := &v1alpha1.GitRepositoryRef{Branch: o.Branch, Tag: o.Tag, SemVer: o.SemVer, Name: o.RefName, Commit: o.Commit}
	if *ref == (v1alpha1.GitRepositoryRef{}) {
		return nil, errors.New("name what to follow: --branch, --tag, --tag-semver, --ref-name or --commit")
	}
	obj := &v1alpha1.SchemaRepository{ObjectMeta: m, Spec: v1alpha1.SchemaRepositorySpec{
		URL: o.URL, Reference: ref, Interval: metav1.Duration{Duration: o.Interval}, Timeout: &defaultSourceTimeout,
	}}
	if o.SecretRef != "" {
		obj.Spec.SecretRef = &meta.LocalObjectReference{Name: o.SecretRef}
	}
	if o.Ignore != "" {
		ignore := strings.Join(strings.Split(o.Ignore, ","), "\n")
		obj.Spec.Ignore = &ignore
	}
	return obj, nil
}

// newDatabase builds the Database of `create database`.
func newDatabase(ns, name string, o CreateDatabaseOptions) (*v1alpha1.Database, error) {
	m, err := o.objectMeta(ns, name)
	if err != nil {
		return nil, err
	}
	if o.Source == "" || o.SecretRef == "" {
		return nil, errors.New("--source and --secret-ref are required")
	}
	kind, src, srcNS := parseRef(o.Source, v1alpha1.SchemaRepositoryKind)
	if kind != v1alpha1.SchemaRepositoryKind && kind != "GitRepository" {
		return nil, fmt.Errorf("--source %q: the kind must be %s", o.Source, v1alpha1.SchemaRepositoryKind)
	}
	policy := v1alpha1.DriftPolicy(o.DriftPolicy)
	if policy != v1alpha1.DriftPolicyCorrect && policy != v1alpha1.DriftPolicyReport {
		return nil, fmt.Errorf("--drift-policy %q: use Correct or Report", o.DriftPolicy)
	}
	obj := &v1alpha1.Database{ObjectMeta: m, Spec: v1alpha1.DatabaseSpec{
		SourceRef:   v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: src, Namespace: srcNS},
		Path:        o.Path,
		SecretRef:   meta.LocalObjectReference{Name: o.SecretRef},
		Interval:    metav1.Duration{Duration: o.Interval},
		DriftPolicy: policy, AllowDestructive: o.AllowDestructive,
		Schemas: o.Schemas, Exclude: o.Exclude, LockTimeout: &defaultLockTimeout,
		Format: v1alpha1.FormatDeclarative,
	}}
	for _, d := range o.DependsOn {
		ref := meta.NamespacedObjectReference{Name: d}
		if dns, dname, ok := strings.Cut(d, "/"); ok {
			ref = meta.NamespacedObjectReference{Namespace: dns, Name: dname}
		}
		obj.Spec.DependsOn = append(obj.Spec.DependsOn, ref)
	}
	return obj, nil
}

// newAlertProvider builds the AlertProvider of `create alert-provider`.
func newAlertProvider(ns, name string, o CreateAlertProviderOptions) (*v1alpha1.AlertProvider, error) {
	m, err := o.objectMeta(ns, name)
	if err != nil {
		return nil, err
	}
	types := []string{v1alpha1.SlackProvider, v1alpha1.GenericProvider, v1alpha1.GenericHMACProvider, v1alpha1.MSTeamsProvider, v1alpha1.DiscordProvider}
	if !containsString(types, o.Type) {
		return nil, fmt.Errorf("--type %q: use one of %s", o.Type, strings.Join(types, ", "))
	}
	if o.SecretRef == "" {
		return nil, errors.New("--secret-ref is required: the Secret with the webhook address")
	}
	return &v1alpha1.AlertProvider{ObjectMeta: m, Spec: v1alpha1.AlertProviderSpec{
		Type: o.Type, Channel: o.Channel, Username: o.Username,
		SecretRef: meta.LocalObjectReference{Name: o.SecretRef}, Timeout: &defaultProviderTimeout,
	}}, nil
}

// newAlert builds the AlertRule of `create alert`.
func newAlert(ns, name string, o CreateAlertOptions) (*v1alpha1.AlertRule, error) {
	m, err := o.objectMeta(ns, name)
	if err != nil {
		return nil, err
	}
	if o.ProviderRef == "" || len(o.EventSources) == 0 {
		return nil, errors.New("--provider-ref and --event-source are required")
	}
	if o.EventSeverity != v1alpha1.EventSeverityInfo && o.EventSeverity != v1alpha1.EventSeverityError {
		return nil, fmt.Errorf("--event-severity %q: use info or error", o.EventSeverity)
	}
	obj := &v1alpha1.AlertRule{ObjectMeta: m, Spec: v1alpha1.AlertRuleSpec{
		ProviderRef: meta.LocalObjectReference{Name: o.ProviderRef}, EventSeverity: o.EventSeverity, ExclusionList: o.Exclusions,
	}}
	for _, s := range o.EventSources {
		kind, name, sns := parseRef(s, "")
		k, err := lookupKind(kind, []string{"sources", "databases"})
		if kind == "" || err != nil || name == "" {
			return nil, fmt.Errorf("--event-source %q: want <kind>/<name>[.<namespace>] with kind Database or SchemaRepository", s)
		}
		obj.Spec.EventSources = append(obj.Spec.EventSources, v1alpha1.EventSourceReference{Kind: k.kind, Name: name, Namespace: sns})
	}
	return obj, nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// CreateSourceGit runs `schemactl create source git NAME`.
func CreateSourceGit(ctx context.Context, g *GlobalOptions, o CreateSourceGitOptions, name string) error {
	return g.create(ctx, o.CreateOptions, func(ns string) (object, error) { return newSourceGit(ns, name, o) })
}

// CreateDatabase runs `schemactl create database NAME`.
func CreateDatabase(ctx context.Context, g *GlobalOptions, o CreateDatabaseOptions, name string) error {
	return g.create(ctx, o.CreateOptions, func(ns string) (object, error) { return newDatabase(ns, name, o) })
}

// CreateAlertProvider runs `schemactl create alert-provider NAME`.
func CreateAlertProvider(ctx context.Context, g *GlobalOptions, o CreateAlertProviderOptions, name string) error {
	return g.create(ctx, o.CreateOptions, func(ns string) (object, error) { return newAlertProvider(ns, name, o) })
}

// CreateAlert runs `schemactl create alert NAME`.
func CreateAlert(ctx context.Context, g *GlobalOptions, o CreateAlertOptions, name string) error {
	return g.create(ctx, o.CreateOptions, func(ns string) (object, error) { return newAlert(ns, name, o) })
}

// create builds the object; with Export it prints it as YAML to commit,
// else it creates or updates it on the server with server-side apply (the
// fields create sets are owned by schemactl) and waits until it is Ready.
func (g *GlobalOptions) create(ctx context.Context, o CreateOptions, build func(ns string) (object, error)) error {
	ns := *g.ConfigFlags.Namespace
	var c *cluster
	if !o.Export || ns == "" {
		// The namespace of the kubeconfig's context, as kubectl would use;
		// without a kubeconfig --export falls back to "default".
		var err error
		if c, err = g.connect(); err != nil {
			if !o.Export {
				return err
			}
		} else {
			ns = c.namespace
		}
	}
	if ns == "" {
		ns = "default"
	}
	obj, err := build(ns)
	if err != nil {
		return err
	}
	u, err := toUnstructured(obj)
	if err != nil {
		return err
	}
	cleanForExport(u)
	if o.Export {
		return writeExport(g.Streams.Out, []*unstructured.Unstructured{u})
	}
	k := kindOf(obj)
	what := describe(k, obj.GetNamespace(), obj.GetName())
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	g.step("applying %s", what)
	if err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(FieldOwner), client.ForceOwnership); err != nil {
		return c.explain(fmt.Errorf("applying %s: %w", what, err))
	}
	g.ok("%s applied", what)
	got, err := g.waitReady(ctx, c, k, client.ObjectKeyFromObject(obj), "")
	if err != nil {
		return err
	}
	g.reportReady(k, got)
	return nil
}
