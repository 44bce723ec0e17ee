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

// Grant is one privilege granted on an object to a role, compared when privileges
// are managed. The object's owner's own privileges are not listed.
type Grant struct {
	// Kind is table, column, sequence, function or schema.
	Kind string `json:"kind"`
	// Object is the object as GRANT names it: a qualified table, sequence or schema,
	// a function with its argument types; Column is set for column privileges.
	Object string `json:"object"`
	Column string `json:"column,omitempty"`
	// Grantee is the role name, "PUBLIC" for everyone.
	Grantee string `json:"grantee"`
	// Privilege is SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER,
	// USAGE, CREATE or EXECUTE.
	Privilege string `json:"privilege"`
	Grantable bool   `json:"grantable,omitempty"`
}

// Ownership is the owner of an object, reported (never changed) when privileges are
// managed. Owner is empty when the object belongs to the inspecting role.
type Ownership struct {
	Kind   string `json:"kind"`
	Object string `json:"object"`
	Owner  string `json:"owner"`
}
