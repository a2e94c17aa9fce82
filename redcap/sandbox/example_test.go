package sandbox_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/rcolpipe/rcolpipe/redcap/sandbox"
)

// Start a demo sandbox on a free loopback port and ask it its version and
// what an export-only token may not do.
func ExampleStart() {
	state, tokens := sandbox.Demo()
	srv := sandbox.New(state)
	apiURL, stop, err := sandbox.Start(context.Background(), srv)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer stop()

	token := map[string]string{}
	for _, t := range tokens {
		token[t.Name] = t.Token
	}
	post := func(params url.Values) {
		resp, err := http.PostForm(apiURL, params)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, string(body))
	}
	post(url.Values{"token": {token[sandbox.DemoFull]}, "content": {"version"}})
	post(url.Values{"token": {token[sandbox.DemoExportOnly]}, "content": {"metadata"}, "format": {"json"}, "data": {"[]"}})
	post(url.Values{"token": {token[sandbox.DemoProduction]}, "content": {"metadata"}, "format": {"csv"}, "data": {"field_name\n"}})
	// Output:
	// 200 15.7.6
	// 403 {"error":"You do not have API Import/Update privileges"}
	// 400 ERROR: This method cannot be used while the project is in Production status.
}
