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

package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The memory measurements run in a child process of the test binary, so that
// its peak resident set size (VmHWM) is the load's alone. memChildEnv holds
// "parse DIR" or "load DIR ADMINURL"; the child prints "vmhwm KIB".
const memChildEnv = "SCHEMACTL_TEST_MEMCHILD"

func init() {
	spec, ok := os.LookupEnv(memChildEnv)
	if !ok {
		return
	}
	f := strings.Fields(spec)
	var err error
	switch {
	case len(f) == 2 && f[0] == "parse":
		var stmts []Statement
		stmts, _, err = ParseDir(f[1])
		if err == nil {
			sp := &safeParser{}
			_, err = planStatements(sp, stmts)
			sp.close()
		}
	case len(f) == 3 && f[0] == "load":
		_, err = Load(context.Background(), f[1], Options{AdminURL: f[2], Timeout: 2 * time.Hour}, nil) // 50 MiB can outlast the default load timeout on a busy machine
	default:
		err = fmt.Errorf("bad %s %q", memChildEnv, spec)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	kib, err := vmHWM()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("vmhwm %d\n", kib)
	os.Exit(0)
}

// vmHWM returns the peak resident set size of this process in KiB.
func vmHWM() (int, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer func() { _ = f.Close() }()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, errors.New("no VmHWM in /proc/self/status")
}

// measurePeakRSS runs spec in a child process and returns its peak RSS in
// bytes.
func measurePeakRSS(tb testing.TB, spec string) int64 {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.CommandContext(tb.Context(), exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), memChildEnv+"="+spec)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			tb.Fatalf("%s: %v\n%s", spec, err, ee.Stderr)
		}
		tb.Fatal(err)
	}
	kib, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(string(out), "vmhwm ")))
	if err != nil {
		tb.Fatalf("child said %q", out)
	}
	return int64(kib) << 10
}

// writeSchemaFolder writes a realistic desired schema of about size bytes
// into dir: tables with indexes, comments, views and functions, in files
// files (1: one big file).
func writeSchemaFolder(tb testing.TB, dir string, size, files int) int64 {
	tb.Helper()
	var total int64
	per := size / files
	for f := range files {
		var b strings.Builder
		b.WriteString("SET client_min_messages = warning;\n\n")
		for i := 0; b.Len() < per; i++ {
			n := fmt.Sprintf("f%d_t%d", f, i)
			fmt.Fprintf(&b, `CREATE TABLE public.%[1]s (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL,
    name text NOT NULL,
    email character varying(320),
    status text DEFAULT 'new'::text NOT NULL CHECK (status = ANY (ARRAY['new'::text, 'active'::text, 'closed'::text])),
    amount numeric(12,2) DEFAULT 0 NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    payload jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone
);

CREATE INDEX %[1]s_account_idx ON public.%[1]s USING btree (account_id, created_at DESC);
CREATE UNIQUE INDEX %[1]s_email_key ON public.%[1]s USING btree (lower((email)::text)) WHERE (status <> 'closed'::text);
COMMENT ON TABLE public.%[1]s IS 'Generated table %[1]s for the memory benchmark';

CREATE VIEW public.%[1]s_summary AS
 SELECT account_id, count(*) AS n, sum(amount) AS total, max(created_at) AS last_seen
   FROM public.%[1]s
  WHERE (status = ANY (ARRAY['new'::text, 'active'::text]))
  GROUP BY account_id;

CREATE FUNCTION public.%[1]s_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        RAISE DEBUG 'status of %% changed from %% to %%', NEW.id, OLD.status, NEW.status;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER %[1]s_touch BEFORE UPDATE ON public.%[1]s FOR EACH ROW EXECUTE FUNCTION public.%[1]s_touch();

`, n)
		}
		name := filepath.Join(dir, fmt.Sprintf("%04d_schema.sql", f))
		if err := os.WriteFile(name, []byte(b.String()), 0o600); err != nil {
			tb.Fatal(err)
		}
		total += int64(b.Len())
	}
	return total
}

// peakRSSLimit is the bound of issue 12 for a folder of the default artifact
// limit (50 MiB).
const peakRSSLimit = 256 << 20

// TestParseDir_peakRSS parses and plans (everything LoadStatements does
// before connecting) a 50 MiB folder, as one file and as many files, in a
// child process, and checks its peak RSS stays within peakRSSLimit.
func TestParseDir_peakRSS(t *testing.T) {
	if os.Getenv("SCHEMACTL_TEST_PEAK_RSS") == "" {
		t.Skip("parses 100 MiB of SQL (minutes on a busy machine): set SCHEMACTL_TEST_PEAK_RSS=1; make bench measures a real load")
	}
	for _, files := range peakRSSFiles {
		dir := t.TempDir()
		size := writeSchemaFolder(t, dir, 50<<20, files)
		peak := measurePeakRSS(t, "parse "+dir)
		t.Logf("%d file(s), %d MiB: peak RSS %d MiB", files, size>>20, peak>>20)
		if peak > peakRSSLimit {
			t.Errorf("%d file(s) of %d MiB: peak RSS %d MiB, limit %d MiB", files, size>>20, peak>>20, peakRSSLimit>>20)
		}
	}
}

// peakRSSFiles: one big file, and many files.
var peakRSSFiles = []int{1, 200}

// BenchmarkLoad_peakRSS loads generated folders of growing size (up to the
// default artifact limit, 50 MiB; one big file and many files) into a real
// scratch database, each in a child process, and prints the peak RSS against
// the input size. Needs SCHEMACTL_TEST_PG_URL (an admin URL); run by make bench.
// SCHEMACTL_BENCH_LOAD_MIB chooses the sizes (default "5,50"): a 50 MiB folder
// is ~250,000 statements, minutes of loading.
func BenchmarkLoad_peakRSS(b *testing.B) {
	admin := os.Getenv("SCHEMACTL_TEST_PG_URL")
	if admin == "" {
		b.Skip("SCHEMACTL_TEST_PG_URL is not set")
	}
	sizes := []int{5 << 20, 50 << 20}
	if v := os.Getenv("SCHEMACTL_BENCH_LOAD_MIB"); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				b.Fatalf("SCHEMACTL_BENCH_LOAD_MIB=%q: want sizes in MiB, comma-separated", v)
			}
			sizes = append(sizes, n<<20)
		}
	}
	for _, size := range sizes {
		for _, files := range peakRSSFiles {
			b.Run(fmt.Sprintf("%dMiB_%dfiles", size>>20, files), func(b *testing.B) {
				dir := b.TempDir()
				n := writeSchemaFolder(b, dir, size, files)
				var peak int64
				for b.Loop() {
					peak = measurePeakRSS(b, "load "+dir+" "+admin)
				}
				b.ReportMetric(float64(peak>>20), "peakRSS-MiB")
				b.ReportMetric(float64(n>>20), "input-MiB")
				fmt.Printf("load of %d MiB in %d file(s): peak RSS %d MiB (limit %d MiB)\n", n>>20, files, peak>>20, peakRSSLimit>>20)
				if size == 50<<20 && peak > peakRSSLimit {
					b.Errorf("peak RSS %d MiB over %d MiB", peak>>20, peakRSSLimit>>20)
				}
			})
		}
	}
}
