package web_test

import "regexp"

func regexpMust(expr string) *regexp.Regexp { return regexp.MustCompile(expr) }
