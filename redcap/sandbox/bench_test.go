package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rcolpipe/rcolpipe/redcap"
)

// benchDict is a dictionary of n rows in forms of 50 fields, with the
// column mix of real instruments: choices, validation, branching logic.
func benchDict(n int) []redcap.Field {
	out := make([]redcap.Field, 0, n)
	out = append(out, redcap.Field{FieldName: "record_id", FormName: "form_0", FieldType: "text", FieldLabel: "Record ID"})
	for i := 1; i < n; i++ {
		form := fmt.Sprintf("form_%d", i/50)
		f := redcap.Field{FieldName: fmt.Sprintf("f%d", i), FormName: form, FieldLabel: fmt.Sprintf("Question %d with a label of ordinary length", i)}
		switch i % 4 {
		case 0:
			f.FieldType, f.Choices = "radio", "1, Never | 2, Sometimes | 3, Often | 4, Always"
		case 1:
			f.FieldType, f.Validation, f.ValidationMin, f.ValidationMax = "text", "integer", "0", "120"
		case 2:
			f.FieldType, f.Choices = "checkbox", "a, Apples | b, Pears | c, Plums"
		case 3:
			f.FieldType, f.BranchingLogic = "notes", fmt.Sprintf("[f%d] = '2' or [f%d(a)] = '1'", i-2, i-1)
		}
		out = append(out, f)
	}
	return out
}

// BenchmarkMetadataImport measures one import (HTTP, parse, REDCap's
// checks, save in memory) of 1,000 and 10,000 rows.
func BenchmarkMetadataImport(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			st, toks := Demo()
			hs := httptest.NewServer(New(st))
			defer hs.Close()
			data, err := json.Marshal(benchDict(n))
			if err != nil {
				b.Fatal(err)
			}
			body := url.Values{"token": {toks[0].Token}, "content": {"metadata"}, "format": {"json"}, "data": {string(data)}}.Encode()
			b.SetBytes(int64(len(body)))
			b.ResetTimer()
			for b.Loop() {
				resp, err := http.Post(hs.URL+"/api/", "application/x-www-form-urlencoded", strings.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		})
	}
}

// BenchmarkMetadataExport measures one json export of 1,000 and 10,000 rows.
func BenchmarkMetadataExport(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			st, toks := Demo()
			fields, errs := checkDictionary(benchDict(n), checkOptions{})
			if len(errs) > 0 {
				b.Fatal(errs)
			}
			saveDictionary(st.Projects[0], fields, st.Users)
			hs := httptest.NewServer(New(st))
			defer hs.Close()
			form := url.Values{"token": {toks[0].Token}, "content": {"metadata"}, "format": {"json"}}
			for b.Loop() {
				resp, err := http.PostForm(hs.URL+"/api/", form)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		})
	}
}
