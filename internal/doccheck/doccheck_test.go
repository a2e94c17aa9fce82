// Package doccheck holds repository-wide checks on documentation: the
// repository cites only itself, and the section links in comments and docs
// lead somewhere. It has no code, only these tests.
package doccheck

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// root is the repository's top folder, seen from this package.
var root = filepath.Join("..", "..")

// repoFile is one file of the repository that is not a test.
type repoFile struct {
	path string // slash-separated, relative to root
	data []byte
}

// testSupport are folders of test helpers that are not _test.go files
// because several packages' tests share them. internal/testcorpus is the one
// place that knows where the corpus of real dictionaries lives (outside the
// repository); only tests import it. internal/browsertest starts the
// browser of the browser tests.
var testSupport = map[string]bool{"internal/testcorpus": true, "internal/browsertest": true}

// nonTestFiles returns the repository's text files other than tests:
// *_test.go files, testdata folders and the testSupport folders are tests
// and may name the corpus of real dictionaries that lives outside the
// repository.
func nonTestFiles(t *testing.T) []repoFile {
	t.Helper()
	var files []repoFile
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == ".git" { // a folder, or a file in a worktree
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			if d.Name() == "testdata" || testSupport[filepath.ToSlash(rel)] {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.IndexByte(data, 0) >= 0 {
			return nil // binary
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		files = append(files, repoFile{filepath.ToSlash(rel), data})
		return nil
	})
	if err != nil {
		t.Fatalf("walking the repository: %v", err)
	}
	if len(files) == 0 {
		t.Fatalf("no files found under %s", root)
	}
	return files
}

// TestNoReferencesOutsideRepository fails when a file that is not a test
// cites documents that are not in the repository (the notes the project
// started from); they are docs/redcap.md and docs/architecture.md now.
func TestNoReferencesOutsideRepository(t *testing.T) {
	outside := []string{"shared/", "redcap-api.md", "DESIGN.md"}
	for _, f := range nonTestFiles(t) {
		for i, line := range strings.Split(string(f.data), "\n") {
			for _, s := range outside {
				if strings.Contains(line, s) {
					t.Errorf("%s:%d mentions %q, which is not in the repository; cite docs/redcap.md or docs/architecture.md instead: %s",
						f.path, i+1, s, strings.TrimSpace(line))
				}
			}
		}
	}
}

// TestTestSupportOnlyForTests fails when a package that is not a test
// imports a testSupport package: then it would no longer be a test, and the
// exemption in nonTestFiles would hide what it cites.
func TestTestSupportOnlyForTests(t *testing.T) {
	for _, f := range nonTestFiles(t) {
		if !strings.HasSuffix(f.path, ".go") {
			continue
		}
		for dir := range testSupport {
			if bytes.Contains(f.data, []byte(`"github.com/rcolpipe/rcolpipe/`+dir+`"`)) {
				t.Errorf("%s imports %s, which is for tests only", f.path, dir)
			}
		}
	}
}

// TestRequiredDocsExist fails when a document the README promises is missing.
func TestRequiredDocsExist(t *testing.T) {
	for _, name := range []string{"LICENSE", "docs/architecture.md", "docs/redcap.md"} {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

var (
	// sectionLink is a link to a section of one of the project's docs, as
	// comments write it: docs/redcap.md#column-order.
	sectionLink = regexp.MustCompile(`docs/([a-z]+)\.md#([a-z0-9-]+)`)
	// heading is a Markdown heading line.
	heading = regexp.MustCompile(`(?m)^#{1,6} +(.+?) *$`)
	// notInSlug is what GitHub drops from a heading to make its anchor.
	notInSlug = regexp.MustCompile(`[^\p{L}\p{N}_ -]`)
)

// anchors returns the section anchors of a Markdown document as GitHub
// makes them: lower case, punctuation dropped, spaces to hyphens.
func anchors(doc []byte) map[string]bool {
	out := map[string]bool{}
	for _, m := range heading.FindAllSubmatch(doc, -1) {
		slug := notInSlug.ReplaceAllString(strings.ToLower(string(m[1])), "")
		out[strings.ReplaceAll(slug, " ", "-")] = true
	}
	return out
}

// TestSectionLinksResolve fails when a comment or a document links to a
// section of docs/NAME.md that does not exist, e.g. after a heading was
// renamed without the comments that cite it.
func TestSectionLinksResolve(t *testing.T) {
	docs := map[string]map[string]bool{}
	links := 0
	for _, f := range nonTestFiles(t) {
		for i, line := range strings.Split(string(f.data), "\n") {
			for _, m := range sectionLink.FindAllStringSubmatch(line, -1) {
				doc, anchor := "docs/"+m[1]+".md", m[2]
				if docs[doc] == nil {
					data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(doc)))
					if err != nil {
						t.Errorf("%s:%d links to %s, which cannot be read: %v", f.path, i+1, doc, err)
						continue
					}
					docs[doc] = anchors(data)
				}
				links++
				if !docs[doc][anchor] {
					t.Errorf("%s:%d links to %s#%s, but %s has no such section", f.path, i+1, doc, anchor, doc)
				}
			}
		}
	}
	if links == 0 {
		t.Errorf("no links to doc sections found; the pattern %s no longer matches how comments cite docs", sectionLink)
	}
}

// TestAnchors checks the slug rule on headings the docs use.
func TestAnchors(t *testing.T) {
	got := anchors([]byte("# Title\n## One endpoint, POST only\n## The record ID field\ntext\n### `forms[]` filter\n"))
	for _, want := range []string{"title", "one-endpoint-post-only", "the-record-id-field", "forms-filter"} {
		if !got[want] {
			t.Errorf("anchor %q missing from %v", want, got)
		}
	}
}
