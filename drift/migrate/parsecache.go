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

package migrate

import (
	"crypto/sha256"
	"sync"

	"github.com/schemactl/schema-controller/drift/load"
)

// The agent reads a revision's folder on every interval, and parsing it with
// PostgreSQL's parser is most of the CPU of a drift check (a 300-migration folder
// takes tens of milliseconds). What the parser makes of a file depends only on its
// name (the file of the statements' positions) and its up SQL, so parsed files are
// kept, keyed by both, and a file is parsed again only when it changes.

type parseKey struct {
	file string
	sum  [sha256.Size]byte
}

type parsed struct {
	statements []load.Statement
	analysis   Analysis
}

// maxParsed bounds the cache: past it the cache starts over (a folder is read
// whole at every interval, so the files in use come back at once).
const maxParsed = 8192

var parseCache = struct {
	sync.Mutex
	m map[parseKey]parsed
}{m: map[parseKey]parsed{}}

func cachedParse(file, sql string) (parsed, bool) {
	parseCache.Lock()
	defer parseCache.Unlock()
	p, ok := parseCache.m[parseKey{file, sha256.Sum256([]byte(sql))}]
	return p, ok
}

func storeParse(file, sql string, p parsed) {
	parseCache.Lock()
	defer parseCache.Unlock()
	if len(parseCache.m) >= maxParsed {
		clear(parseCache.m)
	}
	parseCache.m[parseKey{file, sha256.Sum256([]byte(sql))}] = p
}
