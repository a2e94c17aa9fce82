package preview

import (
	"html/template"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/rcolpipe/rcolpipe/internal/lazyre"
)

// A dictionary is hostile input: a label is shown with REDCap's harmless
// formatting only. sanitize parses a label as an HTML fragment and writes
// back the allowed elements with their allowed attributes; any other
// element is dropped but its text kept, and the content of elements that
// are code or load something (script, style, iframe, object, svg, ...) is
// dropped whole. Nothing in the output can run script or fetch a URL:
// there are no event handlers, no src, no url() in styles, and links keep
// only http(s) and mailto targets (they are not followed unless clicked).

// allowedTags are the formatting elements REDCap's label editor produces.
var allowedTags = map[atom.Atom]bool{
	atom.B: true, atom.Strong: true, atom.I: true, atom.Em: true, atom.U: true, atom.S: true,
	atom.Strike: true, atom.Sub: true, atom.Sup: true, atom.Br: true, atom.P: true, atom.Div: true,
	atom.Span: true, atom.Font: true, atom.Ul: true, atom.Ol: true, atom.Li: true, atom.H1: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Hr: true,
	atom.Center: true, atom.Small: true, atom.Big: true, atom.Blockquote: true, atom.Pre: true,
	atom.Code: true, atom.Table: true, atom.Thead: true, atom.Tbody: true, atom.Tr: true,
	atom.Td: true, atom.Th: true, atom.Caption: true, atom.A: true, atom.Mark: true, atom.Del: true,
	atom.Ins: true, atom.Abbr: true,
}

// droppedWhole are elements whose content is not text to show.
var droppedWhole = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Template: true, atom.Noscript: true, atom.Svg: true, atom.Math: true, atom.Title: true,
	atom.Textarea: true, atom.Select: true, atom.Head: true, atom.Frameset: true, atom.Frame: true,
	atom.Noembed: true, atom.Noframes: true, atom.Xmp: true, atom.Plaintext: true, atom.Video: true,
	atom.Audio: true, atom.Canvas: true, atom.Applet: true, atom.Link: true, atom.Meta: true, atom.Base: true,
}

// allowedAttrs are the attributes kept, per element or for all ("").
var allowedAttrs = map[string]bool{
	"style": true, "align": true, "title": true,
	"font.color": true, "font.size": true, "font.face": true,
	"td.colspan": true, "td.rowspan": true, "th.colspan": true, "th.rowspan": true,
	"a.href": true, "ol.start": true,
}

// cssProperties are the style properties kept; values are checked by cssValue.
var cssProperties = map[string]bool{
	"color": true, "background-color": true, "font-weight": true, "font-style": true,
	"font-size": true, "font-family": true, "text-decoration": true, "text-align": true,
	"margin": true, "margin-left": true, "margin-right": true, "margin-top": true, "margin-bottom": true,
	"padding": true, "padding-left": true, "padding-right": true, "width": true,
	"border": true, "vertical-align": true, "line-height": true,
}

// cssValue admits colours, lengths, keywords and font names; no url(),
// no escapes, no expression().
var cssValue = lazyre.New(`^[#a-zA-Z0-9 .,%'"-]*$|^rgba?\([0-9 .,%]*\)$`)

func cleanStyle(s string) string {
	var keep []string
	for _, decl := range strings.Split(s, ";") {
		prop, val, ok := strings.Cut(decl, ":")
		prop, val = strings.ToLower(strings.TrimSpace(prop)), strings.TrimSpace(val)
		if ok && cssProperties[prop] && cssValue.MatchString(val) {
			keep = append(keep, prop+": "+val)
		}
	}
	return strings.Join(keep, "; ")
}

func cleanHref(s string) (string, bool) {
	l := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "mailto:") {
		return strings.TrimSpace(s), true
	}
	return "", false
}

// sanitize returns label (REDCap HTML) as safe HTML. A label that cannot be
// parsed is shown as text.
func sanitize(label string) template.HTML {
	if !strings.ContainsAny(label, "<&") {
		return template.HTML(template.HTMLEscapeString(label))
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(label), ctx)
	if err != nil {
		return template.HTML(template.HTMLEscapeString(label))
	}
	var b strings.Builder
	for _, n := range nodes {
		writeNode(&b, n)
	}
	return template.HTML(b.String())
}

func writeNode(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(template.HTMLEscapeString(n.Data))
		return
	case html.ElementNode:
	default:
		return // comments, doctypes
	}
	if droppedWhole[n.DataAtom] {
		return
	}
	if n.DataAtom == atom.Img {
		// An image would be fetched: say what it is instead.
		for _, a := range n.Attr {
			if a.Key == "alt" && a.Val != "" {
				b.WriteString("[image: " + template.HTMLEscapeString(a.Val) + "]")
				return
			}
		}
		b.WriteString("[image]")
		return
	}
	allowed := allowedTags[n.DataAtom]
	if allowed {
		b.WriteString("<" + n.Data)
		for _, a := range n.Attr {
			if a.Namespace != "" || !(allowedAttrs[a.Key] || allowedAttrs[n.Data+"."+a.Key]) {
				continue
			}
			val := a.Val
			switch a.Key {
			case "style":
				val = cleanStyle(val)
			case "href":
				var ok bool
				if val, ok = cleanHref(val); !ok {
					continue
				}
			}
			b.WriteString(" " + a.Key + `="` + template.HTMLEscapeString(val) + `"`)
		}
		if n.DataAtom == atom.A {
			b.WriteString(` rel="noopener noreferrer" target="_blank"`)
		}
		b.WriteString(">")
		if n.DataAtom == atom.Br || n.DataAtom == atom.Hr {
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		writeNode(b, c)
	}
	if allowed {
		b.WriteString("</" + n.Data + ">")
	}
}

// plainText is a label without its markup, for places that take text only
// (dropdown options, titles).
func plainText(label string) string {
	if !strings.ContainsAny(label, "<&") {
		return label
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(label), ctx)
	if err != nil {
		return label
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && droppedWhole[n.DataAtom] {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return strings.TrimSpace(b.String())
}
