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

// Package faults holds the fault-injection suite (`make faults`): a real schemactl
// process applying a large change is killed with SIGKILL at random moments while a
// writer inserts into the database; the database must converge with no INVALID
// index, no helper constraint, every acknowledged write kept and no write failed.
// SCHEMACTL_FAULTS_KILLS sets the number of kills (default 3, the brief mode that
// `make test` runs).
package faults
