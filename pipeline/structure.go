package pipeline

import (
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

func (raw *rawConfig) resolveStructure(c *Config, rel func(string) string) {
	s := raw.Structure
	for _, f := range s.Files {
		c.Structure.Files = append(c.Structure.Files, rel(f))
	}
	c.Structure.Project = s.Project
	if s.Designate != nil {
		c.Structure.Designate = &redcap.DesignationPolicy{Events: s.Designate.Events, Forms: s.Designate.Forms}
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
	if sc.Designate != nil {
		st = st.Clone()
		st.Designations = append(st.Designations, sc.Designate.For(d.Forms(), st)...)
	}
	return rules.CheckStructure(d, st, rules.StructureOptions{Classic: sc.Project == "classic", AssumeFields: assume})
}
