package main

import (
	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/output"
	"github.com/rcolpipe/rcolpipe/upload"
)

func backupsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "backups",
		Usage: "list the backups upload made of projects' dictionaries: project, time, field count",
		Description: `backups lists the files upload saved before it imported
(project-ID-TIME.json in ./rcolpipe-backups, or --dir), oldest first, with the
project, the time (UTC) and the number of fields. A file that cannot be read is
listed with the reason. To restore a backup, upload it whole:
   rcolpipe upload --replace-all --allow-delete rcolpipe-backups/project-12-20261128T101500Z.json

Examples:
   rcolpipe backups
   rcolpipe backups --dir ci-backups --format json

` + exitCodesHelp,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Value: "rcolpipe-backups", Usage: "backup folder (upload's --backup-dir)"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text or json"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError("backups: takes no arguments (the folder is --dir)")
			}
			format := c.String("format")
			if err := output.CheckFormat(format); err != nil {
				return usageError("backups: %v", err)
			}
			list, err := upload.ListBackups(c.String("dir"))
			if err != nil {
				return inputError("backups: %v", err)
			}
			if err := output.WriteBackups(e.stdout, list, format); err != nil {
				return inputError("backups: %v", err)
			}
			return nil
		},
	}
}
