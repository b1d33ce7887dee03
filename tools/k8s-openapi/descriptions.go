package main

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The descriptions file keeps what builtin.json drops: a one-sentence summary
// of each definition and of each field, for editors' hovers. It is a separate
// file so that validation and synthesis, which never read descriptions, do not
// pay for parsing them; only the language server's hover loads it.

// describeDefinition collects the summaries of one unslimmed v3 schema: ""
// for the definition itself, then field paths relative to it ("spec",
// "template.metadata" for inline objects, "[]" for items and map values).
// Fields that $ref another definition get their own summary here (the
// property's description); the referenced definition is described under its
// own name.
func describeDefinition(node map[string]any) map[string]string {
	out := map[string]string{}
	collectDescriptions(node, "", out)
	return out
}

func collectDescriptions(node map[string]any, path string, out map[string]string) {
	if d, ok := node["description"].(string); ok {
		if s := summarize(d); s != "" {
			out[path] = s
		}
	}
	join := func(seg string) string {
		if path == "" {
			return seg
		}
		return path + "." + seg
	}
	if props, ok := node["properties"].(map[string]any); ok {
		for name, p := range props {
			if child, ok := p.(map[string]any); ok {
				collectDescriptions(child, join(name), out)
			}
		}
	}
	for _, k := range []string{"items", "additionalProperties"} {
		if child, ok := node[k].(map[string]any); ok {
			collectDescriptions(child, join("[]"), out)
		}
	}
}

var spaces = regexp.MustCompile(`\s+`)

// Abbreviations whose period does not end a sentence in Kubernetes' docs.
var abbreviations = []string{"e.g.", "i.e.", "etc.", "vs.", "approx.", "Ex.", "ex.", "resp."}

// maxSummary bounds a summary whose first sentence never ends (a list, a
// long URL): a hover wants a line, not the whole text.
const maxSummary = 300

// summarize keeps the first sentence of a description's first paragraph,
// whitespace collapsed: enough to say what a field is, at a fraction of the
// size (the full texts would add several MB to the package).
func summarize(d string) string {
	para := strings.TrimSpace(strings.SplitN(strings.TrimSpace(d), "\n\n", 2)[0])
	para = spaces.ReplaceAllString(para, " ")
	end := sentenceEnd(para)
	s := para[:end]
	if len(s) > maxSummary {
		cut := strings.LastIndex(s[:maxSummary], " ")
		if cut < maxSummary/2 {
			cut = maxSummary
		}
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = strings.TrimRight(s[:cut], " ,;:") + "…"
	}
	return s
}

// sentenceEnd is the length of the first sentence: up to a period, question
// or exclamation mark followed by a space and an upper-case letter, not
// ending an abbreviation.
func sentenceEnd(p string) int {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != '.' && c != '?' && c != '!' {
			continue
		}
		if i+2 >= len(p) || p[i+1] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(p[i+2:])
		if !unicode.IsUpper(next) {
			continue
		}
		if c == '.' && endsWithAbbreviation(p[:i+1]) {
			continue
		}
		return i + 1
	}
	return len(p)
}

func endsWithAbbreviation(s string) bool {
	for _, a := range abbreviations {
		if strings.HasSuffix(s, " "+a) || s == a {
			return true
		}
	}
	return false
}
