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

// Package source fetches Git repositories into a local artifact cache.
//
// It is the Git half of the SchemaRepository controller, written without any
// Kubernetes import so that the CLI can use it as it is:
//
//   - [ParseURL] validates a repository URL (https, http, ssh, scp-like
//     user@host:path, file).
//   - [NewAuth] reads credentials from the data of a Secret (username and
//     password, bearerToken, identity and known_hosts, ca.crt).
//   - [Repository.Resolve] asks the remote for its refs (the ls-remote of
//     Git) and turns a [Reference] into a [Commit] without fetching anything.
//   - [Repository.Fetch] fetches just the objects of one commit, shallowly.
//   - [Store] writes the files of a commit as an artifact: ignore rules
//     applied, symlinks that leave the tree dropped, size limited, digested,
//     written atomically, and garbage-collected per owner.
//   - [Sync] ties them together and does no fetch when the stored artifact
//     is already that of the commit the remote advertises.
//
// Revisions follow Flux: main@sha1:<hex> for a branch, v1.2.0@sha1:<hex> for
// a tag, refs/pull/1/head@sha1:<hex> for a reference name, and sha1:<hex> for
// a bare commit.
//
// Errors never carry passwords, tokens or key passphrases. Errors a retry
// cannot fix wrap [ErrInvalidURL], [ErrInvalidAuth] or [ErrInvalidReference].
package source
