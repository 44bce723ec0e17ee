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
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fluxcd/pkg/apis/meta"
	. "github.com/onsi/gomega"
	"github.com/slack-go/slack"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// bigDrift returns a drift event whose report has n lines of about width
// characters each.
func bigDrift(n, width int) *Event {
	lines := make([]string, n)
	for i := range lines {
		obj := fmt.Sprintf("column public.t.c%04d", i)
		lines[i] = obj + ": " + strings.Repeat("x", max(width-len(obj)-2, 1))
	}
	e := driftEvent("shop")
	e.Metadata[MetaDriftReportKey] = strings.Join(lines, "\n")
	e.Metadata[MetaSummaryKey] = "Orders database"
	return e
}

// slackTexts returns every text of a Slack message's blocks, by kind.
func slackTexts(t *testing.T, m *slack.WebhookMessage) (sections, fields, contexts []string) {
	t.Helper()
	for _, b := range m.Blocks.BlockSet {
		switch b := b.(type) {
		case *slack.SectionBlock:
			if b.Text != nil {
				sections = append(sections, b.Text.Text)
			}
			for _, f := range b.Fields {
				fields = append(fields, f.Text)
			}
		case *slack.ContextBlock:
			for _, el := range b.ContextElements.Elements {
				contexts = append(contexts, el.(*slack.TextBlockObject).Text)
			}
		}
	}
	return sections, fields, contexts
}

// TestSlackMessage_truncation_limits checks Slack's limits: at most 50
// blocks, 3,000 characters per section text, and "… and N more" counting
// exactly the drift lines left out.
func TestSlackMessage_truncation_limits(t *testing.T) {
	cases := []struct {
		name         string
		lines, width int
		wantMore     bool
	}{
		{"fits in one block", 10, 80, false},
		{"many lines", 2000, 120, true},
		{"long lines", 60, 2900, true},
		{"lines longer than a block", 3, 5000, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			m := slackMessage(bigDrift(tc.lines, tc.width), "", "")
			g.Expect(len(m.Blocks.BlockSet)).To(BeNumerically("<=", SlackMaxBlocks))
			sections, fields, contexts := slackTexts(t, m)
			shown := 0
			for _, s := range sections {
				g.Expect(utf8.RuneCountInString(s)).To(BeNumerically("<=", SlackMaxText))
				shown += strings.Count(s, "• ")
			}
			for _, f := range fields {
				g.Expect(utf8.RuneCountInString(f)).To(BeNumerically("<=", SlackMaxFieldText))
			}
			g.Expect(utf8.RuneCountInString(m.Text)).To(BeNumerically("<=", SlackMaxText))
			g.Expect(sections).To(ContainElement(HavePrefix(fmt.Sprintf("*Drift* (%d)", tc.lines))))
			var last string
			if len(contexts) > 0 {
				last = contexts[len(contexts)-1]
			}
			if tc.wantMore {
				g.Expect(len(m.Blocks.BlockSet)).To(Equal(SlackMaxBlocks), "the blocks are used up before lines are left out")
				g.Expect(last).To(Equal(fmt.Sprintf("… and %d more", tc.lines-shown)))
			} else {
				g.Expect(shown).To(Equal(tc.lines))
				g.Expect(last).NotTo(HavePrefix("… and"))
			}
			body, err := json.Marshal(m)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(json.Valid(body)).To(BeTrue())
		})
	}
}

// TestSlackMessage_statusTrailer_counted keeps the "… and N more" that
// DriftAnnotations adds when status holds fewer entries than the count.
func TestSlackMessage_statusTrailer_counted(t *testing.T) {
	g := NewWithT(t)
	report := &v1alpha1.DriftReport{Count: 75}
	for i := range 50 {
		report.Changes = append(report.Changes, v1alpha1.DriftChange{Object: fmt.Sprintf("table public.t%d", i), Change: "exists in the database, not in Git"})
	}
	ann := DriftAnnotations(report)
	g.Expect(ann[v1alpha1.DriftFingerprintAnnotation]).To(Equal(Fingerprint(ann[v1alpha1.DriftReportAnnotation])))
	g.Expect(ann[v1alpha1.DriftReportAnnotation]).To(HavePrefix("table public.t0: exists in the database, not in Git\n"))
	g.Expect(ann[v1alpha1.DriftReportAnnotation]).To(HaveSuffix("\n… and 25 more"))

	e := driftEvent("shop")
	e.Metadata[MetaDriftReportKey] = ann[v1alpha1.DriftReportAnnotation]
	sections, _, contexts := slackTexts(t, slackMessage(e, "", ""))
	g.Expect(sections).To(ContainElement(HavePrefix("*Drift* (75)\n• table public.t0: ")))
	g.Expect(contexts).To(ContainElement("… and 25 more"))
}

// TestSlackMessage_approveCommandAndManyFacts shows the approve command in
// a code block, escapes mrkdwn, and keeps at most 10 fields.
func TestSlackMessage_approveCommandAndManyFacts(t *testing.T) {
	g := NewWithT(t)
	e := driftEvent("shop")
	e.Reason = v1alpha1.DestructiveBlockedReason
	e.Message = "plan drops column <note> & more"
	e.Metadata[MetaApproveCommandKey] = "schemactl approve database orders -n shop --plan sha256:9f1c"
	for i := range 12 {
		e.Metadata[fmt.Sprintf("extra%02d", i)] = "v"
	}
	sections, fields, _ := slackTexts(t, slackMessage(e, "", ""))
	g.Expect(sections).To(ContainElement("*Approve with*\n```schemactl approve database orders -n shop --plan sha256:9f1c```"))
	g.Expect(sections).To(ContainElement("plan drops column &lt;note&gt; &amp; more"))
	g.Expect(fields).To(HaveLen(SlackMaxFields))
	g.Expect(fields[SlackMaxFields-1]).To(Equal("*More*\n… and 8 more"))
}

// TestDiscordAndTeams_limits keeps a huge drift report within Discord's
// 6,000 characters per embed and 4,096 per description, and within the
// Teams card's text limit, ending with "… and N more".
func TestDiscordAndTeams_limits(t *testing.T) {
	g := NewWithT(t)
	e := bigDrift(2000, 120)

	dm := newDiscordMessage(e, "")
	em := dm.Embeds[0]
	total := utf8.RuneCountInString(em.Title) + utf8.RuneCountInString(em.Description) + utf8.RuneCountInString(em.Footer.Text)
	for _, f := range em.Fields {
		total += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	g.Expect(total).To(BeNumerically("<=", discordMaxEmbed))
	g.Expect(utf8.RuneCountInString(em.Description)).To(BeNumerically("<=", discordMaxDescription))
	g.Expect(em.Description).To(MatchRegexp(`\n… and \d+ more$`))

	tm := newTeamsMessage(e)
	body := tm.Attachments[0].Content.Body
	driftText := body[len(body)-1].Text
	g.Expect(utf8.RuneCountInString(driftText)).To(BeNumerically("<=", teamsMaxDriftText))
	g.Expect(driftText).To(MatchRegexp(`\n… and \d+ more$`))
	shown := strings.Count(driftText, "\n- ") + 1
	g.Expect(driftText).To(HaveSuffix(fmt.Sprintf("… and %d more", 2000-shown)))
}

// TestValidateProvider_invalid names the Secret and key that are missing or
// wrong, never a value.
func TestValidateProvider_invalid(t *testing.T) {
	ns := testEnv.CreateNamespace(t, "validate")
	ctx := context.Background()
	secret := func(name string, data map[string]string) {
		NewWithT(t).Expect(testEnv.Client.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, StringData: data})).To(Succeed())
	}
	secret("no-address", map[string]string{"url": "https://hooks.example/T0K3N"})
	secret("ftp", map[string]string{AddressKey: "ftp://hooks.example/T0K3N"})
	secret("relative", map[string]string{AddressKey: "/services/T0K3N"})
	secret("good", map[string]string{AddressKey: "https://hooks.example/T0K3N"})
	secret("bad-ca", map[string]string{CACertKey: "not a certificate T0K3N"})
	secret("proxy-no-address", map[string]string{UsernameKey: "alice"})

	cases := []struct {
		name   string
		ptype  string
		secret string
		mutate func(*v1alpha1.AlertProvider)
		want   string
	}{
		{"missing secret", v1alpha1.SlackProvider, "absent", nil, `secret "absent" not found`},
		{"missing address", v1alpha1.SlackProvider, "no-address", nil, `secret "no-address" has no key "address"`},
		{"scheme", v1alpha1.GenericProvider, "ftp", nil, `the address in secret "ftp" is invalid: the scheme must be http or https`},
		{"relative", v1alpha1.DiscordProvider, "relative", nil, `the address in secret "relative" is invalid: the scheme must be http or https`},
		{"hmac without token", v1alpha1.GenericHMACProvider, "good", nil, `secret "good" has no key "token" (the HMAC key of generic-hmac)`},
		{"bad CA", v1alpha1.MSTeamsProvider, "good", func(p *v1alpha1.AlertProvider) {
			p.Spec.CertSecretRef = &meta.LocalObjectReference{Name: "bad-ca"}
		}, `certificate secret "bad-ca": "ca.crt" holds no PEM certificate`},
		{"missing CA secret", v1alpha1.MSTeamsProvider, "good", func(p *v1alpha1.AlertProvider) {
			p.Spec.CertSecretRef = &meta.LocalObjectReference{Name: "absent-ca"}
		}, `secret "absent-ca" not found`},
		{"proxy without address", v1alpha1.SlackProvider, "good", func(p *v1alpha1.AlertProvider) {
			p.Spec.ProxySecretRef = &meta.LocalObjectReference{Name: "proxy-no-address"}
		}, `proxy secret "proxy-no-address" has no key "address"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			p := &v1alpha1.AlertProvider{
				ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: ns},
				Spec:       v1alpha1.AlertProviderSpec{Type: tc.ptype, SecretRef: meta.LocalObjectReference{Name: tc.secret}},
			}
			if tc.mutate != nil {
				tc.mutate(p)
			}
			err := ValidateProvider(ctx, testEnv.Client, p)
			var invalid *InvalidProviderError
			g.Expect(errors.As(err, &invalid)).To(BeTrue(), "an InvalidProviderError: %v", err)
			g.Expect(err.Error()).To(Equal(tc.want))
			g.Expect(err.Error()).NotTo(ContainSubstring("T0K3N"))
		})
	}

	g := NewWithT(t)
	ok := &v1alpha1.AlertProvider{
		ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: ns},
		Spec:       v1alpha1.AlertProviderSpec{Type: v1alpha1.SlackProvider, SecretRef: meta.LocalObjectReference{Name: "good"}},
	}
	g.Expect(ValidateProvider(ctx, testEnv.Client, ok)).To(Succeed())
}

// TestDedup_repeatWindow sends an identical failure again once the repeat
// window has passed, and a drift never while its fingerprint stays.
func TestDedup_repeatWindow(t *testing.T) {
	g := NewWithT(t)
	d := newDedup(time.Hour)
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	d.now = func() time.Time { return now }
	rule := &v1alpha1.AlertRule{ObjectMeta: metav1.ObjectMeta{Name: "r", Namespace: "shop"}}
	failed := event("shop", "orders", v1alpha1.ApplyFailedReason, SeverityError, "apply failed", nil)
	drifted := drift("shop", "drift", "table public.t: exists in the database, not in Git")

	g.Expect(d.shouldSend(rule, failed)).To(BeTrue())
	g.Expect(d.shouldSend(rule, drifted)).To(BeTrue())
	now = now.Add(59 * time.Minute)
	g.Expect(d.shouldSend(rule, failed)).To(BeFalse())
	g.Expect(d.shouldSend(rule, drifted)).To(BeFalse())
	now = now.Add(2 * time.Minute)
	g.Expect(d.shouldSend(rule, failed)).To(BeTrue(), "the repeat window has passed")
	g.Expect(d.shouldSend(rule, drifted)).To(BeFalse(), "the same drift is sent once")

	// A recovery resets the object; the drift is sent when it comes back.
	d.observe(event("shop", "orders", v1alpha1.DriftCorrectedReason, SeverityInfo, "corrected", nil))
	g.Expect(d.shouldSend(rule, drifted)).To(BeTrue())

	// Objects not heard of for a day are forgotten.
	now = now.Add(25 * time.Hour)
	d.prune()
	g.Expect(d.objects).To(BeEmpty())
}
