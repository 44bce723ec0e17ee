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
	"fmt"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
)

// A plan longer than status.plan.sql may hold keeps MaxPlanSQL items, the last
// saying how many more there are; 51 items made the API server refuse every status
// patch of the Database (found by the agent fault suite, a 60-table change).
func TestRecordPlan_longPlanFitsTheCRD(t *testing.T) {
	for _, n := range []int{1, v1alpha1.MaxPlanSQL - 1, v1alpha1.MaxPlanSQL, v1alpha1.MaxPlanSQL + 1, 181} {
		g := NewWithT(t)
		p := &drift.ChangePlan{}
		for i := range n {
			p.Statements = append(p.Statements, drift.Statement{SQL: fmt.Sprintf("ALTER TABLE t%d ADD COLUMN c int", i)})
		}
		obj := &v1alpha1.Database{}
		(&DatabaseReconciler{}).recordPlan(obj, &dbRun{plan: p, approvalID: "sha256:00", revision: "main@sha1:00"})
		sql := obj.Status.Plan.SQL
		g.Expect(len(sql)).To(BeNumerically("<=", v1alpha1.MaxPlanSQL), "%d statements", n)
		g.Expect(obj.Status.Plan.Statements).To(BeNumerically("==", n))
		if n <= v1alpha1.MaxPlanSQL {
			g.Expect(sql).To(HaveLen(n))
			g.Expect(sql[n-1]).To(ContainSubstring(fmt.Sprintf("ALTER TABLE t%d ADD", n-1)))
			continue
		}
		g.Expect(sql).To(HaveLen(v1alpha1.MaxPlanSQL))
		g.Expect(sql[v1alpha1.MaxPlanSQL-2]).To(ContainSubstring(fmt.Sprintf("ALTER TABLE t%d ADD", v1alpha1.MaxPlanSQL-2)))
		g.Expect(sql[v1alpha1.MaxPlanSQL-1]).To(Equal(fmt.Sprintf("-- … and %d more statement(s)", n-(v1alpha1.MaxPlanSQL-1))))
	}
}
