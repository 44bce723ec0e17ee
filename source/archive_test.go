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

package source

import (
	"archive/tar"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/schemactl/schema-controller/internal/testsupport/fluxtest"
)

const fluxRev = "main@sha1:" + hashA

func TestStore_FetchArchive_verifiesAndCaches(t *testing.T) {
	g := NewWithT(t)
	srv := fluxtest.NewArtifactServer(t)
	data := fluxtest.Tarball(t, map[string]string{
		"db/001.sql": "create table a (id int);",
		"db/002.sql": "create table b (id int);",
	}, fluxtest.Entry{Name: "db/current.sql", Linkname: "001.sql"},
		fluxtest.Entry{Name: "db/passwd", Linkname: "/etc/passwd"},
		fluxtest.Entry{Name: "db/hard", Typeflag: tar.TypeLink, Linkname: "db/001.sql"})
	url := srv.Put("/gitrepository/shop/schemas/abc.tar.gz", data)
	s := newTestStore(t)

	a, err := s.FetchArchive(context.Background(), nil, "gitrepository/shop/schemas", fluxRev, url, fluxtest.Digest(data))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(a.Revision).To(Equal(fluxRev))
	g.Expect(a.ArchiveDigest).To(Equal(fluxtest.Digest(data)))
	g.Expect(listFiles(t, a.Path)).To(Equal([]string{"db/001.sql", "db/002.sql", "db/current.sql -> 001.sql"}))
	g.Expect(a.Warnings).To(ConsistOf(
		ContainSubstring("symlink db/passwd -> /etc/passwd left out: it points outside the repository"),
		ContainSubstring("db/hard left out"),
	))
	content, err := os.ReadFile(filepath.Join(a.Path, "db", "002.sql"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(content)).To(Equal("create table b (id int);"))

	// Cached by digest: no second download.
	again, err := s.FetchArchive(context.Background(), nil, "gitrepository/shop/schemas", fluxRev, url, fluxtest.Digest(data))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(again.Path).To(Equal(a.Path))
	g.Expect(srv.Requests("/gitrepository/shop/schemas/abc.tar.gz")).To(Equal(1))
}

func TestStore_FetchArchive_digestMismatch(t *testing.T) {
	g := NewWithT(t)
	srv := fluxtest.NewArtifactServer(t)
	good := fluxtest.Tarball(t, map[string]string{"001.sql": "create table a (id int);"})
	tampered := fluxtest.Tarball(t, map[string]string{"001.sql": "drop table a;"})
	url := srv.Put("/a.tar.gz", tampered)
	s := newTestStore(t)

	_, err := s.FetchArchive(context.Background(), nil, "gitrepository/shop/a", fluxRev, url, fluxtest.Digest(good))
	g.Expect(errors.Is(err, ErrDigestMismatch)).To(BeTrue(), "%v", err)
	g.Expect(err.Error()).To(ContainSubstring("its source announced " + fluxtest.Digest(good)))
	arts, err := s.List("gitrepository/shop/a")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(arts).To(BeEmpty(), "nothing of a tampered archive is stored")

	_, err = s.FetchArchive(context.Background(), nil, "gitrepository/shop/a", fluxRev, url, "md5:abc")
	g.Expect(err).To(MatchError(ContainSubstring(`digest algorithm "md5" is not supported`)))

	_, err = s.FetchArchive(context.Background(), nil, "gitrepository/shop/a", fluxRev, srv.URL+"/missing.tar.gz", fluxtest.Digest(good))
	g.Expect(errors.Is(err, ErrArchiveFetch)).To(BeTrue(), "%v", err)
	g.Expect(err.Error()).To(ContainSubstring("404 Not Found"))
}

func TestStore_PutArchive_unsafeEntries(t *testing.T) {
	for name, entry := range map[string]fluxtest.Entry{
		"dot-dot":       {Name: "../evil.sql", Typeflag: tar.TypeReg, Body: "x"},
		"nested dotdot": {Name: "db/../../evil.sql", Typeflag: tar.TypeReg, Body: "x"},
		"absolute":      {Name: "/etc/evil.sql", Typeflag: tar.TypeReg, Body: "x"},
		"file as dir":   {Name: "db/001.sql/x.sql", Typeflag: tar.TypeReg, Body: "x"},
	} {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			data := fluxtest.Tarball(t, map[string]string{"db/001.sql": "create table a (id int);"}, entry)
			s := newTestStore(t)
			_, err := s.PutArchive(context.Background(), "gitrepository/shop/a", fluxRev, fluxtest.Digest(data), strings.NewReader(string(data)))
			g.Expect(errors.Is(err, ErrUnsafePath)).To(BeTrue(), "%v", err)
			arts, err := s.List("gitrepository/shop/a")
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(arts).To(BeEmpty())
			g.Expect(filepath.Join(s.Root(), "..", "evil.sql")).NotTo(BeAnExistingFile())
		})
	}
}

func TestStore_PutArchive_sizeLimit(t *testing.T) {
	g := NewWithT(t)
	data := fluxtest.Tarball(t, map[string]string{"a.sql": strings.Repeat("x", 600), "b.sql": strings.Repeat("y", 600)})
	s := newTestStore(t, WithSizeLimit(1000))
	_, err := s.PutArchive(context.Background(), "gitrepository/shop/a", fluxRev, fluxtest.Digest(data), strings.NewReader(string(data)))
	g.Expect(errors.Is(err, ErrSizeLimitExceeded)).To(BeTrue(), "%v", err)
	g.Expect(err.Error()).To(ContainSubstring("the files exceed 1000 bytes (at least 1200 bytes)"))
}
