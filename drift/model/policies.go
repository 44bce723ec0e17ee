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

package model

// Policy is a row-level security policy of a table.
type Policy struct {
	Schema string `json:"schema"`
	// Table is the table's name in Schema.
	Table string `json:"table"`
	Name  string `json:"name"`
	// Permissive is false for AS RESTRICTIVE.
	Permissive bool `json:"permissive"`
	// Command is ALL, SELECT, INSERT, UPDATE or DELETE.
	Command string `json:"command"`
	// Roles are the role names, sorted; "public" stands for PUBLIC.
	Roles     []string `json:"roles"`
	Using     string   `json:"using,omitempty"`
	WithCheck string   `json:"withCheck,omitempty"`
	Comment   string   `json:"comment,omitempty"`
}
