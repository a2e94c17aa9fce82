package logic

// TextNodes lists what free text (a label, a note, a choice label, an
// action tag's value) pipes: each well-formed reference, a *FieldRef or a
// *SmartVar, in source order, found as RefsInText finds them. Bracketed
// text that is no reference ("[1]", "[see below]") is skipped.
func TextNodes(text string) []Node {
	var out []Node
	scanText(text, func(n Node) { out = append(out, n) })
	return out
}

// EachTextNode calls fn for each node TextNodes would list, without
// collecting them.
func EachTextNode(text string, fn func(Node)) { scanText(text, fn) }
