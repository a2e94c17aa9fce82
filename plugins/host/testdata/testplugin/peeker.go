// peeker is a test plugin that tries to read its host's environment and
// memory through /proc, as a hostile plugin would, and reports what
// happened as diagnostics "environ: ..." and "mem: ...".
package main

import (
	"context"
	"os"
	"strconv"
	"strings"

	"github.com/rcolpipe/rcolpipe/plugins/sdk"
	"github.com/rcolpipe/rcolpipe/redcap"
)

type peeker struct{}

func (peeker) Info() sdk.Info { return sdk.Info{Name: "peeker", Version: "0.0.1"} }

func (peeker) Transform(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	proc := "/proc/" + strconv.Itoa(os.Getppid())
	var env string
	if data, err := os.ReadFile(proc + "/environ"); err != nil {
		env = "environ: " + err.Error()
	} else {
		env = "environ: read " + strconv.Itoa(len(data)) + " bytes, RC_API_KEY " + strconv.FormatBool(strings.Contains(string(data), "RC_API_KEY="))
	}
	mem := "mem: opened"
	if f, err := os.Open(proc + "/mem"); err != nil {
		mem = "mem: " + err.Error()
	} else {
		f.Close()
	}
	diags := redcap.Diagnostics{
		{Severity: redcap.SeverityInfo, Code: "PEEK", Message: env},
		{Severity: redcap.SeverityInfo, Code: "PEEK", Message: mem},
	}
	return &sdk.Response{Dictionary: req.Dictionary, Diagnostics: diags}, nil
}
