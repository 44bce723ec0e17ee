/*
Copyright 2026 The schema-controller Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// SignatureHeader is the header of generic-hmac messages: sha256=<hex of
// the HMAC-SHA256 of the body keyed with the provider's token>, Flux's
// convention.
const SignatureHeader = "X-Signature"

// notApplicable is shown for a revision or cluster name that is unknown.
const notApplicable = "n/a"

// payload returns the body and headers of e for t's provider type.
func payload(t *target, e *Event) ([]byte, http.Header, error) {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	var v any
	switch t.providerType {
	case v1alpha1.SlackProvider:
		v = slackMessage(e, t.channel, t.username)
		if t.token != "" {
			h.Set("Authorization", "Bearer "+t.token)
		}
	case v1alpha1.GenericProvider, v1alpha1.GenericHMACProvider:
		v = genericEvent(e)
	case v1alpha1.MSTeamsProvider:
		v = newTeamsMessage(e)
	case v1alpha1.DiscordProvider:
		v = newDiscordMessage(e, t.username)
	default:
		return nil, nil, fmt.Errorf("unsupported provider type %q", t.providerType)
	}
	body, err := json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	if t.providerType == v1alpha1.GenericHMACProvider {
		h.Set(SignatureHeader, Sign(body, []byte(t.token)))
	}
	return body, h, nil
}

// Sign returns the X-Signature value of body for key:
// sha256=<hex HMAC-SHA256>.
func Sign(body, key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// title returns the title of a message about e: its reason and object.
func title(e *Event) string {
	o := e.InvolvedObject
	return fmt.Sprintf("%s: %s %s/%s", e.Reason, o.Kind, o.Namespace, o.Name)
}

// fact is one name and value shown with a message.
type fact struct {
	name, value string
}

// metadataShownApart are the metadata keys every chat message shows in a
// place of their own rather than as a fact.
var metadataShownApart = []string{
	MetaRevisionKey, MetaClusterKey, MetaSummaryKey, MetaPlanIDKey, MetaStatementsKey,
	MetaHazardsKey, MetaDriftReportKey, MetaDriftFingerprintKey, MetaApproveCommandKey,
}

// facts returns the facts of e in a fixed order: object, namespace,
// revision and cluster always, then the plan, then the other metadata
// (the AlertRule's eventMetadata among it) by key.
func facts(e *Event) []fact {
	o := e.InvolvedObject
	orNA := func(s string) string {
		if s == "" {
			return notApplicable
		}
		return s
	}
	fs := []fact{
		{"Object", o.Kind + "/" + o.Name},
		{"Namespace", o.Namespace},
		{"Revision", orNA(e.Metadata[MetaRevisionKey])},
		{"Cluster", orNA(e.Metadata[MetaClusterKey])},
	}
	for _, k := range []struct{ key, name string }{
		{MetaPlanIDKey, "Plan"}, {MetaStatementsKey, "Statements"}, {MetaHazardsKey, "Hazards"},
	} {
		if v := e.Metadata[k.key]; v != "" {
			fs = append(fs, fact{k.name, v})
		}
	}
	var rest []string
	for k := range e.Metadata {
		if !slices.Contains(metadataShownApart, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		fs = append(fs, fact{k, e.Metadata[k]})
	}
	return fs
}

// truncate cuts s to at most n characters (runes), ending it with "…" when
// it was cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return string([]rune(s)[:max(n, 0)])
	}
	return string([]rune(s)[:n-1]) + "…"
}

// driftLines returns the lines of e's drift report without the trailing
// "… and N more" line that DriftAnnotations adds, and N.
func driftLines(e *Event) ([]string, int) {
	lines := e.DriftReport()
	if len(lines) == 0 {
		return nil, 0
	}
	var more int
	if _, err := fmt.Sscanf(lines[len(lines)-1], "… and %d more", &more); err == nil {
		lines = lines[:len(lines)-1]
	}
	return lines, more
}

// moreLine is the line that stands for the n lines left out.
func moreLine(n int) string {
	return fmt.Sprintf("… and %d more", n)
}

// packLines packs lines, each cut to maxChars, into at most maxChunks
// chunks of at most maxChars characters, joined by newlines, in order. It
// returns the chunks and the number of lines left out.
func packLines(lines []string, maxChars, maxChunks int) ([]string, int) {
	var chunks []string
	var cur strings.Builder
	curLen := 0
	for i, l := range lines {
		l = truncate(l, maxChars)
		n := utf8.RuneCountInString(l)
		if curLen > 0 && curLen+1+n > maxChars {
			chunks = append(chunks, cur.String())
			cur.Reset()
			curLen = 0
		}
		if curLen == 0 && len(chunks) == maxChunks {
			return chunks, len(lines) - i
		}
		if curLen > 0 {
			cur.WriteByte('\n')
			curLen++
		}
		cur.WriteString(l)
		curLen += n
	}
	if curLen > 0 {
		chunks = append(chunks, cur.String())
	}
	return chunks, 0
}

// fitLines returns as many of lines as fit in maxChars characters joined by
// newlines, followed by "… and N more" when some were left out; the result
// is at most maxChars long.
func fitLines(lines []string, maxChars int) string {
	var b strings.Builder
	n := 0
	for i, l := range lines {
		ln := utf8.RuneCountInString(l)
		sep := 0
		if i > 0 {
			sep = 1
		}
		rest := len(lines) - i - 1
		// Room for this line and, if more follow, for the trailer.
		need := n + sep + ln
		if rest > 0 {
			need += 1 + utf8.RuneCountInString(moreLine(rest))
		}
		if need > maxChars {
			trailer := moreLine(len(lines) - i)
			if n > 0 {
				trailer = "\n" + trailer
			}
			if n+utf8.RuneCountInString(trailer) > maxChars {
				return truncate(b.String(), maxChars)
			}
			b.WriteString(trailer)
			return b.String()
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
		n += sep + ln
	}
	return b.String()
}
