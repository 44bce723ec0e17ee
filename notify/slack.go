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
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

// Slack's limits on Block Kit messages.
const (
	// SlackMaxBlocks is the number of blocks of one message.
	SlackMaxBlocks = 50

	// SlackMaxText is the length of the text of a section block.
	SlackMaxText = 3000

	// SlackMaxFieldText is the length of one field of a section block.
	SlackMaxFieldText = 2000

	// SlackMaxFields is the number of fields of a section block.
	SlackMaxFields = 10

	// SlackMaxHeader is the length of the text of a header block.
	SlackMaxHeader = 150
)

// slackEscaper escapes the characters Slack's mrkdwn reserves.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// slackMessage returns e as a Slack Block Kit message: a header with the
// reason and object, the message, the facts as fields (object, namespace,
// revision, cluster, plan, ...), the rule's summary, the approve command,
// and the drift report, cut to Slack's limits with "… and N more".
func slackMessage(e *Event, channel, username string) *slack.WebhookMessage {
	mrkdwn := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
	}
	blocks := []slack.Block{
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, truncate(title(e), SlackMaxHeader), true, false)),
		slack.NewSectionBlock(mrkdwn(truncate(slackEscaper.Replace(e.Message), SlackMaxText)), nil, nil),
	}

	fs := facts(e)
	if len(fs) > SlackMaxFields {
		more := len(fs) - (SlackMaxFields - 1)
		fs = append(fs[:SlackMaxFields-1], fact{"More", moreLine(more)})
	}
	fields := make([]*slack.TextBlockObject, 0, len(fs))
	for _, f := range fs {
		fields = append(fields, mrkdwn(truncate(fmt.Sprintf("*%s*\n%s", slackEscaper.Replace(f.name), slackEscaper.Replace(f.value)), SlackMaxFieldText)))
	}
	blocks = append(blocks, slack.NewSectionBlock(nil, fields, nil))

	if s := e.Metadata[MetaSummaryKey]; s != "" {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(truncate(slackEscaper.Replace(s), SlackMaxText))))
	}
	if c := e.Metadata[MetaApproveCommandKey]; c != "" {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(truncate("*Approve with*\n```"+slackEscaper.Replace(c)+"```", SlackMaxText)), nil, nil))
	}

	if report, more := driftLines(e); len(report) > 0 {
		lines := make([]string, 0, len(report)+1)
		lines = append(lines, fmt.Sprintf("*Drift* (%d)", len(report)+more))
		for _, l := range report {
			lines = append(lines, "• "+slackEscaper.Replace(l))
		}
		// One block stays free for the "… and N more" line.
		room := SlackMaxBlocks - len(blocks) - 1
		chunks, left := packLines(lines, SlackMaxText, room)
		for _, c := range chunks {
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(c), nil, nil))
		}
		if left += more; left > 0 {
			blocks = append(blocks, slack.NewContextBlock("", mrkdwn(moreLine(left))))
		}
	}

	return &slack.WebhookMessage{
		Channel:  channel,
		Username: username,
		// The text is the notification's fallback when blocks cannot be
		// shown.
		Text:   truncate(title(e)+": "+e.Message, SlackMaxText),
		Blocks: &slack.Blocks{BlockSet: blocks},
	}
}
