package main

import (
	"os"
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/pipeline"
	"github.com/rcolpipe/rcolpipe/redcap"
	"github.com/rcolpipe/rcolpipe/redcap/api"
	"github.com/rcolpipe/rcolpipe/upload"
)

func checkCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "check what the API token may do in the REDCap project, before an upload",
		ArgsUsage: "[INPUT...]",
		Description: `Checks, with read-only API calls, whether a data dictionary can be uploaded:

   API URL                the URL ends in /api/ and is https (http only on loopback)
   token                  found (RC_API_KEY in the environment, else in .env next
                          to the -c pipeline file, else in ./.env, else
                          --token-file) and shaped like a REDCap token
   token and API Export   REDCap accepts the token and it may export (version)
   project status         the project is in Development (Production and
                          Analysis/Cleanup refuse a dictionary upload)
   project type           longitudinal or classic (new forms of a longitudinal
                          project must be designated for events)
   Project Design rights  the repeating-instruments export, which needs Design
   user rights            with --username (or RC_USERNAME): the user export says
                          whether you have API Import/Update, Project Design and
                          which forms you may edit (needs the User Rights privilege)
   API Import/Update      cannot be tested without changing the project; an
                          upload without it fails before it changes anything
   project structure      longitudinal or classic, and the numbers of arms,
                          events, designations and repeating settings
   structure changes      with INPUTs (or -c, whose inputs, structure.files and
                          structure.designate are read): what the arms, events,
                          designations and repeating files would change, and
                          whether the token may (Project Design; arms and
                          events are deleted only in Development)

REDCap cannot tell whose token it is: --username names the user whose rights
are read, so give your own. Each failed check says what to do. The token is
never printed; --debug-http logs the requests with the token redacted.

Examples:
   rcolpipe check --url https://redcap.example.org/redcap/api/
   RC_API_KEY=... rcolpipe check --url https://redcap.example.org/redcap/api/ --username jdoe
   rcolpipe check -c rcolpipe.yaml --format json
   rcolpipe check --url https://redcap.example.org/redcap/api/ study/structure/

EXIT CODES:
   0  every required check passed (warnings and skipped optional checks allowed)
   1  a required check failed
   2  the command line is wrong`,
		Flags: append(targetFlags(),
			configFlag(),
			excludeFlag(),
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output: text or json"},
		),
		Action: func(c *cli.Context) error {
			format := c.String("format")
			if err := output.CheckFormat(format); err != nil {
				return usageError("check: %v", err)
			}
			cfg, err := loadConfig(c)
			if err != nil {
				return err
			}
			var tc *pipeline.TargetConfig
			if cfg != nil {
				tc = &cfg.Target
			}
			opts, err := loadOptions(c, e, "check")
			if err != nil {
				return err
			}
			files, err := checkFiles(c.Args().Slice(), cfg, opts)
			if err != nil {
				return err
			}
			s := targetSettingsFrom(c, tc, c.String("config"))
			if s.URL == "" {
				return usageError("check: no REDCap API URL: pass --url https://redcap.example.org/redcap/api/ (or set RC_API_URL, or target.url in the pipeline file)")
			}
			if s.URL == "sandbox" {
				return usageError("check: the target \"sandbox\" exists only inside rcolpipe run; start one with rcolpipe sandbox serve and pass its URL")
			}
			te, err := targetEnv(e)
			if err != nil {
				return inputError("check: %v", err)
			}
			r := s.CheckWith(c.Context, te, files)
			if err := output.WriteCheck(e.stdout, r, format); err != nil {
				return inputError("check: %v", err)
			}
			// The report's URL row says what is wrong with it; a URL that
			// cannot be used is a wrong command line, as in every command.
			if _, err := api.CheckURL(s.URL); err != nil {
				return silentExit(exitUsage)
			}
			if !r.OK {
				return silentExit(exitInvalid)
			}
			return nil
		},
	}
}

// checkFiles reads the structure files among the inputs (the arguments,
// else the pipeline file's inputs) and the pipeline file's structure files
// and designation policy. An argument that does not exist is a wrong
// command line; a file that cannot be read is an input error.
func checkFiles(args []string, cfg *pipeline.Config, opts redcap.LoadOptions) (upload.CheckFiles, error) {
	inputs := args
	var designate *redcap.DesignationPolicy
	if cfg != nil {
		if len(inputs) == 0 {
			inputs = cfg.Inputs
		}
		inputs = append(slices.Clone(inputs), cfg.Structure.Files...)
		designate = cfg.Structure.Designate
	}
	for _, p := range args {
		if _, err := os.Stat(p); err != nil && p != "-" {
			return upload.CheckFiles{}, usageError("check: %s: no such file or folder (the arguments are dictionary and structure files)", p)
		}
	}
	files, err := upload.ReadCheckFiles(inputs, designate, opts)
	if err != nil {
		return files, inputError("check: %v", err)
	}
	return files, nil
}
