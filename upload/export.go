package upload

import (
	"context"
	"fmt"
	"strings"

	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// ExportDictionary exports the project's dictionary (only the forms, when
// given: forms without any field are an error) and the project's
// information, which names the export ("REDCap project 12").
func ExportDictionary(ctx context.Context, c *api.Client, forms []string) (*api.ProjectInfo, *redcap.Dictionary, error) {
	p, err := c.ProjectInfo(ctx)
	if err != nil {
		return nil, nil, err
	}
	d, err := c.ExportMetadata(ctx, forms...)
	if err != nil {
		return nil, nil, err
	}
	if len(forms) > 0 && d.Len() == 0 {
		return nil, nil, fmt.Errorf("project %d has no fields in the form(s) %s", p.ProjectID, strings.Join(forms, ", "))
	}
	return p, d, nil
}
