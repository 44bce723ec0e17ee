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
	"time"
	"unicode/utf8"
)

// Discord's limits on webhook embeds.
const (
	discordMaxTitle       = 256
	discordMaxDescription = 4096
	discordMaxFields      = 25
	discordMaxFieldName   = 256
	discordMaxFieldValue  = 1024
	discordMaxEmbed       = 6000
	discordMaxFooter      = 2048
)

// Colors of Discord embeds.
const (
	discordColorError = 0xE01E5A
	discordColorInfo  = 0x2EB67D
)

// discordPayload is the body of a Discord webhook execution.
type discordPayload struct {
	Username string         `json:"username,omitempty"`
	Embeds   []discordEmbed `json:"embeds"`
}

type discordEmbed struct {
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Color       int            `json:"color"`
	Fields      []discordField `json:"fields,omitempty"`
	Footer      *discordFooter `json:"footer,omitempty"`
	Timestamp   string         `json:"timestamp"`
}

type discordField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline"`
}

type discordFooter struct {
	Text string `json:"text"`
}

// newDiscordMessage returns e as one Discord embed: the title, the message
// and the drift list in the description, the facts as inline fields, the
// approve command as a field and the summary in the footer, within
// Discord's limits (6,000 characters in all).
func newDiscordMessage(e *Event, username string) *discordPayload {
	color := discordColorInfo
	if e.Severity == SeverityError {
		color = discordColorError
	}
	em := discordEmbed{
		Title:     truncate(title(e), discordMaxTitle),
		Color:     color,
		Timestamp: e.Timestamp.UTC().Format(time.RFC3339),
	}
	used := utf8.RuneCountInString(em.Title)
	fs := facts(e)
	if c := e.Metadata[MetaApproveCommandKey]; c != "" {
		fs = append(fs, fact{"Approve with", "`" + c + "`"})
	}
	if len(fs) > discordMaxFields {
		fs = append(fs[:discordMaxFields-1], fact{"More", moreLine(len(fs) - discordMaxFields + 1)})
	}
	for _, f := range fs {
		df := discordField{
			Name:   truncate(f.name, discordMaxFieldName),
			Value:  truncate(f.value, discordMaxFieldValue),
			Inline: f.name != "Approve with",
		}
		used += utf8.RuneCountInString(df.Name) + utf8.RuneCountInString(df.Value)
		em.Fields = append(em.Fields, df)
	}
	if s := e.Metadata[MetaSummaryKey]; s != "" {
		em.Footer = &discordFooter{Text: truncate(s, discordMaxFooter)}
		used += utf8.RuneCountInString(em.Footer.Text)
	}

	room := min(discordMaxDescription, discordMaxEmbed-used)
	desc := truncate(e.Message, room)
	if report, more := driftLines(e); len(report) > 0 {
		lines := []string{"", "**Drift**"}
		for _, l := range report {
			lines = append(lines, "• "+truncate(l, 500))
		}
		if more > 0 {
			lines = append(lines, moreLine(more))
		}
		if left := room - utf8.RuneCountInString(desc); left > 20 {
			desc += fitLines(lines, left)
		}
	}
	em.Description = desc
	return &discordPayload{Username: username, Embeds: []discordEmbed{em}}
}
