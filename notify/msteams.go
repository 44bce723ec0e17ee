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

// Limits of the messages built for Microsoft Teams, well below the 28 KB a
// Teams message may hold.
const (
	// teamsMaxText is the length of a text block.
	teamsMaxText = 4000

	// teamsMaxDriftText is the length of the drift list.
	teamsMaxDriftText = 12000
)

// teamsPayload is a message of a Teams (Workflows) webhook holding one
// Adaptive Card.
type teamsPayload struct {
	Type        string            `json:"type"`
	Attachments []teamsAttachment `json:"attachments"`
}

type teamsAttachment struct {
	ContentType string    `json:"contentType"`
	Content     teamsCard `json:"content"`
}

type teamsCard struct {
	Schema  string          `json:"$schema"`
	Type    string          `json:"type"`
	Version string          `json:"version"`
	Body    []teamsCardItem `json:"body"`
	MSTeams teamsCardWidth  `json:"msteams"`
}

type teamsCardWidth struct {
	Width string `json:"width"`
}

// teamsCardItem is a TextBlock or a FactSet.
type teamsCardItem struct {
	Type     string      `json:"type"`
	Text     string      `json:"text,omitempty"`
	Size     string      `json:"size,omitempty"`
	Weight   string      `json:"weight,omitempty"`
	Color    string      `json:"color,omitempty"`
	Wrap     bool        `json:"wrap,omitempty"`
	FontType string      `json:"fontType,omitempty"`
	Facts    []teamsFact `json:"facts,omitempty"`
}

type teamsFact struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// newTeamsMessage returns e as an Adaptive Card for a Teams webhook: the
// title, the message, the facts, the summary, the approve command and the
// drift list.
func newTeamsMessage(e *Event) *teamsPayload {
	color := "good"
	if e.Severity == SeverityError {
		color = "attention"
	}
	body := []teamsCardItem{
		{Type: "TextBlock", Text: truncate(title(e), 256), Size: "Medium", Weight: "Bolder", Color: color, Wrap: true},
		{Type: "TextBlock", Text: truncate(e.Message, teamsMaxText), Wrap: true},
	}
	var fs []teamsFact
	for _, f := range facts(e) {
		fs = append(fs, teamsFact{Title: f.name, Value: truncate(f.value, 1000)})
	}
	body = append(body, teamsCardItem{Type: "FactSet", Facts: fs})
	if s := e.Metadata[MetaSummaryKey]; s != "" {
		body = append(body, teamsCardItem{Type: "TextBlock", Text: truncate(s, teamsMaxText), Wrap: true})
	}
	if c := e.Metadata[MetaApproveCommandKey]; c != "" {
		body = append(body,
			teamsCardItem{Type: "TextBlock", Text: "Approve with", Weight: "Bolder"},
			teamsCardItem{Type: "TextBlock", Text: truncate(c, teamsMaxText), FontType: "Monospace", Wrap: true})
	}
	if report, more := driftLines(e); len(report) > 0 {
		lines := make([]string, 0, len(report)+1)
		for _, l := range report {
			lines = append(lines, "- "+truncate(l, 500))
		}
		if more > 0 {
			lines = append(lines, moreLine(more))
		}
		body = append(body,
			teamsCardItem{Type: "TextBlock", Text: "Drift", Weight: "Bolder"},
			teamsCardItem{Type: "TextBlock", Text: fitLines(lines, teamsMaxDriftText), Wrap: true})
	}
	return &teamsPayload{
		Type: "message",
		Attachments: []teamsAttachment{{
			ContentType: "application/vnd.microsoft.card.adaptive",
			Content: teamsCard{
				Schema:  "http://adaptivecards.io/schemas/adaptive-card.json",
				Type:    "AdaptiveCard",
				Version: "1.4",
				Body:    body,
				MSTeams: teamsCardWidth{Width: "Full"},
			},
		}},
	}
}
