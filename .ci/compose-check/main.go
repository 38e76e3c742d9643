// Command compose-check loads docker-compose.yml with compose-go, the Compose specification's
// reference implementation (the library `docker compose` itself uses): it validates the file
// against the specification's JSON schema, resolves every variable with an empty environment
// (so each default applies), enables every profile, and prints the resolved project as JSON for
// .ci/compose-check.ts to inspect. Exit 1 names what is wrong.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check path/to/docker-compose.yml")
		os.Exit(2)
	}
	file, err := filepath.Abs(os.Args[1])
	if err != nil {
		fail(err)
	}
	details := types.ConfigDetails{
		WorkingDir:  filepath.Dir(file),
		ConfigFiles: []types.ConfigFile{{Filename: file}},
		Environment: types.Mapping{},
	}
	project, err := loader.LoadWithContext(context.Background(), details, func(options *loader.Options) {
		options.SetProjectName("recontact", true)
		options.Profiles = []string{"*"}
	})
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "docker-compose.yml is not valid Compose: %v\n", err)
	os.Exit(1)
}
