package main

import (
	"github.com/urfave/cli/v2"

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
   curl -s https://example.org/phq9.json | rcolpipe convert --to redcap-csv -o phq9.csv -
   rcolpipe convert --to json -o all.json --exclude 'drafts' instruments/

` + exitCodesHelp,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "to", Aliases: []string{"t"}, Usage: "output format: json, csv or redcap-csv (default: from the extension of -o)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "output file, or - for stdout"},
			excludeFlag(),
		},
		Action: func(c *cli.Context) error {
			paths := c.Args().Slice()
			if len(paths) == 0 {
				return usageError("convert: missing INPUT (a file, folder or instrument ZIP)")
			}
			if err := checkInputsExist("convert", paths); err != nil {
				return err
			}
			out, err := output.NewDictionaryOutput(c.String("output"), c.String("to"), "", "")
			if err != nil {
				return usageError("convert: %v", err)
			}
			if err := out.Overwrites(paths); err != nil {
				return usageError("convert: %v", err)
			}
			opts, err := loadOptions(c, e, "convert")
			if err != nil {
				return err
			}
			d, _, err := loadInputs(e, opts, paths)
			if err != nil {
				return err
			}
			if err := writeDictionary(e, "convert", out, d.Files, d); err != nil {
				return err
			}
			if out.Path != "-" {
				e.log.Info().Msgf("wrote %d fields in %d forms to %s (%s)", d.Len(), len(d.Forms()), out.Path, out.Format)
			}
			return nil
		},
	}
}

// writeDictionary writes d to out. An out that is one of the files read
// is refused: the command checked its INPUT arguments before loading, but
// a folder input may hold the output file. Errors are prefixed with cmd.
func writeDictionary(e *env, cmd string, out *output.DictionaryOutput, read []string, d *redcap.Dictionary) error {
	if err := out.Overwrites(read); err != nil {
		return usageError("%s: %v", cmd, err)
	}
	if err := out.Write(e.stdout, d); err != nil {
		return inputError("%s: %v", cmd, err)
	}
	return nil
}
