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

package source

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
)

// Errors that a retry cannot fix: the user has to change the object or its
// Secret. Callers test for them with errors.Is.
var (
	// ErrInvalidURL marks a repository URL that cannot be used.
	ErrInvalidURL = errors.New("invalid repository URL")

	// ErrInvalidAuth marks credentials that cannot be used as they are, for
	// example a Secret that lacks a key its transport needs.
	ErrInvalidAuth = errors.New("invalid credentials")

	// ErrInvalidReference marks a reference that can never resolve, for
	// example a semver range that does not parse.
	ErrInvalidReference = errors.New("invalid reference")
)

// Errors of a fetch. They are worth a retry, or a new commit.
var (
	// ErrReferenceNotFound marks a branch, tag, reference name or commit
	// that the remote does not have, or a semver range no tag matches.
	ErrReferenceNotFound = errors.New("reference not found")

	// ErrSizeLimitExceeded marks a revision whose files exceed the
	// artifact size limit of the store.
	ErrSizeLimitExceeded = errors.New("artifact size limit exceeded")

	// ErrAuthenticationFailed marks credentials that the remote refused.
	ErrAuthenticationFailed = errors.New("authentication failed")

	// ErrStorage marks a failure to read or write the artifact store.
	ErrStorage = errors.New("artifact store")

	// ErrHostKey marks an SSH server whose host key is not in known_hosts,
	// or differs from the key recorded there.
	ErrHostKey = errors.New("host key verification failed")

	// ErrUnsafePath marks a commit whose tree has an entry that git itself
	// would refuse to check out: a name that is empty, "." or "..", or that
	// holds a slash or a NUL byte. Written as it is, it would land outside
	// the artifact's folder. A hostile or broken server sends these; a new
	// commit fixes it.
	ErrUnsafePath = errors.New("unsafe path in the repository tree")
)

// IsStalling reports whether err is one that a retry cannot fix.
func IsStalling(err error) bool {
	return errors.Is(err, ErrInvalidURL) || errors.Is(err, ErrInvalidAuth) || errors.Is(err, ErrInvalidReference)
}

// redactedError replaces secrets in the message of the error it wraps while
// keeping it inspectable with errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redact returns err with every occurrence of the given secrets replaced by
// "***". Secrets shorter than four bytes are replaced too: a false positive
// costs a confusing message, a false negative a leaked password.
func redact(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	redacted := msg
	for _, s := range secrets {
		if s == "" {
			continue
		}
		redacted = strings.ReplaceAll(redacted, s, "***")
	}
	if redacted == msg {
		return err
	}
	return &redactedError{msg: redacted, err: err}
}

// classify wraps the errors of go-git and of the SSH handshake into the
// sentinel errors of this package, so that callers need not know go-git.
func classify(err error) error {
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, ErrHostKey), errors.Is(err, ErrAuthenticationFailed):
		return err
	case errors.Is(err, transport.ErrAuthenticationRequired), errors.Is(err, transport.ErrAuthorizationFailed):
		return fmt.Errorf("%w: %w", ErrAuthenticationFailed, err)
	case strings.Contains(err.Error(), "ssh: unable to authenticate"):
		return fmt.Errorf("%w: %w", ErrAuthenticationFailed, err)
	}
	return err
}
