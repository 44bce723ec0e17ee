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

package plan

// LossyTypeChange tells whether changing a column's type from one type to another
// (both as format_type renders them, e.g. "character varying(20)", "bigint") can
// lose, change or reject a value by the engine's table of exact conversions: what
// a declarative plan tags DataLoss. Domains, enums and citext are not resolved
// here: such a change is lossy unless the types are equal. Other engine packages
// (drift/migrate's gate) classify a migration's ALTER COLUMN TYPE with it.
func LossyTypeChange(from, to string) bool {
	_, lossy := classifyTypeChange(from, to, Cast{}, func(string) typeKind { return kindOther })
	return lossy
}
