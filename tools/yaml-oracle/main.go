// yaml-oracle converts YAML documents to JSON exactly as kubectl does (sigs.k8s.io/yaml, which reads
// YAML with go-yaml v2 rules), so kro-gen's loader can be compared with it (test/unit/rgd/yaml-kubectl.test.ts).
// It uses the strict conversion, which refuses duplicate keys, as `kubectl apply` does with its
// default --validate=strict.
//
// Input on stdin: a JSON array of YAML documents (strings). Output on stdout: a JSON array with, per
// document, {"json": "<the JSON text>"} or {"error": "<why sigs.k8s.io/yaml refuses it>"}.
//
// `yaml-oracle -time FILE -passes N` instead times the conversion of one file (a yardstick for
// `npm run bench`, bench/load.ts) and prints the median wall and CPU seconds per conversion over N
// passes.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"syscall"
	"time"

	"sigs.k8s.io/yaml"
)

type result struct {
	JSON  *string `json:"json,omitempty"`
	Error *string `json:"error,omitempty"`
}

func main() {
	timeFile := flag.String("time", "", "time the conversion of this file instead")
	passes := flag.Int("passes", 5, "timed conversions with -time")
	flag.Parse()
	if *timeFile != "" {
		timeConversion(*timeFile, *passes)
		return
	}
	var docs []string
	if err := json.NewDecoder(os.Stdin).Decode(&docs); err != nil {
		fmt.Fprintf(os.Stderr, "yaml-oracle: cannot read input: %v\n", err)
		os.Exit(2)
	}
	out := make([]result, len(docs))
	for i, doc := range docs {
		converted, err := yaml.YAMLToJSONStrict([]byte(doc))
		if err != nil {
			msg := err.Error()
			out[i].Error = &msg
		} else {
			text := string(converted)
			out[i].JSON = &text
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintf(os.Stderr, "yaml-oracle: cannot write output: %v\n", err)
		os.Exit(2)
	}
}

func timeConversion(file string, passes int) {
	data, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(os.Stderr, "yaml-oracle: %v\n", err)
		os.Exit(2)
	}
	if _, err := yaml.YAMLToJSONStrict(data); err != nil {
		fmt.Fprintf(os.Stderr, "yaml-oracle: %s: %v\n", file, err)
		os.Exit(1)
	}
	wall := make([]float64, passes)
	cpu := make([]float64, passes)
	for i := range wall {
		start := time.Now()
		startCPU := cpuSeconds()
		_, _ = yaml.YAMLToJSONStrict(data)
		cpu[i] = cpuSeconds() - startCPU
		wall[i] = time.Since(start).Seconds()
	}
	sort.Float64s(wall)
	sort.Float64s(cpu)
	// Both medians: on a shared machine the CPU time is the steadier figure.
	fmt.Println(wall[len(wall)/2], cpu[len(cpu)/2])
}

// cpuSeconds is the CPU time (user + system) this process has used, all threads included.
func cpuSeconds() float64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return float64(u.Utime.Sec+u.Stime.Sec) + float64(u.Utime.Usec+u.Stime.Usec)/1e6
}
