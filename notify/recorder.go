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
	"maps"
	"os"
	"time"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1"
	"github.com/fluxcd/pkg/runtime/events"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	kuberecorder "k8s.io/client-go/tools/record"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
)

// Recorder is the event recorder of the reconcilers. It forwards every event
// to a base recorder (Kubernetes events, and Flux's notification-controller
// when configured) and hands a copy to a Dispatcher, which sends it to the
// AlertProviders whose AlertRules select it. Recording never blocks: the
// Dispatcher's queue is bounded and drops what does not fit.
//
// It implements Flux's events.Recorder, the interface the reconcilers embed;
// Legacy returns the same recorder as a k8s.io/client-go/tools/record
// EventRecorder.
type Recorder struct {
	base        events.Recorder
	dispatcher  *Dispatcher
	clusterName string
	instance    string
}

var _ events.Recorder = (*Recorder)(nil)

// NewRecorder returns a Recorder forwarding to base (nil: no Kubernetes
// events) and to d (nil: no alerts), naming clusterName in every alert.
func NewRecorder(base events.Recorder, d *Dispatcher, clusterName string) *Recorder {
	host, _ := os.Hostname()
	return &Recorder{base: base, dispatcher: d, clusterName: clusterName, instance: host}
}

// Eventf records an event about regarding with a formatted note. The event
// type is corev1.EventTypeNormal (an info alert) or corev1.EventTypeWarning
// (an error alert); reason is one of the reasons of api/v1alpha1.
func (r *Recorder) Eventf(regarding runtime.Object, related runtime.Object, eventtype, reason, action, note string, args ...any) {
	r.AnnotatedEventf(regarding, related, nil, eventtype, reason, action, note, args...)
}

// AnnotatedEventf records an event like Eventf, with annotations. The
// annotations with the schemactl.dev/ prefix (the *Annotation keys of
// api/v1alpha1) become the metadata of the alert.
func (r *Recorder) AnnotatedEventf(regarding runtime.Object, related runtime.Object, annotations map[string]string, eventtype, reason, action, note string, args ...any) {
	if r.base != nil {
		r.base.AnnotatedEventf(regarding, related, annotations, eventtype, reason, action, note, args...)
	}
	if r.dispatcher == nil || eventtype == eventv1.EventTypeTrace {
		return
	}
	e, err := r.newEvent(regarding, annotations, eventtype, reason, action, fmt.Sprintf(note, args...))
	if err != nil {
		r.dispatcher.log.Error(err, "event not sent to alerts", "reason", reason)
		return
	}
	r.dispatcher.Enqueue(e)
}

// newEvent builds the Event of a recorded event.
func (r *Recorder) newEvent(obj runtime.Object, annotations map[string]string, eventtype, reason, action, message string) (*Event, error) {
	m, err := meta.Accessor(obj)
	if err != nil {
		return nil, fmt.Errorf("reading the object's metadata: %w", err)
	}
	gvk, err := apiutil.GVKForObject(obj, r.dispatcher.scheme)
	if err != nil {
		return nil, fmt.Errorf("finding the object's kind: %w", err)
	}
	apiVersion, kind := gvk.ToAPIVersionAndKind()
	severity := SeverityInfo
	if eventtype == corev1.EventTypeWarning {
		severity = SeverityError
	}
	metadata := map[string]string{}
	for k, v := range annotations {
		if mk := MetadataKey(k); mk != "" {
			metadata[mk] = v
		}
	}
	return &Event{
		InvolvedObject: corev1.ObjectReference{
			Kind:            kind,
			APIVersion:      apiVersion,
			Namespace:       m.GetNamespace(),
			Name:            m.GetName(),
			UID:             m.GetUID(),
			ResourceVersion: m.GetResourceVersion(),
		},
		Labels:              maps.Clone(m.GetLabels()),
		Severity:            severity,
		Timestamp:           time.Now(),
		Reason:              reason,
		Message:             message,
		Action:              action,
		Metadata:            metadata,
		ClusterName:         r.clusterName,
		ReportingController: r.dispatcher.opts.ReportingController,
		ReportingInstance:   r.instance,
	}, nil
}

// Legacy returns r as a k8s.io/client-go/tools/record EventRecorder, for
// code written against that interface. Its events go to the same base
// recorder and Dispatcher.
func (r *Recorder) Legacy() kuberecorder.EventRecorder {
	return legacyRecorder{r}
}

// legacyRecorder adapts Recorder to kuberecorder.EventRecorder.
type legacyRecorder struct{ r *Recorder }

var _ kuberecorder.EventRecorder = legacyRecorder{}

// Event records an event with a fixed message.
func (l legacyRecorder) Event(object runtime.Object, eventtype, reason, message string) {
	l.r.AnnotatedEventf(object, nil, nil, eventtype, reason, "", "%s", message)
}

// Eventf records an event with a formatted message.
func (l legacyRecorder) Eventf(object runtime.Object, eventtype, reason, messageFmt string, args ...any) {
	l.r.AnnotatedEventf(object, nil, nil, eventtype, reason, "", messageFmt, args...)
}

// AnnotatedEventf records an event with annotations and a formatted message.
func (l legacyRecorder) AnnotatedEventf(object runtime.Object, annotations map[string]string, eventtype, reason, messageFmt string, args ...any) {
	l.r.AnnotatedEventf(object, nil, annotations, eventtype, reason, "", messageFmt, args...)
}
