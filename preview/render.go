package preview

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sync"
)

var (
	//go:embed page.tmpl
	pageTemplate string
	//go:embed page.css
	pageCSS string
	//go:embed page.js
	pageJS string
)

// pageTmpl is parsed on first use rather than at start-up, which every
// command would pay.
var pageTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(pageTemplate))
})

// render writes the page: the template with the stylesheet, the logic
// runtime, the translated expressions and the page script inline.
func render(w io.Writer, p *page) error {
	data := struct {
		*page
		CSS    template.CSS
		Script template.JS
	}{p, template.CSS(pageCSS), template.JS(pageJS)}
	if err := pageTmpl().Execute(w, data); err != nil {
		return fmt.Errorf("render the preview: %w", err)
	}
	return nil
}
