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
	"fmt"
	"strings"
	"sync"
	"time"
)

// Timings collects how long the steps of a load took (and, through the drift
// engine, the steps of a plan around it), in the order they ended, for
// benchmarks and debug logs. Steps may end concurrently. A nil *Timings
// records nothing.
type Timings struct {
	mu    sync.Mutex
	steps []Timing
}

// Timing is one step and its duration.
type Timing struct {
	Step     string
	Duration time.Duration
}

// Since records step as having taken the time since start.
func (t *Timings) Since(step string, start time.Time) {
	if t == nil {
		return
	}
	d := time.Since(start)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.steps = append(t.steps, Timing{Step: step, Duration: d})
}

// Steps returns the recorded steps; a step recorded more than once appears
// once with its durations summed, where it first ended.
func (t *Timings) Steps() []Timing {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Timing
	at := map[string]int{}
	for _, s := range t.steps {
		if i, ok := at[s.Step]; ok {
			out[i].Duration += s.Duration
			continue
		}
		at[s.Step] = len(out)
		out = append(out, s)
	}
	return out
}

// Reset forgets the recorded steps.
func (t *Timings) Reset() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.steps = nil
}

// String renders the steps as "step 12ms, step 3ms".
func (t *Timings) String() string {
	var parts []string
	for _, s := range t.Steps() {
		parts = append(parts, fmt.Sprintf("%s %v", s.Step, s.Duration.Round(time.Millisecond)))
	}
	return strings.Join(parts, ", ")
}
