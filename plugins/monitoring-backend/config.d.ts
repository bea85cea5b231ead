export interface Config {
  /** Fleet Monitoring: Thanos Query, ArgoCD and Kubernetes upstreams and the health rules. */
  fleetMonitoring?: {
    /**
     * Label that names a cluster on every series (the agents' `cluster` external label).
     * @visibility frontend
     */
    clusterLabel?: string;
    /** Range used by every rate() in the health rules, e.g. `5m`. */
    rateWindow?: string;
    /**
     * Validate every answer against the plugin's OpenAPI document as well as every request (a
     * mismatch is an error). For tests and development: it costs CPU on large fleet summaries.
     * Default false.
     */
    validateResponses?: boolean;
    /** Response cache. */
    cache?: {
      /** Seconds an upstream answer is reused (0 turns caching off). Default 30. */
      ttlSeconds?: number;
      /**
       * Seconds a caller's entity read and permission decisions are reused (denials never are).
       * Default 5; 0 asks the catalog and the permission framework on every request.
       */
      accessTtlSeconds?: number;
    };
    /**
     * Keep each Thanos instance's fleet summary warm in the background (Backstage's scheduler, a
     * global task: one replica of the deployment runs each round, so the replicas must share the
     * backend database; the answer goes to the cache, which replicas should share too, e.g. Redis),
     * so the fleet page is answered from the cache and never waits on a summary round, whose cost
     * grows with the fleet. A refreshed summary is served until the next
     * refresh replaces it (its `generatedAt` says when it was computed); a failed refresh drops it,
     * and requests then ask the upstream themselves. Off by default: it queries the upstream every
     * interval whether or not anyone looks. Needs `cache.ttlSeconds` > 0.
     */
    summaryRefresh?: {
      /** Seconds between the starts of two refreshes. Default 0 (off). */
      intervalSeconds?: number;
      /**
       * Upstream timeout of a refresh round in seconds, instead of the instance's `timeoutMs`
       * (nobody waits on a refresh; a large fleet's round may take longer than a page should). Default 60.
       */
      timeoutSeconds?: number;
    };
    /** Health thresholds; the defaults follow the Prometheus and Thanos mixins. */
    thresholds?: {
      remoteWrite?: {
        /** Lag in seconds that makes a cluster degraded. Default 60. */
        lagWarningSeconds?: number;
        /** Lag in seconds that makes a cluster failing (mixin PrometheusRemoteWriteBehind: 120). */
        lagCriticalSeconds?: number;
        /** failed/(failed+sent) that makes a cluster failing (mixin PrometheusRemoteStorageFailures: 0.01). */
        failureRatioCritical?: number;
        /** Retried samples per second above which a cluster is degraded. Default 0. */
        retriedPerSecondWarning?: number;
        /** Dropped samples per second above which a cluster is degraded. Default 0. */
        droppedPerSecondWarning?: number;
        /** Pending samples above which a cluster is degraded. Default 10000. */
        pendingSamplesWarning?: number;
        /** Seconds without remote-write self-metrics after which a cluster has no data. Default 300. */
        staleAfterSeconds?: number;
      };
      receive?: {
        /** 5xx share of receive requests that is critical (mixin: 0.05). */
        httpErrorRatioCritical?: number;
        /** p99 write latency in seconds that is critical (mixin: 10). */
        p99LatencyCriticalSeconds?: number;
        /** Forward failure share that is a warning (mixin: 0.2). */
        forwardFailureRatioWarning?: number;
      };
      metrics?: {
        /** Seconds since the newest sample after which a service's metrics are stale. Default 300. */
        staleAfterSeconds?: number;
      };
    };
    /** Thanos Query (or any Prometheus-compatible) instances. The first is the default. */
    thanos?: Array<{
      /**
       * Name used in routes and in the `fleet-monitoring.io/thanos-instance` annotation.
       * @visibility frontend
       */
      name: string;
      /**
       * Shown in the UI.
       * @visibility frontend
       */
      title?: string;
      /** Base URL of the PromQL HTTP API, e.g. http://thanos-query.monitoring:10902 */
      baseUrl: string;
      /**
       * Extra request headers, e.g. Authorization.
       * @visibility secret
       */
      headers?: { [name: string]: string };
      /** Sent as the THANOS-TENANT header. */
      tenant?: string;
      /** Upstream timeout in milliseconds. Default 10000. */
      timeoutMs?: number;
      /** Thanos `dedup` default. Default true. */
      dedup?: boolean;
      /** Thanos `partial_response` default. Default true (partial answers are shown as warnings). */
      partialResponse?: boolean;
      /** Largest upstream response accepted, in bytes. Default 10 MiB. */
      maxResponseBytes?: number;
      /** PEM CA bundle file for https upstreams with a private CA. */
      caFile?: string;
      /**
       * CA bundle inline, PEM or base64-encoded PEM; wins over caFile.
       * @visibility secret
       */
      caData?: string;
      /**
       * Which series the fleet summary reads. `auto` (default): the fleet recording rules' series
       * (rule group `fleet-monitoring-remote-write-<rateWindow>`, written by Thanos Ruler or a
       * PrometheusRule) when a cheap probe finds the group evaluated now and for the hold window,
       * else the agents' raw series; `recorded` or `raw`: always those. The answer says which in
       * `source`.
       * @visibility backend
       */
      summarySource?: 'auto' | 'recorded' | 'raw';
    }>;

    /** ArgoCD instances. */
    argocd?: Array<{
      /**
       * Name used in the `argocd/instance-name` annotation.
       * @visibility frontend
       */
      name: string;
      /**
       * Shown in the UI.
       * @visibility frontend
       */
      title?: string;
      /** API base URL, e.g. https://argocd.example.com */
      url: string;
      /**
       * URL of the ArgoCD UI for links, when it differs from `url`.
       * @visibility frontend
       */
      uiUrl?: string;
      /**
       * API token (preferred).
       * @visibility secret
       */
      token?: string;
      /** Username for /api/v1/session login, used when no token is set. */
      username?: string;
      /**
       * Password for /api/v1/session login.
       * @visibility secret
       */
      password?: string;
      /** PEM CA bundle file for a private CA. */
      caFile?: string;
      /**
       * CA bundle inline, PEM or base64-encoded PEM.
       * @visibility secret
       */
      caData?: string;
      /** Upstream timeout in milliseconds. Default 10000. */
      timeoutMs?: number;
      /** Largest upstream response accepted, in bytes. Default 32 MiB. */
      maxResponseBytes?: number;
      /**
       * How an entity's `argocd/app-selector` binds to the entity on this instance (the plugin lists
       * applications with its own credentials, so a selector may only narrow what it reads). Every
       * selector must pin a label to a value; these add to that.
       */
      selectorPolicy?: {
        /** The selector must pin one of these labels to a value, e.g. `[team]`. */
        requiredLabels?: string[];
        /** The entity must also name its project (`argocd/project-name`). Default false. */
        requireProject?: boolean;
      };
    }>;
    /**
     * The GitOps repository whose overlays (`deploy/overlays/<cluster>/<component>`, `deploy/base`)
     * the overlay lint reads, through Backstage's UrlReader (configure the matching `integrations`
     * entry, e.g. GitHub, for its credentials). Absent: `/gitops/lint` answers 404.
     * @visibility backend
     */
    gitops?: {
      /**
       * Repository or directory URL, e.g. `https://github.com/example/fleet-gitops/tree/main`.
       * @visibility backend
       */
      url: string;
      /** Most files under deploy/ read; a larger tree is refused. Default 20000. */
      maxFiles?: number;
      /** Most bytes under deploy/ read; a larger tree is refused. Default 32 MiB. */
      maxBytes?: number;
    };
    /** How the ArgoCD entity view uses the instances. */
    argocdOptions?: {
      /**
       * Sync-window lookups (GET /api/v1/applications/{name}/syncwindows, one call per app) per
       * instance in an entity answer; only OutOfSync apps are looked up. Default 5; 0 turns the lookups off.
       */
      maxSyncWindowChecks?: number;
    };
    /** Kubernetes API access per cluster, for pod and hashring checks. */
    kubernetes?: {
      /** Namespace of Thanos Receive and the Prometheus agent. Default `monitoring`. */
      namespace?: string;
      /** Label selector of Thanos Receive pods. Default `app.kubernetes.io/name=thanos-receive`. */
      receiveSelector?: string;
      /** Label selector of Prometheus agent pods. Default `app.kubernetes.io/name=prometheus`. */
      agentSelector?: string;
      /** ConfigMap holding the receive hashring. Default `thanos-receive-hashring`. */
      hashringConfigMap?: string;
      /** Key of the hashring JSON in that ConfigMap. Default `hashrings.json`. */
      hashringKey?: string;
      /** gRPC port of receive endpoints in the hashring. Default 10901. */
      receiveGrpcPort?: number;
      /** Restarts at or above which a pod is flagged `pod-restarting` (any restart in the past hour is). Default 3. */
      restartThreshold?: number;
      /** Largest Kubernetes API response accepted, in bytes. Default 16 MiB. */
      maxResponseBytes?: number;
      clusters?: Array<{
        /** Cluster name, as in the `fleet-monitoring.io/cluster` annotation. */
        name: string;
        /** Kubernetes API URL. */
        url: string;
        /**
         * Service account token.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * CA bundle of the API server, PEM or base64-encoded PEM (as in kubeconfig files).
         * @visibility secret
         */
        caData?: string;
        /** CA file of the API server. */
        caFile?: string;
        /** Skip TLS verification for this cluster only (never process-wide). Default false. */
        skipTLSVerify?: boolean;
        /** Timeout in milliseconds. Default 10000. */
        timeoutMs?: number;
      }>;
    };
  };
}
