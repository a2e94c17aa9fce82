package pipeline

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rcolpipe/rcolpipe/pipeline/rules"
	"github.com/rcolpipe/rcolpipe/redcap"
)

// StructureConfig is the `structure` section of the pipeline file: the
// longitudinal project's structure files and the designation policy.
type StructureConfig struct {
	// Files are structure files or folders (resolved against the pipeline
	// file's folder). Structure files among the inputs are read too.
	Files []string
	// Project is "classic", "longitudinal" or "" (decided by the files).
	Project string
	// Designate, when set, designates forms for events on upload.
	Designate *redcap.DesignationPolicy
}

func (raw *rawConfig) resolveStructure(c *Config, rel func(string) string, root *yaml.Node) {
	s := raw.Structure
	for _, f := range s.Files {
		c.Structure.Files = append(c.Structure.Files, rel(f))
	}
	c.Structure.Project = s.Project
	if s.Designate != nil {
		p := &redcap.DesignationPolicy{Events: s.Designate.Events, Forms: s.Designate.Forms, Source: c.Path}
		for i := range p.Events {
			p.EventLines = append(p.EventLines, lineOf(root, fmt.Sprintf("structure.designate.events[%d]", i)))
		}
		for i := range p.Forms {
			p.FormLines = append(p.FormLines, lineOf(root, fmt.Sprintf("structure.designate.forms[%d]", i)))
		}
		c.Structure.Designate = p
	}
}

// loadStructure reads the structure files of the pipeline file (inputs
// already contributed theirs to st).
func loadStructure(sc StructureConfig, st *redcap.Structure) (redcap.Diagnostics, error) {
	if len(sc.Files) == 0 {
		return nil, nil
	}
	_, more, diags, err := redcap.LoadWithStructure(sc.Files...)
	if err != nil {
		return diags, err
	}
	st.Merge(more)
	return diags, nil
}

// checkStructure runs the RC9xx rules on the final dictionary.
func checkStructure(d *redcap.Dictionary, st *redcap.Structure, sc StructureConfig, assume *redcap.Dictionary) redcap.Diagnostics {
	if d == nil {
		return nil
	}
	var out redcap.Diagnostics
	if p := sc.Designate; p != nil {
		// The policy's own entries are reported where the pipeline file
		// has them; the designations it makes for them are left out, so
		// that the same mistake is not reported again at no line.
		forms := map[string]bool{}
		for _, dd := range []*redcap.Dictionary{d, assume} {
			if dd != nil {
				for _, f := range dd.Fields {
					forms[f.FormName] = true
				}
			}
		}
		bad := map[string]bool{}
		var probs []redcap.PolicyProblem
		if st.HasEvents {
			probs = p.UnknownEvents(st.Events, "the events of the structure files")
			for _, pr := range probs {
				bad["event "+p.Events[keyIndex(pr.Key)]] = true
			}
		}
		for _, pr := range p.UnknownForms(forms) {
			bad["form "+p.Forms[keyIndex(pr.Key)]] = true
			probs = append(probs, pr)
		}
		for _, pr := range probs {
			code := rules.CodeDesignationEvent
			if strings.Contains(pr.Key, ".forms[") {
				code = rules.CodeDesignationForm
			}
			r, _ := rules.Lookup(code)
			out = append(out, redcap.Diagnostic{Severity: r.Severity, Code: code, File: pr.File, Line: pr.Line, Field: pr.Key, Message: pr.Message, Hint: pr.Hint})
		}
		st = st.Clone()
		for _, ds := range p.For(d.Forms(), st) {
			if !bad["event "+ds.Event] && !bad["form "+ds.Form] {
				st.Designations = append(st.Designations, ds)
			}
		}
	}
	return append(out, rules.CheckStructure(d, st, rules.StructureOptions{Classic: sc.Project == "classic", AssumeFields: assume})...)
}

// keyIndex reads the index of a key path such as structure.designate.events[2].
func keyIndex(key string) int {
	i := strings.LastIndex(key, "[")
	n, _ := strconv.Atoi(strings.TrimSuffix(key[i+1:], "]"))
	return n
}
