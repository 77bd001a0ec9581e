// Package devtemporal runs an embedded Temporal server for the dev command, with its state
// in a SQLite file so that open workflows survive a restart. It follows the server
// module's own temporaltest lite server, assembled from public packages.
package devtemporal

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

// Server is a running embedded Temporal server.
type Server struct {
	srv     temporal.Server
	Address string
}

// Start starts a server whose state lives in dir/temporal.db, with the namespace
// registered, its frontend on 127.0.0.1:port (a free port when port is 0) and its log in
// dir/temporal.log.
func Start(dir string, port int, namespace string) (*Server, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("temporal data folder: %w", err)
	}
	if port == 0 {
		var err error
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	dbPath := filepath.Join(dir, "temporal.db")
	sqlCfg := &config.SQL{PluginName: sqliteplugin.PluginName, DatabaseName: dbPath,
		ConnectAttributes: map[string]string{"mode": "rwc", "_journal_mode": "wal", "_synchronous": "2"}}
	if _, err := os.Stat(dbPath); os.IsNotExist(err) {
		if err := sqlite.SetupSchema(sqlCfg); err != nil {
			return nil, fmt.Errorf("set up temporal schema in %s: %w", dbPath, err)
		}
	}
	cfg, err := serverConfig(sqlCfg, port)
	if err != nil {
		return nil, err
	}
	ns, err := sqlite.NewNamespaceConfig(cfg.ClusterMetadata.CurrentClusterName, namespace, false, nil)
	if err != nil {
		return nil, fmt.Errorf("namespace %s: %w", namespace, err)
	}
	if err := sqlite.CreateNamespaces(sqlCfg, ns); err != nil {
		return nil, fmt.Errorf("register namespace %s: %w", namespace, err)
	}
	logger := log.NewZapLogger(log.BuildZapLogger(log.Config{Level: "warn", OutputFile: filepath.Join(dir, "temporal.log")}))
	srv, err := temporal.NewServer(
		temporal.WithConfig(cfg),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(logger),
		temporal.WithAuthorizer(authorization.NewNoopAuthorizer()),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return authorization.NewNoopClaimMapper() }),
	)
	if err != nil {
		return nil, fmt.Errorf("create temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("start temporal server: %w", err)
	}
	return &Server{srv: srv, Address: fmt.Sprintf("127.0.0.1:%d", port)}, nil
}

// Stop stops the server.
func (s *Server) Stop() error { return s.srv.Stop() }

func serverConfig(sqlCfg *config.SQL, port int) (*config.Config, error) {
	const host, clusterName = "127.0.0.1", "active"
	cfg := &config.Config{}
	cfg.Global.Membership = config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: host}
	metricsPort, err := freePort()
	if err != nil {
		return nil, err
	}
	cfg.Global.Metrics = &metrics.Config{Prometheus: &metrics.PrometheusConfig{
		ListenAddress: fmt.Sprintf("%s:%d", host, metricsPort), HandlerPath: "/metrics"}}
	cfg.Persistence = config.Persistence{DefaultStore: sqliteplugin.PluginName, VisibilityStore: sqliteplugin.PluginName,
		NumHistoryShards: 1, DataStores: map[string]config.DataStore{sqliteplugin.PluginName: {SQL: sqlCfg}}}
	cfg.ClusterMetadata = &cluster.Config{EnableGlobalNamespace: false, FailoverVersionIncrement: 10,
		MasterClusterName: clusterName, CurrentClusterName: clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{clusterName: {Enabled: true,
			InitialFailoverVersion: 1, RPCAddress: fmt.Sprintf("%s:%d", host, port)}}}
	cfg.DCRedirectionPolicy = config.DCRedirectionPolicy{Policy: "noop"}
	cfg.Services = map[string]config.Service{}
	for i, name := range []string{"frontend", "history", "matching", "worker"} {
		grpc := port
		if i > 0 {
			if grpc, err = freePort(); err != nil {
				return nil, err
			}
		}
		membership, err := freePort()
		if err != nil {
			return nil, err
		}
		cfg.Services[name] = config.Service{RPC: config.RPC{GRPCPort: grpc, MembershipPort: membership, BindOnIP: host}}
	}
	cfg.Archival = config.Archival{History: config.HistoryArchival{State: "disabled"},
		Visibility: config.VisibilityArchival{State: "disabled"}}
	cfg.NamespaceDefaults = config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
		History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
		Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"}}}
	cfg.PublicClient = config.PublicClient{HostPort: fmt.Sprintf("%s:%d", host, port)}
	return cfg, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
