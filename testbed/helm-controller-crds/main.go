// Prints the CustomResourceDefinitions of k3s's helm controller (HelmChart, HelmChartConfig) as YAML documents: the
// controller builds them from its Go types at start-up and ships no YAML of them.
package main

import (
	"fmt"
	"os"

	"github.com/k3s-io/helm-controller/pkg/crd"
	"sigs.k8s.io/yaml"
)

func main() {
	for _, definition := range crd.List() {
		object, err := definition.ToCustomResourceDefinition()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		text, err := yaml.Marshal(object)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("---\n%s", text)
	}
}
