package api

// SecretSink is something that keeps a secret out of what it writes, such
// as the CLI's redacting stdout and stderr.
type SecretSink interface {
	AddSecret(secret string)
}

// ShareWith hands the token's value to sink, the one way out of a Token
// besides a request body: so that output streams can redact it wherever it
// turns up (an input file quoting it, a plugin logging it).
func (t Token) ShareWith(sink SecretSink) {
	if t.secret != "" && sink != nil {
		sink.AddSecret(t.secret)
	}
}
