# syntax=docker/dockerfile:1

# Builds both binaries, schema-controller (the agent) and schemactl (the CLI).
# cgo is on because pg_query_go embeds PostgreSQL's parser in C; the builder and
# the runtime image are both Debian 12 so that the binaries find the glibc they
# were linked against.
ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS builder
WORKDIR /workspace

# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download

COPY . .
ARG VERSION=dev
ENV CGO_ENABLED=1 GOFLAGS=-mod=readonly
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    for cmd in schema-controller schemactl; do \
      go build -trimpath \
        -ldflags "-s -w -X github.com/schemactl/schema-controller/internal/version.Version=${VERSION}" \
        -o /out/${cmd} ./cmd/${cmd} || exit 1; \
    done

# distroless base: glibc and CA certificates, no shell, no package manager.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=builder /out/schema-controller /usr/local/bin/schema-controller
COPY --from=builder /out/schemactl /usr/local/bin/schemactl
# nonroot (65532), as the Deployment's securityContext expects.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/schema-controller"]
