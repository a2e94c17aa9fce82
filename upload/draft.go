package upload

import (
	"fmt"
	"io"

	"github.com/rcolpipe/rcolpipe/internal/outfile"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
)

// preflightErr is the preflight's error, except that with draftOnly a
// project outside Development is no obstacle: nothing is imported, the
// merged dictionary goes to a file for REDCap's Draft Mode.
func preflightErr(pre api.PreflightReport, draftOnly bool) error {
	if !draftOnly {
		return pre.Err()
	}
	rest := pre
	rest.Items = nil
	for _, it := range pre.Items {
		if it.Check == api.CheckStatus && it.Result == api.ResultFail && pre.Project != nil && pre.Project.InProduction != 0 {
			continue
		}
		rest.Items = append(rest.Items, it)
	}
	return rest.Err()
}

// DraftAdvice says what to do with a draft file.
const DraftAdvice = "in the project, enter Draft Mode, upload the file on the Data Dictionary page (Upload Data Dictionary), " +
	"check the changes REDCap lists (critical ones above), and submit them. The file replaces the whole dictionary: " +
	"upload this file, never a file holding only your instruments"

// WriteDraft writes d, the whole merged dictionary, as REDCap's Data
// Dictionary page downloads it (its CSV headers, a UTF-8 byte-order
// mark): the file to upload on that page in Draft Mode, which replaces
// the whole draft dictionary with it.
func WriteDraft(path string, d *redcap.Dictionary) error {
	if d == nil || d.Len() == 0 {
		return fmt.Errorf("write the draft dictionary %s: nothing to write", path)
	}
	if err := outfile.Write(path, 0o644, func(w io.Writer) error { return redcap.WriteCSV(w, d, redcap.HeaderDownload) }); err != nil {
		return fmt.Errorf("write the draft dictionary: %w", err)
	}
	return nil
}
