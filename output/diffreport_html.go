package output

import (
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/rcolpipe/rcolpipe/dictdiff"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// The HTML diff is one self-contained page (no script, no external style
// or font). html/template escapes every text from the dictionary. It is
// parsed on first use rather than at start-up, which every command would pay.
var diffHTML = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("diff").Funcs(template.FuncMap{
		"p":       redcap.Printable,
		"short":   func(s string) string { return shorten(redcap.Printable(s), labelExcerpt) },
		"type":    typeText,
		"summary": summary,
		"seg":     func(s string) string { return redcap.Printable(cutSegment(s)) },
		"blank":   func(s string) bool { return strings.TrimSpace(s) == "" },
	}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rcolpipe diff: {{p .R.Old}} → {{p .R.New}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;line-height:1.4;color:#222}
table{border-collapse:collapse;margin:0 0 1.5rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
code{font-family:ui-monospace,monospace}
del{background:#fdd;color:#700}
ins{background:#dfd;color:#060;text-decoration:none}
.critical{border-left:4px solid #c00;padding-left:1rem}
.note{color:#555}
</style>
</head>
<body>
<h1>rcolpipe diff</h1>
<p><code>{{p .R.Old}}</code> → <code>{{p .R.New}}</code></p>
{{range .R.Notes}}<p class="note">note: {{p .}}</p>
{{end}}{{if .R.Empty}}<p><strong>No changes.</strong></p>
{{else}}<p><strong>{{summary .R}}</strong></p>
{{if .R.Critical}}<section class="critical" aria-labelledby="critical"><h2 id="critical">Critical changes ({{len .R.Critical}})</h2>
<p>In a project with records these lose data or change what stored values mean.</p>
<ul>{{range .R.Critical}}<li><strong>{{.Kind}}</strong>: {{p .Message}}</li>{{end}}</ul></section>
{{end}}{{if .R.FormsAdded}}<h2>Forms added ({{len .R.FormsAdded}})</h2>
<table><tr><th scope="col">form</th><th scope="col">fields</th></tr>{{range .R.FormsAdded}}<tr><td><code>{{p .Form}}</code></td><td>{{.Fields}}</td></tr>{{end}}</table>
{{end}}{{if .R.FormsRemoved}}<h2>Forms removed ({{len .R.FormsRemoved}})</h2>
<table><tr><th scope="col">form</th><th scope="col">fields</th></tr>{{range .R.FormsRemoved}}<tr><td><code>{{p .Form}}</code></td><td>{{.Fields}}</td></tr>{{end}}</table>
{{end}}{{if .R.FieldsAdded}}<h2>Fields added ({{len .R.FieldsAdded}})</h2>
<table><tr><th scope="col">field</th><th scope="col">form</th><th scope="col">type</th><th scope="col">label</th></tr>{{range .R.FieldsAdded}}<tr><td><code>{{p .Field}}</code></td><td><code>{{p .Form}}</code></td><td>{{p (type .)}}</td><td>{{short .Label}}</td></tr>{{end}}</table>
{{end}}{{if .R.FieldsRemoved}}<h2>Fields removed ({{len .R.FieldsRemoved}})</h2>
<table><tr><th scope="col">field</th><th scope="col">form</th><th scope="col">type</th><th scope="col">label</th></tr>{{range .R.FieldsRemoved}}<tr><td><code>{{p .Field}}</code></td><td><code>{{p .Form}}</code></td><td>{{p (type .)}}</td><td>{{short .Label}}</td></tr>{{end}}</table>
{{end}}{{if .R.FieldsRenamed}}<h2>Fields renamed ({{len .R.FieldsRenamed}})</h2>
<table><tr><th scope="col">from</th><th scope="col">to</th><th scope="col">form</th></tr>{{range .R.FieldsRenamed}}<tr><td><code>{{p .From}}</code></td><td><code>{{p .To}}</code></td><td><code>{{p .Form}}</code></td></tr>{{end}}</table>
{{end}}{{if .R.FieldsChanged}}<h2>Fields changed ({{len .R.FieldsChanged}})</h2>
<table><tr><th scope="col">field</th><th scope="col">form</th><th scope="col">column</th><th scope="col">change</th></tr>
{{range $f := .R.FieldsChanged}}{{range .Columns}}<tr><td><code>{{p $f.Field}}</code></td><td><code>{{p $f.Form}}</code></td><td><code>{{.Column}}</code></td><td>{{template "change" .}}</td></tr>
{{end}}{{end}}</table>
{{end}}{{if .R.OrderChanged}}<p>The order of the fields changes.</p>
{{end}}{{end}}</body>
</html>
{{define "change"}}{{if .TooLong}}changed ({{len .Old}} → {{len .New}} bytes; too long to compare word by word){{else if .Long}}{{range $i, $h := .Hunks}}{{if $i}}<br>{{end}}{{if $h.Before}}…{{end}}{{range $h.Segments}}{{template "seg" .}}{{end}}{{if $h.After}}…{{end}}{{end}}{{else}}{{if .Old}}<del>{{p .Old}}</del>{{else}}<em>(empty)</em>{{end}} → {{if .New}}<ins>{{p .New}}</ins>{{else}}<em>(empty)</em>{{end}}{{end}}{{end}}
{{define "seg"}}{{if eq .Op "delete"}}<del>{{if blank .Text}}␣{{else}}{{seg .Text}}{{end}}</del>{{else if eq .Op "insert"}}<ins>{{if blank .Text}}␣{{else}}{{seg .Text}}{{end}}</ins>{{else}}{{p .Text}}{{end}}{{end}}
`))
})

func writeDiffHTML(w io.Writer, r *dictdiff.Report) error {
	return diffHTML().Execute(w, struct{ R *dictdiff.Report }{r})
}
