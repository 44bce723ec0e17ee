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

package pgtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// EnvBinDir names the environment variable that, when set, points at the
	// directory holding initdb and postgres. Otherwise the highest version under
	// /usr/lib/postgresql/*/bin is used, then PATH.
	EnvBinDir = "SCHEMACTL_TEST_PG_BINDIR"

	// Superuser is the role that owns throwaway clusters and that URLs connect as.
	Superuser = "postgres"

	// clusterPrefix starts the name of every throwaway cluster directory, so that
	// leftovers of crashed runs can be found and removed.
	clusterPrefix = "pgtest-"
	// ownerFile records which process owns a cluster directory.
	ownerFile = "owner"

	startTimeout = 60 * time.Second
	stopTimeout  = 60 * time.Second
)

// Cluster is a throwaway PostgreSQL cluster in a temporary directory, listening on
// 127.0.0.1 on a free port with trust authentication. The postmaster is a direct
// child of the test process (not daemonized by pg_ctl), so that it is always
// reaped, and it receives SIGQUIT (immediate shutdown) if the test process dies.
// Its methods are safe for concurrent use.
type Cluster struct {
	dir    string
	bindir string
	port   int
	cred   *syscall.Credential

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	closed bool
}

// NewCluster starts a dedicated throwaway cluster for t, even when
// SCHEMACTL_TEST_PG_URL is set, for tests that stop, start or kill the server.
// The cluster is stopped and its directory removed when t ends.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	c, err := StartCluster()
	if err != nil {
		t.Fatalf("starting throwaway PostgreSQL cluster: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("closing throwaway PostgreSQL cluster: %v", err)
		}
	})
	return c
}

// StartCluster initializes and starts a throwaway cluster. The caller must call
// Close. Before creating it, StartCluster removes the directories (and stops the
// servers) of clusters whose owning process is gone, so leftovers of crashed or
// killed test runs never pile up.
func StartCluster() (*Cluster, error) {
	sweepClusters()

	bindir, err := findBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", clusterPrefix)
	if err != nil {
		return nil, fmt.Errorf("creating cluster directory: %w", err)
	}
	c := &Cluster{dir: dir, bindir: bindir, cred: cred}
	if err := c.init(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	// A free port can be taken by someone else between probing and binding:
	// pick another one when that happens.
	for attempt := 0; ; attempt++ {
		if c.port, err = freePort(); err != nil {
			break
		}
		if err = c.Start(); err == nil || attempt == 2 || !strings.Contains(err.Error(), "already in use") {
			break
		}
	}
	if err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// init records the owner, hands the directory to the server user and runs initdb.
func (c *Cluster) init() error {
	if err := os.WriteFile(filepath.Join(c.dir, ownerFile), []byte(ownerToken()), 0o600); err != nil {
		return fmt.Errorf("recording cluster owner: %w", err)
	}
	if c.cred != nil {
		if err := os.Chown(c.dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return fmt.Errorf("handing cluster directory to the server user: %w", err)
		}
	}
	//nolint:gosec,noctx // G204: initdb of the PostgreSQL installation findBinDir chose; it runs to completion, no context to bound it
	cmd := exec.Command(filepath.Join(c.bindir, "initdb"),
		"--pgdata", c.dataDir(),
		"--username", Superuser,
		"--auth", "trust",
		"--encoding", "UTF8",
		"--locale", "C",
		"--no-sync",
	)
	cmd.Dir = c.dir
	cmd.Env = serverEnv()
	cmd.SysProcAttr = sysProcAttr(c.cred, false)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %w: %s", err, tail(out))
	}
	return nil
}

// Dir returns the cluster's directory: data/, the unix socket and postgres.log.
func (c *Cluster) Dir() string { return c.dir }

// Port returns the TCP port the cluster listens on; it does not change across
// Stop, Kill and Start.
func (c *Cluster) Port() int { return c.port }

// URL returns the URL of the cluster's maintenance database as superuser.
func (c *Cluster) URL() string { return c.URLFor("postgres") }

// URLFor returns the URL of the named database of the cluster as superuser.
func (c *Cluster) URLFor(dbname string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", Superuser, c.port, dbname)
}

// Server returns a Server that creates its databases in this cluster.
func (c *Cluster) Server() *Server {
	return &Server{adminURL: c.URL(), cluster: c}
}

// Running reports whether the postmaster is running.
func (c *Cluster) Running() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cmd != nil
}

func (c *Cluster) dataDir() string { return filepath.Join(c.dir, "data") }
func (c *Cluster) logPath() string { return filepath.Join(c.dir, "postgres.log") }

// Start starts the postmaster on the cluster's port with its existing data and
// waits until it accepts connections. After Kill it runs crash recovery; while the
// killed server's backends are still exiting, PostgreSQL refuses to start
// ("pre-existing shared memory block is still in use"), so Start retries for up
// to a minute. Start on a running cluster does nothing.
func (c *Cluster) Start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errors.New("cluster is closed")
	}
	if c.cmd != nil {
		return nil
	}
	deadline := time.Now().Add(startTimeout)
	for {
		err := c.startOnce(deadline)
		if err == nil || !retryableStart(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (c *Cluster) startOnce(deadline time.Time) error {
	logf, err := os.OpenFile(c.logPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("opening server log: %w", err)
	}
	defer func() { _ = logf.Close() }()
	logStart, _ := logf.Seek(0, io.SeekEnd)

	//nolint:gosec,noctx // G204: the server of the installation findBinDir chose; it outlives this call and Stop ends it, not a context
	cmd := exec.Command(filepath.Join(c.bindir, "postgres"),
		"-D", c.dataDir(),
		"-p", strconv.Itoa(c.port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+c.dir,
		// Durability against an OS crash is pointless for a throwaway cluster;
		// a killed postmaster still loses nothing, because commits reach the
		// kernel's page cache before they are acknowledged.
		"-c", "fsync=off",
		"-c", "full_page_writes=off",
		"-c", "shared_buffers=16MB",
		"-c", "autovacuum=off",
		"-c", "max_connections=200",
	)
	cmd.Dir = c.dir
	cmd.Env = serverEnv()
	cmd.Stdout = logf
	cmd.Stderr = logf
	cmd.SysProcAttr = sysProcAttr(c.cred, true)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting postgres: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()

	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, c.URL())
		if err == nil {
			_ = conn.Close(ctx)
			cancel()
			c.cmd, c.exited = cmd, exited
			return nil
		}
		cancel()
		select {
		case <-exited:
			return fmt.Errorf("postgres exited during start-up: %s", c.logSince(logStart))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("postgres did not accept connections within %s: %s", startTimeout, c.logSince(logStart))
		}
	}
}

// retryableStart tells start-up failures that go away once a killed server's
// processes are gone.
func retryableStart(err error) bool {
	msg := err.Error()
	for _, s := range []string{"pre-existing shared memory block", "lock file"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// Stop shuts the postmaster down (fast shutdown: sessions are terminated, a
// checkpoint is written) and waits for it to exit. Stop on a stopped cluster does
// nothing.
func (c *Cluster) Stop() error {
	return c.signal(syscall.SIGINT)
}

// Kill sends SIGKILL to the postmaster, simulating a crash, and waits for it and
// for its backends, which exit on their own when they notice the postmaster is
// gone, so that no session survives Kill. Start then runs crash recovery.
func (c *Cluster) Kill() error {
	c.mu.Lock()
	var children []int
	if c.cmd != nil {
		children = childPIDs(c.cmd.Process.Pid)
	}
	c.mu.Unlock()
	if err := c.signal(syscall.SIGKILL); err != nil {
		return err
	}
	deadline := time.Now().Add(stopTimeout)
	for _, pid := range children {
		for processRunning(pid) {
			if time.Now().After(deadline) {
				return fmt.Errorf("backend %d of the killed postmaster did not exit within %s", pid, stopTimeout)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return nil
}

func (c *Cluster) signal(sig syscall.Signal) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return nil
	}
	if err := c.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signalling postgres: %w", err)
	}
	select {
	case <-c.exited:
	case <-time.After(stopTimeout):
		_ = c.cmd.Process.Kill()
		<-c.exited
		c.cmd = nil
		return fmt.Errorf("postgres did not stop within %s after %s; killed it", stopTimeout, sig)
	}
	c.cmd = nil
	return nil
}

// Close stops the cluster (killing it if it does not stop) and removes its
// directory. Close is idempotent.
func (c *Cluster) Close() error {
	stopErr := c.Stop()
	if stopErr != nil {
		_ = c.Kill()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if err := os.RemoveAll(c.dir); err != nil {
		return errors.Join(stopErr, fmt.Errorf("removing cluster directory: %w", err))
	}
	return stopErr
}

// logSince returns the server log written since offset, shortened.
func (c *Cluster) logSince(offset int64) string {
	b, err := os.ReadFile(c.logPath())
	if err != nil || offset > int64(len(b)) {
		return "(no server log)"
	}
	return tail(b[offset:])
}

func tail(b []byte) string {
	const max = 2000
	s := strings.TrimSpace(string(b))
	if len(s) > max {
		s = "…" + s[len(s)-max:]
	}
	return s
}

// findBinDir returns the directory holding initdb and postgres.
func findBinDir() (string, error) {
	if d := os.Getenv(EnvBinDir); d != "" {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err != nil { //nolint:gosec // G703: the directory is the developer's own setting, only probed for initdb
			return "", fmt.Errorf("%s=%s has no initdb: %w", EnvBinDir, d, err)
		}
		return d, nil
	}
	if dirs := versionedBinDirs("initdb"); len(dirs) > 0 {
		return dirs[0].dir, nil
	}
	p, err := exec.LookPath("initdb")
	if err != nil {
		return "", errors.New("no PostgreSQL server binaries: install PostgreSQL (e.g. apt-get install postgresql), " +
			"set " + EnvURL + " to a running server, or set " + EnvBinDir)
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return filepath.Dir(p), nil
}

type binDir struct {
	major int
	dir   string
}

// versionedBinDirs lists /usr/lib/postgresql/<major>/bin directories holding the
// named binary, highest major version first.
func versionedBinDirs(binary string) []binDir {
	matches, _ := filepath.Glob(filepath.Join("/usr/lib/postgresql", "*", "bin", binary))
	var dirs []binDir
	for _, m := range matches {
		bin := filepath.Dir(m)
		v := filepath.Base(filepath.Dir(bin))
		major, err := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
		if err != nil {
			continue
		}
		dirs = append(dirs, binDir{major: major, dir: bin})
	}
	sort.Slice(dirs, func(i, j int) bool { return dirs[i].major > dirs[j].major })
	return dirs
}

// serverCredential returns the unprivileged user to run the server as when the
// test runs as root (PostgreSQL refuses to run as root), or nil otherwise.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as")
}

// serverEnv is the environment of server commands: ours without libpq's PG*
// variables, which could point them at another cluster.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return append(env, "LC_ALL=C")
}

func freePort() (int, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ownerToken identifies this process across pid reuse: its pid and start time.
func ownerToken() string {
	pid := os.Getpid()
	return fmt.Sprintf("%d %d", pid, processStartTime(pid))
}

// ownerAlive reports whether the process an owner token names is still running.
func ownerAlive(token string) bool {
	f := strings.Fields(token)
	if len(f) != 2 {
		return false
	}
	pid, err1 := strconv.Atoi(f[0])
	start, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil || pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	now := processStartTime(pid)
	return now == 0 || now == start
}

// processStartTime returns a process's start time in clock ticks since boot
// (field 22 of /proc/<pid>/stat), or 0 when it cannot be read.
func processStartTime(pid int) int64 {
	fields := procStat(pid)
	// fields[0] is field 3 (state); the start time is field 22.
	if len(fields) < 20 {
		return 0
	}
	v, _ := strconv.ParseInt(fields[19], 10, 64)
	return v
}

// childPIDs lists the processes whose parent is ppid.
func childPIDs(ppid int) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f := procStat(pid); len(f) > 1 && f[1] == strconv.Itoa(ppid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// processRunning reports whether pid exists and is not a zombie: an orphaned
// zombie is never reaped where PID 1 does not reap, yet holds no resources.
func processRunning(pid int) bool {
	f := procStat(pid)
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// procStat returns the fields of /proc/<pid>/stat after the command name, the
// first being the state (field 3), or nil.
func procStat(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

// sweepClusters removes the cluster directories of processes that are gone,
// stopping any postmaster still running in them. Directories without an owner
// file are left alone for an hour, since their owner may be creating them.
func sweepClusters() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), clusterPrefix+"*"))
	for _, dir := range dirs {
		token, err := os.ReadFile(filepath.Join(dir, ownerFile)) //nolint:gosec // G304: our own clusters' owner files under os.TempDir()
		if err != nil {
			fi, serr := os.Stat(dir)
			if serr != nil || !fi.IsDir() || time.Since(fi.ModTime()) < time.Hour {
				continue
			}
		} else if ownerAlive(string(token)) {
			continue
		}
		stopLeftover(filepath.Join(dir, "data"))
		_ = os.RemoveAll(dir)
	}
}

// stopLeftover sends SIGQUIT (immediate shutdown) to the postmaster of a leftover
// data directory, if postmaster.pid names a live postgres process.
func stopLeftover(dataDir string) {
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid")) //nolint:gosec // G304: the pid file of one of our own data directories
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil || pid <= 0 {
		return
	}
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil || filepath.Base(exe) != "postgres" {
		return
	}
	_ = syscall.Kill(pid, syscall.SIGQUIT)
	for i := 0; i < 50 && syscall.Kill(pid, 0) == nil; i++ {
		time.Sleep(100 * time.Millisecond)
	}
}

// RequirePasswords makes the cluster check passwords (scram-sha-256) on
// 127.0.0.1 for every role but the superuser, which keeps trust: tests of
// authentication failures need a server that can refuse a password.
func (c *Cluster) RequirePasswords(ctx context.Context) error {
	loadTime := func() (time.Time, error) {
		conn, err := pgx.Connect(ctx, c.URL())
		if err != nil {
			return time.Time{}, err
		}
		defer func() { _ = conn.Close(ctx) }()
		var t time.Time
		err = conn.QueryRow(ctx, "SELECT pg_catalog.pg_conf_load_time()").Scan(&t)
		return t, err
	}
	before, err := loadTime()
	if err != nil {
		return fmt.Errorf("reading the configuration load time: %w", err)
	}
	hba := "local all all trust\n" +
		"host all " + Superuser + " 127.0.0.1/32 trust\n" +
		"host all all 127.0.0.1/32 scram-sha-256\n"
	// WriteFile keeps the owner (the server user) of the existing file.
	if err := os.WriteFile(filepath.Join(c.dataDir(), "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		return fmt.Errorf("writing pg_hba.conf: %w", err)
	}
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		return fmt.Errorf("connecting to reload the configuration: %w", err)
	}
	_, err = conn.Exec(ctx, "SELECT pg_catalog.pg_reload_conf()")
	_ = conn.Close(ctx)
	if err != nil {
		return fmt.Errorf("reloading the configuration: %w", err)
	}
	// A new session shows the new load time once the postmaster has reloaded.
	deadline := time.Now().Add(10 * time.Second)
	for {
		after, err := loadTime()
		if err == nil && after.After(before) {
			return nil
		}
		if time.Now().After(deadline) {
			if err != nil {
				return fmt.Errorf("pg_hba.conf not reloaded after 10s: %w", err)
			}
			return errors.New("pg_hba.conf not reloaded after 10s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
