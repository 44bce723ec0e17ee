//go:build tools

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

// Package tools pins modules that later issues build on, so `go mod tidy` keeps the
// version set of shared/DEPENDENCIES.md while the code that imports them is written.
package tools

import (
	_ "github.com/fluxcd/pkg/apis/meta"
	_ "github.com/fluxcd/pkg/gittestserver"
	_ "github.com/fluxcd/pkg/runtime/conditions"
	_ "github.com/fluxcd/pkg/runtime/testenv"
	_ "github.com/go-git/go-billy/v5"
	_ "github.com/go-git/go-git/v5"
	_ "github.com/jackc/pgx/v5"
	_ "github.com/onsi/gomega"
	_ "github.com/pganalyze/pg_query_go/v6"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/robfig/cron/v3"
	_ "github.com/slack-go/slack"
	_ "github.com/spf13/cobra"
	_ "golang.org/x/crypto/ssh"
	_ "sigs.k8s.io/controller-runtime"
)
