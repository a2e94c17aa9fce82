package schemas

import _ "embed"

// PipelineSchema (a string, so nobody can change it) is the JSON Schema (draft 2020-12) of the pipeline file,
// rcolpipe.yaml. pipeline.LoadConfig compiles it; docs/pipeline.md
// describes the same keys for people.
//
//go:embed pipeline.schema.json
var PipelineSchema string

// PipelineSchemaURL is the $id of PipelineSchema, the name to compile it
// under.
const PipelineSchemaURL = "https://rcolpipe.dev/schemas/pipeline.schema.json"
