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

package reconcile

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
	"github.com/schemactl/schema-controller/notify"
)

// TestDatabaseReconciler_canaryPassword gives Databases Secrets holding a
// canary password with every special character (@ / : ? # % space '),
// unencoded in a URL, in keyword/value form and as separate keys, against a
// server that checks passwords, with a generic webhook AlertProvider that
// records every alert. The right password reaches Ready; every error path
// (auth failed, missing database, refused, bad host, bad port, bad sslmode)
// says what is wrong in the Ready condition, a Warning event and an alert;
// and no piece of the password is in any status, event or alert.
func TestDatabaseReconciler_canaryPassword(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cluster := pgtest.NewCluster(t)
	if err := cluster.RequirePasswords(ctx); err != nil {
		t.Fatal(err)
	}
	pw := pgtest.HostilePasswords[3]
	for role, password := range map[string]string{"canary": pw, "wrongpw": "other"} {
		if err := pgtest.CreateLoginRole(ctx, cluster.URL(), role, password); err != nil {
			t.Fatal(err)
		}
	}
	for _, db := range []string{"app1", "app2", "app3"} {
		if err := pgtest.CreateDatabase(ctx, cluster.URL(), db, "canary"); err != nil {
			t.Fatal(err)
		}
	}
	port := strconv.Itoa(cluster.Port())
	rawURL := func(user, host, port, db, sslmode string) map[string][]byte {
		return map[string][]byte{"url": []byte("postgres://" + user + ":" + pw + "@" + host + ":" + port + "/" + db + "?sslmode=" + sslmode + "&connect_timeout=60")}
	}
	keyValue := func(user, db string) map[string][]byte {
		q := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(pw)
		return map[string][]byte{"url": []byte(fmt.Sprintf("host=127.0.0.1 port=%s user=%s password='%s' dbname=%s sslmode=disable", port, user, q, db))}
	}
	keys := func(user, port, db, sslmode string) map[string][]byte {
		return map[string][]byte{"host": []byte("127.0.0.1"), "port": []byte(port), "user": []byte(user), "password": []byte(pw), "dbname": []byte(db), "sslmode": []byte(sslmode)}
	}

	var mu sync.Mutex
	var alerts []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading an alert: %v", err)
		}
		mu.Lock()
		alerts = append(alerts, string(b))
		mu.Unlock()
	}))
	t.Cleanup(hook.Close)
	g := NewWithT(t)
	createSecret(t, f.ns, "hook", map[string][]byte{notify.AddressKey: []byte(hook.URL)})
	g.Expect(testClient.Create(ctx, &v1alpha1.AlertProvider{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "hook"},
		Spec:       v1alpha1.AlertProviderSpec{Type: v1alpha1.GenericProvider, SecretRef: meta.LocalObjectReference{Name: "hook"}},
	})).To(Succeed())
	rule := &v1alpha1.AlertRule{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "hook"},
		Spec: v1alpha1.AlertRuleSpec{
			ProviderRef:   meta.LocalObjectReference{Name: "hook"},
			EventSources:  []v1alpha1.EventSourceReference{{Kind: v1alpha1.DatabaseKind, Name: "*"}},
			EventSeverity: v1alpha1.EventSeverityInfo,
		},
	}
	g.Expect(testClient.Create(ctx, rule)).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(conditions.IsReady(alertGet(g, rule))).To(BeTrue()) }, testTimeout, testInterval).Should(Succeed())

	cases := []struct {
		name   string
		secret map[string][]byte
		reason string // "" for Ready
		want   string
	}{
		{"good-url", rawURL("canary", "127.0.0.1", port, "app1", "disable"), "", ""},
		{"good-kv", keyValue("canary", "app2"), "", ""},
		{"good-keys", keys("canary", port, "app3", "disable"), "", ""},
		{"auth-url", rawURL("wrongpw", "127.0.0.1", port, "app1", "disable"), v1alpha1.ConnectionFailedReason, "password authentication failed"},
		{"auth-kv", keyValue("wrongpw", "app1"), v1alpha1.ConnectionFailedReason, "password authentication failed"},
		{"auth-keys", keys("wrongpw", port, "app1", "disable"), v1alpha1.ConnectionFailedReason, "password authentication failed"},
		{"nodb-url", rawURL("canary", "127.0.0.1", port, "nosuchdb", "disable"), v1alpha1.ConnectionFailedReason, `database "nosuchdb" does not exist`},
		{"refused-url", rawURL("canary", "127.0.0.1", "1", "app1", "disable"), v1alpha1.ConnectionFailedReason, "connection refused"},
		{"badhost-url", rawURL("canary", "nohost.invalid", port, "app1", "disable"), v1alpha1.ConnectionFailedReason, "nohost.invalid"},
		{"badport-url", rawURL("canary", "127.0.0.1", "notaport", "app1", "disable"), v1alpha1.InvalidSecretReason, "percent-encode"},
		{"badport-keys", keys("canary", "notaport", "app1", "disable"), v1alpha1.InvalidSecretReason, "not a number"},
		{"badssl-url", rawURL("canary", "127.0.0.1", port, "app1", "bogus"), v1alpha1.InvalidSecretReason, "sslmode is invalid"},
		{"badssl-keys", keys("canary", port, "app1", "bogus"), v1alpha1.InvalidSecretReason, "sslmode is invalid"},
	}
	objs := map[string]*v1alpha1.Database{}
	for _, c := range cases {
		createSecret(t, f.ns, c.name, c.secret)
		objs[c.name] = f.database(c.name, func(db *v1alpha1.Database) {
			db.Spec.SecretRef.Name = c.name
			// The default bound of a reconcile is the 2s interval: too short
			// on a loaded machine for a load on a server that checks passwords.
			db.Spec.Timeout = &metav1.Duration{Duration: time.Minute}
		})
	}
	for _, c := range cases {
		eventuallyDB(t, objs[c.name], func(g Gomega, db *v1alpha1.Database) {
			if c.reason == "" {
				g.Expect(conditions.IsReady(db)).To(BeTrue(), "%s: %v", c.name, db.Status.Conditions)
				return
			}
			g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(c.reason), "%s: %v", c.name, db.Status.Conditions)
			g.Expect(conditions.GetMessage(db, meta.ReadyCondition)).To(ContainSubstring(c.want), c.name)
		})
	}
	// Every failing Database has its Warning event and its alert.
	g.Eventually(func(g Gomega) {
		var list corev1.EventList
		g.Expect(testClient.List(ctx, &list, client.InNamespace(f.ns))).To(Succeed())
		mu.Lock()
		all := strings.Join(alerts, "\n")
		mu.Unlock()
		for _, c := range cases {
			if c.reason == "" {
				continue
			}
			dbHasEvent(g, objs[c.name], c.reason)
			g.Expect(all).To(ContainSubstring(`"name":"`+c.name+`"`), "no alert for %s", c.name)
		}
	}, testTimeout, testInterval).Should(Succeed())

	// The canary is nowhere: status (all conditions), events, alerts.
	for _, c := range cases {
		b, err := json.Marshal(getDB(g, objs[c.name]).Status)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(pgtest.Leaks(string(b), pw)).To(BeEmpty(), "status of %s: %s", c.name, b)
	}
	var list corev1.EventList
	g.Expect(testClient.List(ctx, &list, client.InNamespace(f.ns))).To(Succeed())
	for _, e := range list.Items {
		b, err := json.Marshal(e)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(pgtest.Leaks(string(b), pw)).To(BeEmpty(), "event: %s", b)
	}
	mu.Lock()
	defer mu.Unlock()
	g.Expect(len(alerts)).To(BeNumerically(">=", 10))
	for _, a := range alerts {
		g.Expect(pgtest.Leaks(a, pw)).To(BeEmpty(), "alert: %s", a)
	}
}
