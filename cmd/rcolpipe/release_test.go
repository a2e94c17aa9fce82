package main

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestReleaseConfig checks that .goreleaser.yaml parses and builds
// cmd/rcolpipe for linux, darwin and windows on amd64 and arm64 (.ci/run
// cross-builds each of them).
func TestReleaseConfig(t *testing.T) {
	raw, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main   string   `yaml:"main"`
			Binary string   `yaml:"binary"`
			GOOS   []string `yaml:"goos"`
			GOARCH []string `yaml:"goarch"`
			Ignore []struct {
				GOOS   string `yaml:"goos"`
				GOARCH string `yaml:"goarch"`
			} `yaml:"ignore"`
		} `yaml:"builds"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(false)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if cfg.Version != 2 {
		t.Errorf("version %d, want 2 (goreleaser v2's format)", cfg.Version)
	}
	targets := map[string]bool{}
	for _, b := range cfg.Builds {
		if b.Main != "./cmd/rcolpipe" {
			continue
		}
		if _, err := os.Stat("../../" + b.Main); err != nil {
			t.Errorf("build main %s: %v", b.Main, err)
		}
		for _, goos := range b.GOOS {
			for _, goarch := range b.GOARCH {
				if !slices.ContainsFunc(b.Ignore, func(ig struct {
					GOOS   string `yaml:"goos"`
					GOARCH string `yaml:"goarch"`
				}) bool {
					return ig.GOOS == goos && ig.GOARCH == goarch
				}) {
					targets[goos+"/"+goarch] = true
				}
			}
		}
	}
	for _, want := range []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"} {
		if !targets[want] {
			t.Errorf("no build of ./cmd/rcolpipe for %s (targets: %v)", want, targets)
		}
	}
}
