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

package faults_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
	"github.com/schemactl/schema-controller/internal/testsupport/proctest"
)

// convergeEvery: in runs of more kills than that, every so many kills an apply runs
// to the end (it must exit 0) before the killing goes on.
const convergeEvery = 5

func applyArgs(dir, url string) []string {
	return []string{"apply", "--dir", dir, "--url", url, "--allow-destructive", "--lock-timeout", "2s"}
}

// applyToEnd runs apply and requires exit 0; it returns how long it held the
// advisory lock (the part that changes the database), 0 when it did not take it.
func applyToEnd(t *testing.T, o *observer, bin, dir, url string) time.Duration {
	t.Helper()
	p := proctest.Start(t, proctest.Options{}, bin, applyArgs(dir, url)...)
	_, locked := o.waitLocked(p.Started, p)
	since := time.Now()
	if code := p.Wait(t, patience); code != 0 {
		t.Fatalf("apply --dir %s exited %d:\n%s", filepath.Base(dir), code, p.Out.String())
	}
	if !locked {
		return 0
	}
	return time.Since(since)
}

// TestFaults_applyKilledAtRandom is the crash-safety suite of issue 13 for the CLI:
// apply of a large change, killed with SIGKILL while a writer inserts, alternating
// between two desired states, then one apply runs to the end. The kills alternate
// between one in the online phase (while a step picked at random among the online
// steps runs, as apply_log shows) and one at a random moment of the apply's
// execution.
func TestFaults_applyKilledAtRandom(t *testing.T) {
	if testing.Short() {
		t.Skip("fault injection: not in -short")
	}
	t.Parallel()
	kills := killCount(t)
	srv := pgtest.Shared(t)
	url := srv.NewDatabase(t)
	bin := proctest.Build(t, "cmd/schemactl")
	dirA, dirB := writeState(t, stateA()), writeState(t, stateB())
	loadStateA(t, url)
	o := newObserver(t, url)
	w := startWriter(t, url)

	// An uninterrupted apply A → B gives the typical duration of its execution
	// (from its advisory lock to its end); random kills fall within it.
	typical := applyToEnd(t, o, bin, dirB, url)
	t.Logf("uninterrupted apply A → B: %s after its lock", typical.Round(time.Millisecond))

	var (
		killed, converged, finishedEarly, attempts int
		landed                                     tally
		dir                                        = dirB
		rng                                        = newRand(t)
	)
	other := func(d string) string {
		if d == dirA {
			return dirB
		}
		return dirA
	}
	for killed < kills {
		dir = other(dir)
		// Odd attempts wait for the online phase; even ones kill at a random
		// moment of the execution, counted from the advisory lock, within the
		// duration of the last apply that ran to the end.
		waitOnline := attempts%2 == 0
		attempts++
		before := o.lastLogID()
		p := proctest.Start(t, proctest.Options{}, bin, applyArgs(dir, url)...)
		_, locked := o.waitLocked(p.Started, p)
		how := "in the online phase"
		if locked && waitOnline {
			locked = o.waitOnline(before, p, rng)
		} else if locked {
			delay := time.Duration(rng.Int64N(int64(max(typical, time.Millisecond))))
			how = fmt.Sprintf("%s after its lock", delay.Round(time.Millisecond))
			select {
			case <-p.Done():
			case <-time.After(delay):
			}
		}
		s, held := o.holder(p.Started)
		if !locked || !p.Kill(t) {
			// Finished before the kill: after a kill, an apply succeeds or fails
			// cleanly; with nothing in the way (the writer's locks are short), it
			// must succeed.
			<-p.Done()
			if code := proctest.ExitCode(p.Err()); code != 0 {
				t.Fatalf("apply after %d kills exited %d:\n%s", killed, code, p.Out.String())
			}
			finishedEarly++
			converged++
			continue
		}
		killed++
		where := o.landed(s, held)
		landed[where]++
		t.Logf("kill %d: apply --dir %s killed %s; landed %s", killed, filepath.Base(dir), how, where)
		if kills > convergeEvery && killed%convergeEvery == 0 {
			// The next apply, to the end: whatever the kill left, it handles.
			dir = other(dir)
			typical = applyToEnd(t, o, bin, dir, url)
			assertClean(t, url)
			converged++
		}
	}
	// One apply runs to the end, to the state the last killed apply aimed at.
	applyToEnd(t, o, bin, dir, url)
	converged++
	planInSync(t, bin, dir, url)
	assertClean(t, url)
	checkLog(t, url, landed[online])
	acked, found := w.checkWrites(t, url)
	report(t, fmt.Sprintf("faults (schemactl apply): kills %d (%s), runs converged %d (of them finished before their kill %d), acknowledged writes %d, rows found %d, failed writer transactions %d",
		killed, &landed, converged, finishedEarly, acked, found, w.failed))
	if landed[online] == 0 {
		t.Errorf("no kill landed in the online phase (%s)", &landed)
	}
}
