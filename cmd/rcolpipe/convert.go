package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/internal/outfile"
	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/redcap"
)

func convertCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "convert",
		Usage:     "stack dictionaries and write them as JSON, CSV with API keys, or REDCap's download CSV",
		ArgsUsage: "INPUT...",
		Description: `Reads every INPUT, stacks them in order and writes one dictionary:

   --to json        a JSON array of rows with REDCap's API keys in column order
                    (A..R), every value a string, UTF-8 without BOM
   --to csv         CSV with the API keys as header (what the API imports)
   --to redcap-csv  CSV with the headers of REDCap's Data Dictionary page and a
                    UTF-8 BOM (what "Upload Data Dictionary" takes, opens in Excel)

Without --to the format follows the extension of -o (.json: json, .csv: csv).
-o - (the default) writes to stdout. The output file is written to a temporary
file next to it and renamed, so a failed run leaves the old file as it was; a
symbolic link is written through to its file (the link stays), a device or
FIFO such as /dev/null is written to as it is, and a folder or an output that
is one of the inputs is refused.

` + loadInputsHelp + `

Examples:
   rcolpipe convert --to json -o all.json demographics.csv phq9.csv
   rcolpipe convert --to redcap-csv -o upload.csv instruments/
   rcolpipe convert --to csv tlfb.zip > tlfb.csv
   rcolpipe convert -o fal.csv rcol/fal.json

` + exitCodesHelp,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "to", Aliases: []string{"t"}, Usage: "output format: json, csv or redcap-csv (default: from the extension of -o)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "output file, or - for stdout"},
		},
		Action: func(c *cli.Context) error {
			paths := c.Args().Slice()
			if len(paths) == 0 {
				return usageError("convert: missing INPUT (a file, folder or instrument ZIP)")
			}
			out := c.String("output")
			format := c.String("to")
			if format == "" {
				switch strings.ToLower(filepath.Ext(out)) {
				case ".json":
					format = "json"
				case ".csv":
					format = "csv"
				default:
					return usageError("convert: --to is required (json, csv or redcap-csv) when -o is %q", out)
				}
			}
			write, ok := output.DictionaryWriter(format)
			if !ok {
				return usageError("convert: --to %q: want json, csv or redcap-csv", format)
			}
			if out == "" {
				return usageError("convert: -o is empty; give a file or - for stdout")
			}
			if err := checkOutput("convert", out); err != nil {
				return err
			}
			if out != "-" {
				if in := inputNamed(out, paths); in != "" {
					return usageError("convert: refusing to overwrite %s, which is one of the inputs", in)
				}
			}
			d, _, err := loadInputs(e, paths)
			if err != nil {
				return err
			}
			if err := writeDictionary(e, "convert", out, d.Files, write, d); err != nil {
				return err
			}
			if out != "-" {
				e.log.Info().Msgf("wrote %d fields in %d forms to %s (%s)", d.Len(), len(d.Forms()), out, format)
			}
			return nil
		},
	}
}

// writeDictionary writes d with write to stdout (out "-") or to the file
// out, atomically. An out that is one of the files read is refused: the
// command checked its INPUT arguments before loading, but a folder input
// may hold the output file. Errors are prefixed with cmd.
func writeDictionary(e *env, cmd, out string, read []string, write func(io.Writer, *redcap.Dictionary) error, d *redcap.Dictionary) error {
	if out == "-" {
		if err := write(e.stdout, d); err != nil {
			return inputError("%s: %v", cmd, err)
		}
		return nil
	}
	if in := inputNamed(out, read); in != "" {
		return usageError("%s: refusing to overwrite %s, which is one of the inputs", cmd, in)
	}
	var buf bytes.Buffer
	if err := write(&buf, d); err != nil {
		return inputError("%s: %v", cmd, err)
	}
	if err := outfile.WriteBytes(out, buf.Bytes(), 0o644); err != nil {
		return inputError("%s: %v", cmd, err)
	}
	return nil
}

// checkOutput refuses an -o that names a folder, before any work is done.
// Everything else (a file, a link to one, a device such as /dev/null) is
// for outfile.Write to handle when the result is ready.
func checkOutput(cmd, out string) error {
	if out == "-" {
		return nil
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return usageError("%s: -o %s is a folder; give a file name", cmd, out)
	}
	return nil
}

// inputNamed returns the input that is the same file as out ("" when none
// is, or out does not exist yet). ZIP members ("x.zip!instrument.csv")
// count as their archive.
func inputNamed(out string, inputs []string) string {
	ost, err := os.Stat(out)
	if err != nil {
		return ""
	}
	for _, in := range inputs {
		in, _, _ = redcap.ZIPMember(in)
		if ist, err := os.Stat(in); err == nil && os.SameFile(ost, ist) {
			return in
		}
	}
	return ""
}
