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

package gittest

import (
	"net"
	"testing"
	"time"
)

func TestCloseSSHListener(t *testing.T) {
	s := NewServer(t, Options{})
	addr := s.SSHAddress()
	c, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(t.Context(), "tcp", addr)
	if err != nil {
		t.Fatalf("SSH server not listening: %v", err)
	}
	_ = c.Close()
	if !closeSSHListener(s.git) {
		t.Fatal("the SSH listener is no longer where gittestserver and gitkit keep it: update closeSSHListener")
	}
	if c, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(t.Context(), "tcp", addr); err == nil {
		_ = c.Close()
		t.Fatal("SSH server still listening after closeSSHListener")
	}
}
