export interface Config {
  fleetMonitoring?: {
    /**
     * Base URL of the Fleet Monitoring TechDocs handbook; every reason a card shows links to
     * `<docsBaseUrl><page>/#<reason-id>`. Default `/docs/default/system/fleet-monitoring/`.
     * @visibility frontend
     */
    docsBaseUrl?: string;
    /**
     * When set, cards and the fleet page show this text as a label, e.g. "Demo data" in the local
     * dev app whose fleet and ArgoCD are simulated.
     * @visibility frontend
     */
    demoDataNotice?: string;
  };
}
