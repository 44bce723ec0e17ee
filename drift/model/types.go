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

// Enum is an enum type with its labels in sort order.
type Enum struct {
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	Labels  []string `json:"labels"`
	Comment string   `json:"comment,omitempty"`
}

// Domain is a domain type: a base type with a default, NOT NULL and named checks.
type Domain struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Type is format_type of the base type with its typmod.
	Type string `json:"type"`
	// Collation is the domain's collation when it differs from the base type's.
	Collation string `json:"collation,omitempty"`
	Default   string `json:"default,omitempty"`
	NotNull   bool   `json:"notNull,omitempty"`
	// Checks are the named CHECK constraints, sorted by name.
	Checks  []DomainCheck `json:"checks,omitempty"`
	Comment string        `json:"comment,omitempty"`
}

// DomainCheck is a CHECK constraint of a domain.
type DomainCheck struct {
	Name string `json:"name"`
	// Definition is pg_get_constraintdef without a trailing NOT VALID.
	Definition string `json:"definition"`
	Validated  bool   `json:"validated"`
	Comment    string `json:"comment,omitempty"`
}

// CompositeType is a composite type (CREATE TYPE ... AS (...)).
type CompositeType struct {
	Schema     string      `json:"schema"`
	Name       string      `json:"name"`
	Attributes []Attribute `json:"attributes"`
	Comment    string      `json:"comment,omitempty"`
}

// Attribute is an attribute of a composite type.
type Attribute struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Collation string `json:"collation,omitempty"`
	Comment   string `json:"comment,omitempty"`
}

// RangeType is a range type (CREATE TYPE ... AS RANGE).
type RangeType struct {
	Schema  string `json:"schema"`
	Name    string `json:"name"`
	Subtype string `json:"subtype"`
	// Multirange is the name of the multirange type PostgreSQL 14+ creates with it.
	Multirange string `json:"multirange,omitempty"`
	// Opclass is the subtype operator class when it is not the default one.
	Opclass string `json:"opclass,omitempty"`
	// Collation is the subtype collation when it is not the default one.
	Collation string `json:"collation,omitempty"`
	// Canonical and Subdiff are the qualified functions, when set.
	Canonical string `json:"canonical,omitempty"`
	Subdiff   string `json:"subdiff,omitempty"`
	Comment   string `json:"comment,omitempty"`
}

// Collation is a collation created with CREATE COLLATION.
type Collation struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Provider is c (libc), i (icu) or d (default).
	Provider      string `json:"provider"`
	Deterministic bool   `json:"deterministic"`
	// Collate and Ctype are LC_COLLATE and LC_CTYPE (libc), Locale the ICU locale.
	Collate string `json:"collate,omitempty"`
	Ctype   string `json:"ctype,omitempty"`
	Locale  string `json:"locale,omitempty"`
	Comment string `json:"comment,omitempty"`
}
