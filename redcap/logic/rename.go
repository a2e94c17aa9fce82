package logic

import (
	"fmt"
	"maps"
	"sort"
	"strings"
)

type edit struct {
	pos, end int
	text     string
}

func applyEdits(src string, edits []edit) string {
	if len(edits) == 0 {
		return src
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].pos < edits[j].pos })
	var b strings.Builder
	b.Grow(len(src) + 16*len(edits))
	last := 0
	for _, e := range edits {
		b.WriteString(src[last:e.pos])
		b.WriteString(e.text)
		last = e.end
	}
	b.WriteString(src[last:])
	return b.String()
}

// checkRenames rejects new names that would change the syntax of the logic.
func checkRenames(renames map[string]string) error {
	for old, nu := range renames {
		if nu != old && !isFieldName(nu) {
			return fmt.Errorf("rename %q to %q: not a field name", old, nu)
		}
	}
	return nil
}

// renameEdits collects the edits that rename the fields of one reference
// node (a *FieldRef or *SmartVar).
func renameEdits(n Node, renames map[string]string, edits []edit) []edit {
	switch n := n.(type) {
	case *FieldRef:
		if nu, ok := renames[n.Field]; ok && nu != n.Field {
			edits = append(edits, edit{n.FieldPos, n.FieldEnd, nu})
		}
	case *SmartVar:
		for _, f := range n.Fields {
			if nu, ok := renames[f.Name]; ok && nu != f.Name {
				edits = append(edits, edit{f.Pos, f.End, nu})
			}
		}
	}
	return edits
}

// Rename rewrites every field reference in logic whose field name is a key
// of renames: [age] → [age_years], also [event][age], [age(code)],
// [age][2], [age:label] and the field parameters of Smart Variables such as
// [aggregate-mean:age]. Everything else is kept byte for byte: event names,
// codes, instances, modifiers, strings, comments and spacing. Smart
// Variable names are never renamed. The error is a *SyntaxError when src
// does not parse, or an error for a new name that is not a field name.
// Blank src is returned unchanged. Rename checks every entry of renames on
// each call: to rewrite many cells with one large map, use a Renamer.
func Rename(src string, renames map[string]string) (string, error) {
	if err := checkRenames(renames); err != nil {
		return "", err
	}
	return (&Renamer{renames: renames}).Rename(src)
}

// RenameInText renames field references piped into free text: labels,
// notes, section headers, choices, annotations (action tag arguments
// included). It rewrites every [...] sequence that is a well-formed field
// reference ([age], [age:label], [event][age], [age(2)], [age][2],
// [aggregate-mean:age]) and leaves any other bracketed text alone, such as
// "[see below]". When a new name in renames is not a field name, text is
// returned unchanged.
func RenameInText(text string, renames map[string]string) string {
	r := Renamer{renames: renames}
	edits := r.textEdits(text)
	// The map is checked only when there is something to rename, so that
	// cells without references to it do not pay for a large map.
	if len(edits) == 0 || checkRenames(renames) != nil {
		return text
	}
	return applyEdits(text, edits)
}

// Renamer does what Rename and RenameInText do with one rename map that is
// checked once, for rewriting many cells with the same (possibly large)
// map.
type Renamer struct {
	renames map[string]string
}

// NewRenamer checks renames (the error of Rename for a new name that is not
// a field name) and keeps a copy of it.
func NewRenamer(renames map[string]string) (*Renamer, error) {
	if err := checkRenames(renames); err != nil {
		return nil, err
	}
	return &Renamer{renames: maps.Clone(renames)}, nil
}

// Rename is Rename with the Renamer's map.
func (r *Renamer) Rename(src string) (string, error) {
	if strings.TrimSpace(StripComments(src)) == "" {
		return src, nil
	}
	e, err := Parse(src)
	if err != nil {
		return "", err
	}
	if len(r.renames) == 0 {
		return src, nil
	}
	var edits []edit
	Walk(e.Root, func(n Node) bool {
		edits = renameEdits(n, r.renames, edits)
		return true
	})
	return applyEdits(src, edits), nil
}

// RenameInText is RenameInText with the Renamer's map.
func (r *Renamer) RenameInText(text string) string {
	return applyEdits(text, r.textEdits(text))
}

// textEdits collects the edits that rename the references piped into text.
func (r *Renamer) textEdits(text string) []edit {
	if len(r.renames) == 0 || strings.IndexByte(text, '[') < 0 {
		return nil
	}
	var edits []edit
	scanText(text, func(n Node) { edits = renameEdits(n, r.renames, edits) })
	return edits
}

// RefsInText lists the field references piped into free text, as
// RenameInText finds them, with their spans in text.
func RefsInText(text string) []Ref {
	var refs []Ref
	scanText(text, func(n Node) { refs = appendRefs(refs, n) })
	return refs
}

// scanText calls fn for every well-formed reference in free text.
func scanText(text string, fn func(Node)) {
	for i := 0; i < len(text); {
		k := strings.IndexByte(text[i:], '[')
		if k < 0 {
			return
		}
		i += k
		n, end, err := scanRef(text, i, true)
		if err != nil {
			i++
			continue
		}
		fn(n)
		i = end
	}
}
