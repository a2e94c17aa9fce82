package redcap

import "fmt"

// LoadTree reads the folder t as Load reads a folder on disk: the same
// entries passed over, excluded (o.Exclude), skipped with a finding and
// refused past the limits, the same readers (structure files included),
// stacked in path order. shown names the tree's root in origins and
// diagnostics (for a folder at a git revision, "REV:folder").
func (o LoadOptions) LoadTree(t Tree, shown string) (*Dictionary, Diagnostics, error) {
	w := &walker{opts: o, tree: t, shown: shown, root: ".", maxDepth: MaxWalkDepth, maxEntries: MaxWalkEntries}
	files, diags, err := w.run()
	if err != nil {
		return nil, diags, fmt.Errorf("load %s: %w", shown, err)
	}
	if diags.HasCode(CodeTooLarge) {
		return &Dictionary{Files: []string{shown}}, diags, nil
	}
	if len(files) == 0 {
		return &Dictionary{Files: []string{shown}}, append(diags, emptyFolder(shown)), nil
	}
	st := &Structure{}
	dicts := make([]*Dictionary, 0, len(files))
	for _, f := range files {
		name := w.display(f)
		data, tooLarge, err := t.ReadFile(f)
		if err != nil {
			return nil, diags, fmt.Errorf("load %s: %w", name, err)
		}
		if tooLarge {
			dicts = append(dicts, &Dictionary{Files: []string{name}})
			diags = append(diags, tooLargeFile(name, ""))
			continue
		}
		d, ds := st.readInput(name, data)
		dicts = append(dicts, d)
		diags = append(diags, ds...)
	}
	d, ds := Stack(dicts...)
	return d, append(diags, ds...), nil
}

// ReadInputBytes reads one input file's content as Load reads a file named
// on the command line: a dictionary (ReadBytes), or a project-structure
// file, which adds no fields (name is used in origins and diagnostics).
func ReadInputBytes(name string, data []byte) (*Dictionary, Diagnostics) {
	return (&Structure{}).readInput(name, data)
}
