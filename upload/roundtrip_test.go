package upload

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// hookTransport calls before(content, action) ahead of every request it
// sends (action "import" when the request carries data).
type hookTransport struct {
	before func(content, action string)
	next   http.RoundTripper
}

func (h hookTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	content, action, err := requestKind(r)
	if err != nil {
		return nil, err
	}
	h.before(content, action)
	return h.next.RoundTrip(r)
}

// requestKind reads content and action from the form body and puts the
// body back.
func requestKind(r *http.Request) (content, action string, err error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return "", "", err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", "", err
	}
	action = "export"
	if form.Has("data") {
		action = "import"
	}
	return form.Get("content"), action, nil
}

// depthTransport measures an upload's round trips: every request, and its
// depth, 1 + the greatest depth of the requests that had finished when it
// started. Requests sent together have the same depth; the greatest depth
// is the number of sequential round trips (the critical path). Each answer
// is held back by hold, so that requests sent together are surely all on
// their way before the first answer comes.
type depthTransport struct {
	next http.RoundTripper
	hold time.Duration

	mu       sync.Mutex
	finished int // the greatest depth of the requests that have finished
	requests []string
	maxDepth int
}

func (d *depthTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	content, action, err := requestKind(r)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	depth := d.finished + 1
	d.requests = append(d.requests, content+" "+action)
	d.maxDepth = max(d.maxDepth, depth)
	d.mu.Unlock()
	resp, err := d.next.RoundTrip(r)
	time.Sleep(d.hold)
	d.mu.Lock()
	d.finished = max(d.finished, depth)
	d.mu.Unlock()
	return resp, err
}

func (d *depthTransport) counts() (requests, depth int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.requests), d.maxDepth
}
