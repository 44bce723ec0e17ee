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

package source

import (
	"context"
	"fmt"
	"io"
	"log"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
)

// benchRepo creates a schema repository the size of a real one: 200 SQL
// files of about 2 KiB in 10 folders, with 20 more commits of history that
// a shallow fetch must not download.
func benchRepo(b *testing.B, srv *gittest.Server) {
	b.Helper()
	files := map[string]string{}
	for i := range 200 {
		files[fmt.Sprintf("db/schema%02d/%03d_table.sql", i%10, i)] = fmt.Sprintf(
			"create table t%03d (\n%s  id bigint primary key\n);\n", i, strings.Repeat("  col_padding text not null default '',\n", 50))
	}
	srv.CreateRepo(b, "schemas.git", files, "main")
	for i := range 20 {
		srv.Push(b, "schemas.git", "main", map[string]string{
			fmt.Sprintf("db/schema00/%03d_table.sql", i*10): fmt.Sprintf("create table t%03d (id bigint primary key, v%d int);\n", i*10, i),
		}, fmt.Sprintf("change %d", i))
	}
}

// BenchmarkSync_noopVersusShallowClone measures the poll of an unchanged
// remote (one ref advertisement, no fetch) against a full shallow clone of
// the same repository into an empty store, over HTTP with basic auth and
// over SSH, and reports both and their ratio:
//
//	go test -run '^$' -bench Sync_noopVersusShallowClone -benchtime 20x ./source
func BenchmarkSync_noopVersusShallowClone(b *testing.B) {
	// gitkit logs every request through the standard logger.
	log.SetOutput(io.Discard)
	b.Cleanup(func() { log.SetOutput(nil) })
	srv := gittest.NewServer(b, gittest.Options{})
	benchRepo(b, srv)
	user, pass := srv.BasicAuth()

	for _, tc := range []struct {
		name   string
		url    string
		secret map[string][]byte
	}{
		{"http", srv.HTTPURL("schemas.git"), map[string][]byte{UsernameKey: []byte(user), PasswordKey: []byte(pass)}},
		{"ssh", srv.SSHURL("schemas.git"), map[string][]byte{IdentityKey: srv.SSHIdentity(), KnownHostsKey: srv.KnownHosts()}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			repo, err := NewRepository(tc.url, tc.secret)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			warm := newTestStore(b)
			req := SyncRequest{Owner: "ns/schemas", Reference: Reference{Branch: "main"}}
			first, err := Sync(ctx, repo, warm, req)
			if err != nil {
				b.Fatal(err)
			}

			var noop, clone time.Duration
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				res, err := Sync(ctx, repo, warm, req)
				noop += time.Since(start)
				if err != nil || res.Fetched {
					b.Fatalf("no-op poll fetched=%v err=%v", res != nil && res.Fetched, err)
				}

				b.StopTimer()
				cold := newTestStore(b)
				b.StartTimer()
				start = time.Now()
				res, err = Sync(ctx, repo, cold, req)
				clone += time.Since(start)
				if err != nil || !res.Fetched || res.Artifact.Digest != first.Artifact.Digest {
					b.Fatalf("shallow clone fetched=%v err=%v", res != nil && res.Fetched, err)
				}
			}
			n := float64(b.N)
			noopNs, cloneNs := float64(noop.Nanoseconds())/n, float64(clone.Nanoseconds())/n
			b.ReportMetric(noopNs/1e6, "noop-ms/op")
			b.ReportMetric(cloneNs/1e6, "clone-ms/op")
			b.ReportMetric(cloneNs/noopNs, "clone/noop")
			b.Logf("%s: no-op poll %.2f ms, shallow clone %.2f ms (%d files, %d bytes), ratio %.1fx",
				tc.name, noopNs/1e6, cloneNs/1e6, first.Artifact.Files, first.Artifact.Size, cloneNs/noopNs)
		})
	}
}
