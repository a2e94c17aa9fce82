package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/upload"
)

func exportCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "export the REDCap project's data dictionary",
		ArgsUsage: " ",
		Description: `Exports the data dictionary of the project the token belongs to, as JSON,
CSV with API keys, or CSV with the headers of REDCap's Data Dictionary page:

   --to json        a JSON array of rows with REDCap's API keys in column order
   --to csv         CSV with the API keys as header (what the API imports)
   --to redcap-csv  CSV with the Data Dictionary page's headers and a UTF-8 BOM

Without --to the format follows the extension of -o (.json: json, .csv: csv;
stdout: json). -o FILE is written as convert writes it (a temporary file renamed
when complete; links written through, devices as they are, folders refused).
REDCap leaves the <form>_complete fields out of the export.
--form limits the export to some instruments (repeat it for more).
The export is retried on network errors and server errors (5xx).

Examples:
   rcolpipe export --url https://redcap.example.org/redcap/api/ -o project.json
   rcolpipe export -c rcolpipe.yaml --to redcap-csv -o dictionary.csv
   rcolpipe export --url https://redcap.example.org/redcap/api/ --form demographics
   rcolpipe export --url https://redcap.example.org/redcap/api/ --all -o project/

--all writes REDCap's download formats into the folder -o: dictionary.csv, and for a
longitudinal project arms.csv, events.csv and instrument_designations.csv, and
repeating.csv when the project has repeating instruments or events. rcolpipe upload
of that folder into an empty longitudinal project rebuilds it.

` + exitCodesHelp,
		Flags: append(targetFlags(),
			configFlag(),
			&cli.StringFlag{Name: "to", Aliases: []string{"t"}, Usage: "output format: json, csv or redcap-csv (default: from the extension of -o)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "output file, or - for stdout"},
			&cli.StringSliceFlag{Name: "form", Usage: "export only this instrument (unique form name); repeatable"},
			&cli.BoolFlag{Name: "all", Usage: "write the dictionary and the project's structure into the folder -o: dictionary.csv, arms.csv, events.csv, instrument_designations.csv, repeating.csv"},
		),
		Action: func(c *cli.Context) error {
			if c.Args().Len() > 0 {
				return usageError("export: unexpected argument %q", c.Args().First())
			}
			if c.Bool("all") {
				return exportAll(c, e)
			}
			out, err := output.NewDictionaryOutput(c.String("output"), c.String("to"), "json", "")
			if err != nil {
				return usageError("export: %v", err)
			}
			client, err := openConfiguredTarget(c, e)
			if err != nil {
				return err
			}
			p, d, err := upload.ExportDictionary(c.Context, client, c.StringSlice("form"))
			if err != nil {
				return apiError("export", err)
			}
			if err := writeDictionary(e, "export", out, nil, d); err != nil {
				return err
			}
			dest := out.Path
			if dest == "-" {
				dest = "stdout"
			}
			e.log.Info().Msgf("exported %d field(s) in %d form(s) from REDCap project %d %q to %s (%s)",
				d.Len(), len(d.Forms()), p.ProjectID, p.Title, dest, out.Format)
			return nil
		},
	}
}

// exportAll is export --all: the dictionary and the structure into a folder.
func exportAll(c *cli.Context, e *env) error {
	dir := c.String("output")
	if dir == "-" || c.String("to") != "" || len(c.StringSlice("form")) > 0 {
		return usageError("export --all: needs -o FOLDER, and takes neither --to nor --form")
	}
	client, err := openConfiguredTarget(c, e)
	if err != nil {
		return err
	}
	files, err := upload.ExportAll(c.Context, client, dir)
	if err != nil {
		return apiError("export", err)
	}
	e.log.Info().Msgf("exported %s", strings.Join(files, ", "))
	return nil
}
