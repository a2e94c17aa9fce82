package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rcolpipe/rcolpipe/internal/outfile"
	"github.com/rcolpipe/rcolpipe/redcap"
)

func fmtCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "fmt",
		Usage:     "rewrite dictionaries in a canonical form, for clean git diffs",
		ArgsUsage: "INPUT...",
		Description: `fmt rewrites each CSV or JSON dictionary in a canonical form without changing
what it means: every cell trimmed, choices as "code, label | code, label", the
identifier and required flags as "y", REDCap's 18 columns in REDCap's order,
quotes only where needed. Each file keeps its own format: JSON stays JSON, a CSV
keeps its delimiter, byte-order mark, header style (API keys or the Data
Dictionary page's headers) and line ends. A folder INPUT formats the dictionary
files in it and in the folders below it (--exclude GLOB leaves some out, as in
validate). Instrument ZIPs are left alone. - reads standard input and writes its
canonical form to stdout (with --check: exit 1 when it would change).

Without -w, fmt prints a diff of each file that would change. -w writes the
files (through a temporary file renamed into place). --check prints the names
of the files that would change and exits 1 if there are any (for CI).
Running fmt on its own output changes nothing.

Examples:
   rcolpipe fmt instruments/
   rcolpipe fmt -w instruments/phq9.csv
   rcolpipe fmt --check instruments/      # in CI
   rcolpipe fmt --check --exclude 'drafts' instruments/
   rcolpipe fmt - < phq9.csv > phq9.fmt.csv

Exit codes: 0 done (with --check: nothing would change), 1 a file cannot be
read as a dictionary, or with --check a file would change; 2 a wrong command
line (no INPUT, an INPUT that does not exist).`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "write", Aliases: []string{"w"}, Usage: "write the canonical form to the files"},
			&cli.BoolFlag{Name: "check", Usage: "list the files that would change; exit 1 if any"},
			excludeFlag(),
		},
		Action: func(c *cli.Context) error { return runFmt(c, e) },
	}
}

func runFmt(c *cli.Context, e *env) error {
	paths := c.Args().Slice()
	if len(paths) == 0 {
		return usageError("fmt: missing INPUT (a dictionary file or a folder)")
	}
	if err := checkInputsExist("fmt", paths); err != nil {
		return err
	}
	write, check := c.Bool("write"), c.Bool("check")
	opts, err := loadOptions(c, e, "fmt")
	if err != nil {
		return err
	}
	changed, failed := 0, 0
	for _, p := range paths {
		if p == "-" {
			if write {
				return usageError("fmt: -w cannot write standard input; the canonical form of - goes to stdout without -w")
			}
			ch, err := fmtStdin(e, opts, check)
			if err != nil {
				return err
			}
			changed += ch
			continue
		}
		d, diags, err := opts.Load(p)
		if err != nil {
			return inputError("fmt: %w", err)
		}
		if diags.HasErrors() {
			for _, dg := range diags {
				if dg.Severity == redcap.SeverityError {
					fmt.Fprintf(e.stderr, "%s\n", dg.String())
				}
			}
		}
		for _, file := range d.Files {
			before, err := redcap.ReadSmallFile(file, redcap.MaxFileBytes)
			if err != nil {
				return inputError("fmt: %w", err)
			}
			after, err := formatDictionary(file, before)
			if err != nil {
				fmt.Fprintf(e.stderr, "rcolpipe: fmt: %v\n", err)
				failed++
				continue
			}
			if after == nil || bytes.Equal(before, after) {
				continue
			}
			changed++
			switch {
			case check:
				fmt.Fprintln(e.stdout, file)
			case write:
				if err := outfile.WriteBytes(file, after, 0o644); err != nil {
					return inputError("fmt: %w", err)
				}
				e.log.Info().Msgf("formatted %s", file)
			default:
				writeLineDiff(e.stdout, file, string(before), string(after))
			}
		}
	}
	if failed > 0 {
		return silentExit(exitInvalid)
	}
	if check && changed > 0 {
		return silentExit(exitInvalid)
	}
	return nil
}

// formatDictionary returns the canonical form of one file, or nil for a
// file fmt leaves alone (an instrument ZIP).
func formatDictionary(name string, data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte("PK")) {
		return nil, nil
	}
	d, diags := redcap.ReadBytes(name, data)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: not formatted: it has read errors (rcolpipe validate %s lists them)", name, name)
	}
	canonicalize(d)
	var out bytes.Buffer
	text := strings.TrimPrefix(string(data), "\uFEFF")
	if t := strings.TrimLeft(text, " \t\r\n"); t != "" && (t[0] == '[' || t[0] == '{') {
		if err := redcap.WriteJSON(&out, d); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return out.Bytes(), nil
	}
	if err := writeShapedCSV(&out, d, sniffCSVShape(data)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out.Bytes(), nil
}

// canonicalize trims every cell, writes choices as "code, label | code,
// label" and the flags as "y"; none of it changes what REDCap reads.
func canonicalize(d *redcap.Dictionary) {
	for i := range d.Fields {
		f := &d.Fields[i]
		for c := redcap.Column(0); c < redcap.NumColumns; c++ {
			f.Set(c, strings.TrimSpace(f.Get(c)))
		}
		switch strings.ToLower(f.Get(redcap.ColFieldType)) {
		case "radio", "dropdown", "checkbox":
			if !redcap.HasEmptyChoice(f.Get(redcap.ColChoices)) {
				var parts []string
				for _, ch := range redcap.SplitChoices(f.Get(redcap.ColChoices)) {
					if ch.NoComma {
						parts = append(parts, ch.Code)
					} else {
						parts = append(parts, ch.Code+", "+ch.Label)
					}
				}
				f.Set(redcap.ColChoices, strings.Join(parts, " | "))
			}
		}
		for _, c := range []redcap.Column{redcap.ColIdentifier, redcap.ColRequiredField} {
			if strings.EqualFold(f.Get(c), "y") {
				f.Set(c, "y")
			}
		}
	}
}

func writeShapedCSV(w io.Writer, d *redcap.Dictionary, s csvShape) error {
	if s.bom {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = s.delim, s.crlf
	row := make([]string, redcap.NumColumns)
	for i, c := range redcap.Columns {
		row[i] = c.Key
		if s.download {
			row[i] = c.Header
		}
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	for i := range d.Fields {
		v := d.Fields[i].Values()
		if err := cw.Write(v[:]); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeLineDiff prints a unified-style diff of a and b (a longest common
// subsequence of lines; for very large files, the whole file replaced).
func writeLineDiff(w io.Writer, name, a, b string) {
	al, bl := strings.SplitAfter(a, "\n"), strings.SplitAfter(b, "\n")
	fmt.Fprintf(w, "--- %s\n+++ %s (fmt)\n", name, name)
	if len(al)*len(bl) > 4_000_000 {
		for _, l := range al {
			fmt.Fprintf(w, "-%s", strings.TrimRight(l, "\r\n")+"\n")
		}
		for _, l := range bl {
			fmt.Fprintf(w, "+%s", strings.TrimRight(l, "\r\n")+"\n")
		}
		return
	}
	lcs := make([][]int, len(al)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(bl)+1)
	}
	for i := len(al) - 1; i >= 0; i-- {
		for j := len(bl) - 1; j >= 0; j-- {
			if al[i] == bl[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	show := func(prefix, l string) { fmt.Fprintf(w, "%s%s\n", prefix, strings.TrimRight(l, "\r\n")) }
	i, j := 0, 0
	for i < len(al) || j < len(bl) {
		switch {
		case i < len(al) && j < len(bl) && al[i] == bl[j]:
			i, j = i+1, j+1
		case i < len(al) && (j == len(bl) || lcs[i+1][j] >= lcs[i][j+1]):
			show("-", al[i])
			i++
		default:
			show("+", bl[j])
			j++
		}
	}
}

// fmtStdin formats standard input: its canonical form goes to stdout, or
// with check its name when it would change (changed is then 1).
func fmtStdin(e *env, opts redcap.LoadOptions, check bool) (changed int, err error) {
	head := &headBuffer{max: redcap.MaxFileBytes + 1}
	opts.Stdin = io.TeeReader(opts.Stdin, head)
	_, diags, err := opts.Load("-")
	if err != nil {
		return 0, inputError("fmt: %w", err)
	}
	if diags.HasErrors() {
		for _, dg := range diags {
			if dg.Severity == redcap.SeverityError {
				fmt.Fprintf(e.stderr, "%s\n", dg.String())
			}
		}
		return 0, silentExit(exitInvalid)
	}
	after, err := formatDictionary(redcap.StdinName, head.buf)
	if err != nil {
		return 0, inputError("fmt: %w", err)
	}
	if after == nil { // an instrument ZIP: left as it is
		after = head.buf
	}
	if bytes.Equal(head.buf, after) {
		if !check {
			_, err = e.stdout.Write(after)
		}
		return 0, err
	}
	if check {
		fmt.Fprintln(e.stdout, redcap.StdinName)
		return 1, nil
	}
	_, err = e.stdout.Write(after)
	return 1, err
}
