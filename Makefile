# schema-controller Makefile. `make demo` runs the main job, `make test` runs every test.

K8S_VERSION ?= 1.37.2
KUBEBUILDER_ASSETS ?= $(CURDIR)/bin/k8s/$(K8S_VERSION)
export KUBEBUILDER_ASSETS
# Use the local PostgreSQL server when one answers on 127.0.0.1:5432; otherwise the
# tests start a throwaway cluster of their own.
SCHEMACTL_TEST_PG_URL ?= $(shell hack/pg-url.sh)
export SCHEMACTL_TEST_PG_URL
# Flux's source-controller and notification-controller for test/flux, at the versions
# pinned in hack/fluxbin/go.mod (make fluxbin builds them).
FLUX_SOURCE_VERSION := $(shell awk '$$1=="github.com/fluxcd/source-controller" {print $$2}' hack/fluxbin/go.mod)
FLUX_NOTIFICATION_VERSION := $(shell awk '$$1=="github.com/fluxcd/notification-controller" {print $$2}' hack/fluxbin/go.mod)
SCHEMACTL_FLUX_ASSETS ?= $(CURDIR)/bin/flux/source-controller-$(FLUX_SOURCE_VERSION)_notification-controller-$(FLUX_NOTIFICATION_VERSION)
export SCHEMACTL_FLUX_ASSETS

GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/schemactl/schema-controller/internal/version.Version=$(VERSION)
# Packages cheap enough to run under the race detector (the concurrent ones); the
# others run without it. Tests wait on PostgreSQL and the API server rather than on the
# CPU, so they run with more parallelism than the 2 cores.
RACE_PKGS ?= ./source/... ./notify/... ./reconcile/... ./internal/...
RACE_RE := /(source|notify|reconcile|internal)(/|$$)
TEST_PARALLEL ?= 8
TEST_TIMEOUT ?= 30m
# A count, not a duration: Go 1.26's fuzz runner can fail a time-bounded run with
# "context deadline exceeded" (golang/go#75804).
FUZZTIME ?= 100000x
# FuzzLoad writes files and may start the parser's child process per input.
FUZZLOADTIME ?= 5000x
# SIGKILLs of the fault-injection suite (test/faults): a brief run in make test, more
# in make faults.
FAULTS_BRIEF_KILLS ?= 3
FAULTS_KILLS ?= 20

.PHONY: all
all: build

.PHONY: prereqs
prereqs: ## Check (and where possible install) Go, PostgreSQL and git.
	@hack/prereqs.sh

.PHONY: testbin
testbin: ## Build kube-apiserver, etcd and kubectl from the Go module proxy into bin/k8s/<version>.
	@K8S_VERSION=$(K8S_VERSION) hack/testbin.sh

.PHONY: fluxbin
fluxbin: ## Build Flux's source-controller and notification-controller (hack/fluxbin/go.mod) into bin/flux/, for test/flux.
	@FLUX_ASSETS=$(SCHEMACTL_FLUX_ASSETS) hack/fluxbin.sh

.PHONY: generate
generate: ## Generate deepcopy code.
	$(GO) tool controller-gen object:headerFile=hack/boilerplate.go.txt paths=./api/...

.PHONY: manifests
manifests: ## Generate CRDs and RBAC from markers.
	$(GO) tool controller-gen crd rbac:roleName=schema-controller paths=./api/... paths=./reconcile/... \
		output:crd:artifacts:config=config/crd/bases output:rbac:artifacts:config=config/rbac
	$(GO) generate ./internal/cli/manifests
	@hack/chart-sync.sh

.PHONY: check-generated
check-generated: generate manifests ## Fail when generated files are stale.
	@if [ -n "$$(git status --porcelain -- api config internal/cli/manifests charts)" ]; then \
		echo "generated files are stale; run 'make generate manifests' and commit:"; \
		git status --porcelain -- api config internal/cli/manifests charts; git --no-pager diff --stat -- api config internal/cli/manifests charts; exit 1; fi

.PHONY: fmt
fmt:
	$(GO) fmt ./...

.PHONY: vet
vet:
	$(GO) vet ./...

.PHONY: tools
tools: ## Build the pinned golangci-lint and govulncheck (hack/tools/go.mod) into bin/.
	@hack/tools.sh golangci-lint govulncheck

.PHONY: promtool
promtool: ## Build Prometheus's promtool (hack/promtool/go.mod) into bin/, for the tests of config/monitoring.
	@hack/tools.sh promtool

.PHONY: helm
helm: ## Build Helm (hack/helm/go.mod) into bin/, for the tests of charts/schema-controller.
	@hack/tools.sh helm

.PHONY: lint
lint: ## Run golangci-lint with .golangci.yml (zero findings).
	@hack/tools.sh golangci-lint
	bin/golangci-lint run ./...

.PHONY: vuln
vuln: ## Check dependencies against the Go vulnerability database, built offline from golang.org/x/vulndb.
	@hack/vuln.sh

.PHONY: build
build: ## Build both binaries into bin/.
	CGO_ENABLED=1 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/schema-controller ./cmd/schema-controller
	CGO_ENABLED=1 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/schemactl ./cmd/schemactl

.PHONY: test
test: prereqs testbin fluxbin promtool helm check-generated vet lint ## Run every test (the command CI runs).
	SCHEMACTL_FAULTS_KILLS=$(FAULTS_BRIEF_KILLS) SCHEMACTL_FAULTS_AGENT=0 $(GO) test -count=1 -parallel $(TEST_PARALLEL) -timeout $(TEST_TIMEOUT) $$($(GO) list ./... | grep -v -E '$(RACE_RE)')
	$(GO) test -count=1 -race -parallel $(TEST_PARALLEL) -timeout $(TEST_TIMEOUT) $(RACE_PKGS)
	$(MAKE) fuzz-short

.PHONY: faults
faults: prereqs testbin ## Fault injection: schemactl apply and the agent SIGKILLed FAULTS_KILLS (20) times each under a writer, then converged.
	SCHEMACTL_FAULTS_KILLS=$(FAULTS_KILLS) $(GO) test -count=1 -v -run '^TestFaults_' -timeout 60m ./test/faults

.PHONY: fuzz-short
fuzz-short: ## A short run of the SQL splitter and loader fuzzers.
	$(GO) test -run '^$$' -fuzz '^FuzzSplit$$' -fuzztime $(FUZZTIME) ./drift/load
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZLOADTIME) ./drift/load

.PHONY: bench
bench: prereqs ## Performance benchmarks (ratios against pg_dump), see docs/performance.md.
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 30m ./drift/... ./source/... ./reconcile/...

.PHONY: demo
demo: prereqs testbin build ## Run the main job end to end on this machine.
	@hack/demo.sh

.PHONY: clean
clean:
	rm -rf bin/schema-controller bin/schemactl

.PHONY: help
help:
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "%-16s %s\n", $$1, $$2}'
